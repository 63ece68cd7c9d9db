/* SPDX-License-Identifier: Apache-2.0 */
/*
 * report.html: one self-contained planner's report of a study. It opens with no network: inline
 * CSS, inline SVG and one small inline script (pan, zoom and layer toggles on the maps), no
 * external font, image, tile or library. It holds the headline figures, a map per facility
 * type, minute charts, district bars against coverage targets, the district, target and site
 * tables, data quality, provenance and the data attribution, wholly in Chinese when the
 * scenario's labels are (labels: zh), in English otherwise (src/report/strings.c). It prints on
 * A4 and reads on a phone. Every string from input data is HTML-escaped; numbers go through
 * cc_fmt_double (locale-independent); nothing depends on the clock or the thread count, so the
 * same inputs give the same bytes. The markup is also well-formed XML (every element closed,
 * only the XML entities, no '<' or '&' in the script), so strict parsers can check it.
 * The sections are in html_sections.c, html_tables.c, html_map.c and html_charts.c, listed in
 * order in SECTIONS below; everything is written through one cc_tw that keeps its first error.
 */
#include "html_layers.h"

#include <string.h>

static const char CSS[] =
    "body{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Microsoft YaHei\",\"PingFang "
    "SC\","
    "\"WenQuanYi Micro Hei\",\"Noto Sans\",\"Helvetica "
    "Neue\",Arial,sans-serif;color:#1f2933;background:#f4f6f8;margin:0;"
    "line-height:1.45;font-size:14px}\n"
    "main{max-width:1300px;margin:0 auto;padding:18px 24px 40px}\n"
    "header{background:#16324f;color:#ffffff;padding:18px 24px}\n"
    "header h1{margin:0 auto;max-width:1252px;font-size:24px;font-weight:600}\n"
    "header p{margin:4px auto 0;max-width:1252px;color:#c9d6e3;font-size:13px}\n"
    "h2{font-size:19px;margin:28px 0 10px;padding-bottom:4px;border-bottom:2px solid #d5dde5}\n"
    "h3{font-size:15px;margin:16px 0 6px}h4{font-size:14px;margin:14px 0 4px;font-weight:600}\n"
    "section{background:#ffffff;border-radius:6px;padding:4px 18px 14px;margin-bottom:18px;"
    "box-shadow:0 1px 3px rgba(0,0,0,0.08)}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:14px;margin:10px 0}\n"
    ".card{flex:1 1 340px;border:1px solid #d5dde5;border-left:5px solid #16324f;border-radius:4px;"
    "padding:10px 14px}\n"
    ".card h3{margin:0 0 4px}.card .meta{color:#52606d;font-size:12.5px}\n"
    ".big{font-size:30px;font-weight:700;line-height:1.1}.muted{color:#52606d}\n"
    ".fig{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}\n"
    ".fig>div{flex:0 1 "
    "auto;min-width:0}.fig>.mapbox{max-width:720px}.fig>.chartbox{max-width:420px}\n"
    "svg{display:block;max-width:100%;height:auto;font-family:inherit}\n"
    "svg text{font-size:11px;fill:#1f2933}\n"
    "svg .dlabel text{font-size:14px;font-weight:700;fill:#1f2933;stroke:#ffffff;stroke-width:3px;"
    "paint-order:stroke;stroke-linejoin:round}\n"
    "svg .site "
    "text{font-size:12px;font-weight:700;stroke:#ffffff;stroke-width:3px;paint-order:stroke}\n"
    "svg .scale text,svg .north text{font-size:11px;font-weight:600}\n"
    "svg .grid{stroke:#e1e7ec;stroke-width:1}svg .axis{stroke:#7b8794;stroke-width:1}\n"
    "svg .thr{stroke:#52606d;stroke-width:1;stroke-dasharray:3 3}svg .thrl{fill:#52606d}\n"
    "svg .target{stroke:#222222;stroke-width:1.5;stroke-dasharray:5 3}svg "
    ".targetl{font-weight:600}\n"
    ".legend{list-style:none;padding:0;margin:6px 0;display:flex;flex-wrap:wrap;gap:4px 16px;"
    "font-size:12.5px}\n"
    ".legend li{display:flex;align-items:center;gap:6px}\n"
    ".sw{display:inline-block;width:16px;height:12px;box-sizing:border-box}\n"
    ".dot{display:inline-block;width:10px;height:10px;border-radius:50%;border:1.5px solid #ffffff;"
    "box-shadow:0 0 0 1px #9aa5b1}\n"
    ".ln{display:inline-block;width:22px;height:0}\n"
    ".star{color:#e0b000;font-size:16px;-webkit-text-stroke:0.6px #222222}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px;margin:8px 0}\n"
    "th,td{border-bottom:1px solid #e4e7eb;padding:5px 8px;text-align:left;vertical-align:top}\n"
    "th{background:#f0f4f8;font-weight:600}td.n,th.n{text-align:right;white-space:nowrap}\n"
    "tr.total td{font-weight:600;border-top:2px solid #cbd2d9}td.tg{min-width:300px}"
    "th.grp{text-align:center;background:#e4ebf2}table.q{width:auto;min-width:440px}\n"
    ".wrap{overflow-x:auto;max-width:100%}\n"
    ".badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:12px;font-weight:600;"
    "white-space:nowrap}\n"
    ".met{background:#d9f2e0;color:#14532d}.not_met{background:#fde0dc;color:#8a1c12}"
    ".not_evaluated,.no_target{background:#e4e7eb;color:#3e4c59}\n"
    ".met_partial_area,.not_met_partial_area,.partial_area{background:#fdf3d4;color:#6b4e00}\n"
    ".note{color:#52606d;font-size:12.5px;margin:4px 0}\n"
    "ul.notes{margin:4px 0 0;padding-left:18px;font-size:12px;color:#52606d}\n"
    "code{font-family:\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:12px;"
    "word-break:break-all}\n"
    ".warn li{margin:3px 0}\n"
    "footer{color:#7b8794;font-size:12px;text-align:center;margin-top:24px}\n";

