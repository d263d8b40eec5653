"""Colours, symbol sizes, CSS and HTML/JSON escaping shared by every map part."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from typing import Any

from jinja2.utils import htmlsafe_json_dumps

#: The six main clusters' colours: Okabe & Ito, "Color Universal Design" (2008), without its black and yellow
#: (black is the rail line, yellow is unreadable on the paper basemap). Order: data/sectors.csv.
CLUSTER_PALETTE = ("#CC79A7", "#E69F00", "#0072B2", "#D55E00", "#009E73", "#56B4E9")
#: The other sectors: ten of Paul Tol's qualitative colours (muted, dark, bright and vibrant schemes, personal.sron.nl
#: /~pault/), chosen to keep the smallest CVD-simulated distance to every other sector colour as large as possible
#: (tests/test_palette.py states the bounds). Order: data/sectors.csv.
OTHER_PALETTE = (
    "#332288",  # innovation: Tol muted indigo
    "#AA3377",  # services: Tol bright purple
    "#666633",  # agriculture: Tol dark yellow (olive)
    "#882255",  # social: Tol muted wine
    "#222255",  # ecology: Tol dark blue
    "#663333",  # transport: Tol dark red (brown)
    "#CC3311",  # energy: Tol vibrant red
    "#88CCEE",  # water: Tol muted cyan
    "#AA4499",  # municipal: Tol muted purple
    "#EE7733",  # digital: Tol vibrant orange
)
SECTOR_PALETTE = CLUSTER_PALETTE + OTHER_PALETTE


def sector_colors(codes: Iterable[str]) -> dict[str, str]:
    """A stable colour per sector, in the order of data/sectors.csv (the six clusters first): a colour-blind-safe
    palette (Okabe–Ito for the clusters, Paul Tol for the rest), repeated beyond 16 sectors."""
    return {code: SECTOR_PALETTE[i % len(SECTOR_PALETTE)].lower() for i, code in enumerate(codes)}


def esc(value: Any) -> str:
    """HTML-escape anything (None → empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def safe_json(data: Any) -> str:
    """JSON that can sit inside a <script> element (Jinja's htmlsafe_json_dumps: <, >, &, ' escaped)."""
    return str(htmlsafe_json_dumps(data, dumps=json.dumps, ensure_ascii=False, separators=(",", ":")))


BOARD_COLORS = {"north": "#7b3294", "west": "#008837", "central": "#e66101", "south": "#0571b0"}


#: One fixed colour and SVG dash pattern per transport mode ("" = solid), the same under every filter, for the
#: transport layer, the projects' own lines, the legend and the slides. Distinct from the board colours and from
#: each other under simulated colour-vision deficiencies (tests/test_palette.py); metro, BRT and tram are one mode
#: (urban transit). The airport's colour is its icon's fill.
MODE_STYLE = {
    "rail": ("#222222", "8 6"),
    "highway": ("#c51b7d", ""),
    "national_road": ("#7f3b08", "6 4"),
    "provincial_road": ("#d8a200", "3 4"),
    "waterway": ("#41b6c4", "2 6"),
    "metro": ("#01665e", "10 3 2 3"),
    "brt": ("#01665e", "10 3 2 3"),
    "tram": ("#01665e", "10 3 2 3"),
    "pipeline": ("#8c8c8c", "2 4"),
    "airport": ("#ffd92f", ""),
}
#: The legend's transport section: one row per mode group, in this order (urban transit stands for metro/BRT/tram).
MODE_GROUPS = {
    "rail": ("rail",),
    "highway": ("highway",),
    "national_road": ("national_road",),
    "provincial_road": ("provincial_road",),
    "urban_transit": ("metro", "brt", "tram"),
    "waterway": ("waterway",),
    "pipeline": ("pipeline",),
    "airport": ("airport",),
}


def line_style(mode: str | None, fallback: str = "#555555") -> tuple[str, str]:
    """A line's colour and dash pattern: its transport mode's, else ``fallback`` dashed."""
    return MODE_STYLE.get(mode or "", (fallback, "10 6"))


MAP_CSS = """
<style>
#map_div,#map_div2{height:100vh!important}
.marker-cluster-small,.marker-cluster-medium,.marker-cluster-large{background-color:rgba(80,80,80,.22)!important}
.marker-cluster-small div,.marker-cluster-medium div,.marker-cluster-large div{background-color:rgba(60,60,60,.78)!important;
 color:#fff!important;font-weight:bold}
.atlas-legend{background:rgba(255,255,255,.93);padding:6px 9px;
 border-radius:6px;font:11px/1.3 sans-serif;box-shadow:0 1px 5px rgba(0,0,0,.3);max-height:min(420px,52vh);overflow:auto;max-width:300px}
.atlas-legend summary{font-weight:bold;cursor:pointer}
.atlas-legend .cols{columns:2;column-gap:10px}
.atlas-legend .ttl{font-weight:bold;margin:4px 0 2px}
.atlas-legend .sw{display:inline-block;width:12px;height:12px;border-radius:6px;margin-right:6px;vertical-align:middle}
.atlas-legend .sym{display:inline-block;width:14px;height:14px;margin-right:6px;vertical-align:middle;text-align:center;font-size:9px}
.atlas-legend .sym.exact{background:#555;border-radius:7px}
.atlas-legend .sym.town{border:2px dashed #555;border-radius:7px;width:10px;height:10px}
.atlas-legend .sym.badge{background:#343c44;color:#fff;border-radius:3px;line-height:14px}
.atlas-legend .sym.line{border-top:3px dashed #333;height:0;margin-bottom:4px}
.atlas-legend .sym.board{border:2px dashed #7b3294;width:10px;height:10px}
.atlas-legend svg.sym.mode{width:26px;height:10px;margin-right:4px}
.atlas-legend .sym.mode.airport{border:1px solid #111;border-radius:8px;line-height:14px;font-size:10px;margin:0 10px 0 6px}
.atlas-legend .note{margin-top:4px;font-style:italic;color:#444}
.atlas-badge-icon{background:none;border:none}
.atlas-badge-group{background:rgba(28,32,36,.96)!important;outline:2px solid rgba(60,66,72,.45)}
.atlas-badge{box-sizing:border-box;width:34px;height:34px;border-radius:6px;background:rgba(52,60,68,.92);color:#fff;font:bold 13px/27px sans-serif;
 text-align:center;border:2px solid #fff;box-shadow:0 1px 4px rgba(0,0,0,.4)}
.atlas-badge{position:relative;overflow:hidden}
.atlas-badge-mix{position:absolute;left:0;right:0;bottom:0;height:5px;display:flex;background:#fff}
.atlas-badge-mix span{display:block;height:100%}
.atlas-cluster-icon{background:none;border:none}
.atlas-donut{position:relative;filter:drop-shadow(0 1px 2px rgba(0,0,0,.35))}.atlas-donut svg{position:absolute;left:0;top:0}
.atlas-donut-n{position:absolute;border-radius:50%;background:rgba(60,60,60,.9);color:#fff;font:bold 12px sans-serif;
 text-align:center;box-shadow:0 0 0 1.5px #fff}
.atlas-airport{width:28px;height:28px;border-radius:14px;background:#ffd92f;border:2px solid #111;font:16px/24px sans-serif;
 text-align:center}
.atlas-popup table{font-size:12px;margin:4px 0}.atlas-popup th{text-align:left;padding-right:6px;color:#555;vertical-align:top}
.atlas-quote{font-size:12px;color:#333;border-left:3px solid #1f6f8b;padding-left:6px;max-height:120px;overflow:auto}
.leaflet-container{background:#f3f1ec}
.atlas-name span{position:absolute;transform:translate(-50%,-50%);white-space:nowrap;font:600 13px/1.1 sans-serif;color:#333;
 text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff}
.atlas-name-county span{font-size:14px;font-weight:700;color:#222;transform:translate(-50%,-100%)}
.atlas-name-board span{font-style:italic;color:#5b2a86;font-size:13px}
.atlas-name-layout span,.atlas-name-town span{transform:translate(-50%,9px);font-size:11px;font-weight:500;color:#444}
</style>
"""
PRESENT_CSS = """
<style>
.atlas-legend{font-size:15px;max-width:420px;max-height:70vh}.atlas-legend .sw,.atlas-legend .sym{width:16px;height:16px}
.atlas-legend svg.sym.mode{width:32px;height:12px}
.atlas-donut-n{font-size:16px}
.leaflet-tooltip{font-size:17px}.atlas-name span{font-size:17px}.atlas-name-county span{font-size:19px}.atlas-badge{width:44px;height:44px;line-height:40px;font-size:17px;border-radius:8px}
.atlas-badge{line-height:36px}.atlas-badge-mix{height:6px}
</style>
"""
