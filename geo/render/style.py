"""Colours, symbol sizes, CSS and HTML/JSON escaping shared by every map part."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from typing import Any

import matplotlib
from jinja2.utils import htmlsafe_json_dumps


def sector_colors(codes: Iterable[str]) -> dict[str, str]:
    """A stable colour per sector (matplotlib's tab20, in the order of data/sectors.csv)."""
    cmap = matplotlib.colormaps["tab20"]
    return {code: matplotlib.colors.to_hex(cmap(i % 20)) for i, code in enumerate(codes)}


def esc(value: Any) -> str:
    """HTML-escape anything (None → empty)."""
    return "" if value is None else html.escape(str(value), quote=True)


def safe_json(data: Any) -> str:
    """JSON that can sit inside a <script> element (Jinja's htmlsafe_json_dumps: <, >, &, ' escaped)."""
    return str(htmlsafe_json_dumps(data, dumps=json.dumps, ensure_ascii=False, separators=(",", ":")))


BOARD_COLORS = {"north": "#7b3294", "west": "#008837", "central": "#e66101", "south": "#0571b0"}


MODE_STYLE = {
    "rail": ("#333333", "8 6"),
    "highway": ("#c51b7d", "10 5"),
    "national_road": ("#e08214", "6 5"),
    "provincial_road": ("#fdb863", "6 5"),
    "waterway": ("#2166ac", "2 6"),
}


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
.atlas-legend .sym.badge{background:#1f6f8b;color:#fff;border-radius:3px;line-height:14px}
.atlas-legend .sym.line{border-top:3px dashed #333;height:0;margin-bottom:4px}
.atlas-legend .sym.board{border:2px dashed #7b3294;width:10px;height:10px}
.atlas-legend .note{margin-top:4px;font-style:italic;color:#444}
.atlas-badge-icon{background:none;border:none}
.atlas-badge-group{background:rgba(20,70,90,.95)!important;outline:2px solid rgba(31,111,139,.45)}
.atlas-badge{box-sizing:border-box;width:34px;height:34px;border-radius:6px;background:rgba(31,111,139,.9);color:#fff;font:bold 13px/30px sans-serif;
 text-align:center;border:2px solid #fff;box-shadow:0 1px 4px rgba(0,0,0,.4)}
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
.leaflet-tooltip{font-size:17px}.atlas-name span{font-size:17px}.atlas-name-county span{font-size:19px}.atlas-badge{width:44px;height:44px;line-height:40px;font-size:17px;border-radius:8px}
</style>
"""