/* Maps, phone (390 px wide and up) and print (A4). */
static const char CSS_MEDIA[] =
    ".mapwrap{position:relative}svg.map{touch-action:none;cursor:grab}\n"
    "svg .dline{fill:none;stroke:#4d4d4d;stroke-width:1.3;stroke-linejoin:round}\n"
    "g.zoom path,g.zoom circle{vector-effect:non-scaling-stroke}\n"
    ".controls{display:flex;gap:6px;margin:0 0 6px}.controls button{font:inherit;font-size:13px;"
    "padding:2px 10px;border:1px solid "
    "#9aa5b1;border-radius:4px;background:#ffffff;cursor:pointer}\n"
    ".legend li[data-toggle]{cursor:pointer}.legend "
    "li.off{opacity:0.35;text-decoration:line-through}\n"
    "svg.chart,svg.bars{width:100%}svg.bars{max-width:720px}\n"
    "ul.attr{padding-left:18px}code.hash{font-size:11px}\n"
    "@media (max-width:600px){main{padding:10px 6px 24px}header{padding:12px 10px}"
    "header h1{font-size:19px}section{padding:4px 10px 10px}.card{flex-basis:100%}"
    "table.q{min-width:0;width:100%}td.tg{min-width:180px}.big{font-size:24px}}\n"
    "@page{size:A4;margin:12mm 10mm}\n"
    "@media print{body{background:#ffffff;font-size:9.5pt;line-height:1.35}"
    "header{background:none;color:#000000;padding:0 0 4mm}header p{color:#52606d}"
    "main{max-width:none;padding:0}section{box-shadow:none;padding:0;margin:0 0 5mm;"
    "border-radius:0}h2{margin:4mm 0 2mm;font-size:14pt}h2,h3,h4{break-after:avoid}"
    ".controls{display:none}.wrap{overflow:visible}table{font-size:7.5pt;width:100%}"
    "thead{display:table-header-group}tr{break-inside:avoid}th,td{padding:2px 4px}"
    "th.n{white-space:normal}td.tg{min-width:0}table.q{min-width:0}"
    "svg,.legend,.card{break-inside:avoid}.fig>.mapbox{max-width:150mm}"
    ".fig>.chartbox{max-width:90mm}svg.bars{max-width:170mm}.card{flex:1 1 80mm}"
    "footer{margin-top:4mm}}\n";

/* Pan (drag), zoom (wheel, buttons) and layer toggles (legend entries) of each map. Written
   without '<' and '&' so that the file stays well-formed XML. */
