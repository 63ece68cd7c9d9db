# SPDX-License-Identifier: Apache-2.0
"""WGS84 <-> GCJ-02 conversion for the data-preparation scripts (maintainers only).

GCJ-02 is the obfuscated datum that Chinese web maps (Amap/Gaode, Tencent, Google China)
use; PROJ does not know it. The forward formula is the one published widely since about
2010 (the reverse-engineered "China offset" polynomial on the Krasovsky 1940 ellipsoid,
a = 6378245 m, e^2 = 0.00669342162296594323), as documented for example in the
"eviltransform" and "coordtransform" write-ups. This is our own implementation of that
published formula. The inverse has no closed form; we solve it by fixed-point iteration,
which converges to well below a millimetre in a few steps because the offset varies slowly.

Points outside mainland China (a rough rectangle, the same convention the published
formula uses) are not shifted.
"""

import math

_A = 6378245.0  # Krasovsky 1940 semi-major axis (m)
_EE = 0.00669342162296594323  # Krasovsky 1940 first eccentricity squared


def out_of_china(lng, lat):
    """True outside the rough rectangle in which GCJ-02 applies an offset."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _poly_lat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _poly_lng(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lng, lat):
    """Forward transform: WGS84 degrees -> GCJ-02 degrees (lng, lat)."""
    if out_of_china(lng, lat):
        return lng, lat
    dlat = _poly_lat(lng - 105.0, lat - 35.0)
    dlng = _poly_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1.0 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return lng + dlng, lat + dlat


def gcj02_to_wgs84(lng, lat, tol_deg=1e-10, max_iter=30):
    """Inverse transform by fixed-point iteration: GCJ-02 degrees -> WGS84 degrees."""
    if out_of_china(lng, lat):
        return lng, lat
    wlng, wlat = lng, lat
    for _ in range(max_iter):
        glng, glat = wgs84_to_gcj02(wlng, wlat)
        elng, elat = glng - lng, glat - lat
        wlng -= elng
        wlat -= elat
        if abs(elng) < tol_deg and abs(elat) < tol_deg:
            break
    return wlng, wlat