static const char JS[] =
    "(function(){document.querySelectorAll('.mapbox').forEach(function(box){"
    "var svg=box.querySelector('svg.map');if(!svg)return;var g=svg.querySelector('g.zoom');"
    "var vb=svg.viewBox.baseVal,W=vb.width,H=vb.height,k=1,x=0,y=0,drag=null;"
    "function set(){if(1>k)k=1;if(k>16)k=16;if(x>0)x=0;if(y>0)y=0;"
    "if(-W*(k-1)>x)x=-W*(k-1);if(-H*(k-1)>y)y=-H*(k-1);"
    "g.setAttribute('transform','translate('+x+' '+y+') scale('+k+')');"
    "svg.setAttribute('data-zoom',String(k));}"
    "function zoom(f,cx,cy){var n=Math.max(1,Math.min(16,k*f));x=cx-(cx-x)*n/k;"
    "y=cy-(cy-y)*n/k;k=n;set();}"
    "function pt(e){var r=svg.getBoundingClientRect();"
    "return[(e.clientX-r.left)*W/r.width,(e.clientY-r.top)*H/r.height];}"
    "box.querySelectorAll('button[data-zoom]').forEach(function(b){"
    "b.addEventListener('click',function(){var z=Number(b.getAttribute('data-zoom'));"
    "if(z===0){k=1;x=0;y=0;set();}else zoom(z>0?2:0.5,W/2,H/2);});});"
    "svg.addEventListener('wheel',function(e){e.preventDefault();var p=pt(e);"
    "zoom(e.deltaY>0?0.8:1.25,p[0],p[1]);},{passive:false});"
    "svg.addEventListener('pointerdown',function(e){drag=pt(e);});"
    "svg.addEventListener('pointermove',function(e){if(!drag)return;var p=pt(e);"
    "x+=p[0]-drag[0];y+=p[1]-drag[1];drag=p;set();});"
    "['pointerup','pointerleave'].forEach(function(t){svg.addEventListener(t,function(){"
    "drag=null;});});"
    "box.querySelectorAll('li[data-toggle]').forEach(function(li){"
    "li.addEventListener('click',function(){var off=li.classList.toggle('off');"
    "svg.querySelectorAll('g[data-layer=\"'+li.getAttribute('data-toggle')+'\"]')"
    ".forEach(function(l){l.style.display=off?'none':'';});});});});})();\n";

/* The page's sections in order. A new section is a function with this signature (in its own
   html_<name>.c, declared in html_internal.h) and one line here. */
static const cc__h_section_fn SECTIONS[] = {
    cc__h_headline,    cc__h_types,   cc__h_variants, cc__h_districts, cc__h_units,
    cc__h_sensitivity, cc__h_targets, cc__h_estates,  cc__h_sites,     cc__h_quality,
    cc__h_attribution,
    cc__h_provenance,
};

/* The document's head, styles and page header (title, run id, CRS, counts). */
static cc_status page_head(cc_tw *w, const cc_study *st)
{
    const cc_scenario *sc = st->sc;
    cc_tw_printf(w,
                 "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
                 "<meta charset=\"utf-8\"/>\n"
                 "<meta name=\"viewport\" content=\"width=device-width, "
                 "initial-scale=1\"/>\n"
                 "<meta name=\"generator\" content=\"carecircle " CC_VERSION_STRING
                 "\"/>\n<title>",
                 CC__ZH(st) ? "zh-CN" : "en");
    cc__h_esc(w, sc->name);
    cc_tw_printf(w, "%s</title>\n<style>\n", S(TITLE_SUFFIX));
    cc_tw_str(w, CSS);
    cc_tw_str(w, CSS_MEDIA);
    cc_tw_printf(w, "</style>\n</head>\n<body>\n<header><h1>%s", S(H1));
    cc__h_esc(w, sc->name);
    if (sc->variant) {
        cc_tw_str(w, " · ");
        cc__h_esc(w, sc->variant);
    }
    cc_tw_printf(w, "</h1>\n<p>%s <code>", S(RUN));
    cc_tw_append(w, sc->sha256, strlen(sc->sha256) < 12 ? strlen(sc->sha256) : 12);
    cc_tw_str(w, "</code> · carecircle " CC_VERSION_STRING " · ");
    cc__h_esc(w, st->crs_name);
    cc_tw_printf(w, S(DEMAND_POINTS_TYPES), st->dem.n, st->n_types);
    return cc_tw_str(w, "</p></header>\n<main>\n");
}

static cc_status report_html(cc_ctx *ctx, const cc_study *st, FILE *fp)
{
    cc_tw w;
    cc_tw_init(&w, ctx, fp, CC_TW_JSON); /* JSON mode: see html_internal.h */
    page_head(&w, st);
    for (size_t i = 0; !w.rc && i < sizeof SECTIONS / sizeof *SECTIONS; i++)
        SECTIONS[i](&w, st);
    cc_tw_printf(&w, "</main>\n<footer>%s" CC_VERSION_STRING "%s</footer>\n", S(MADE_BY),
                 S(FOOTER));
    cc_tw_str(&w, "<script>\n");
    cc_tw_str(&w, JS);
    cc_tw_str(&w, "</script>\n</body>\n</html>\n");
    return cc_tw_end(&w);
}

/**
 * Write report.html for the study into the output set (atomic, like every output). Reads the
 * study only; deterministic bytes for the same inputs. Not thread-safe for the same study.
 */
cc_status cc__write_report(cc_ctx *ctx, const cc_study *st, cc_outset *out)
{
    return cc__write_one(ctx, st, out, "report.html", report_html);
}
