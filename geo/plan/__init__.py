"""Reading the plan: boxes, indicators, spatial layout and sectors from the plan text."""

from geo.plan.boxes import Box, Entry, parse_plan, read_plan
from geo.plan.indicators import parse_indicators
from geo.plan.layout import parse_layout
from geo.plan.sectors import box_sector, box_titles_en, sectors

__all__ = [
    "Box",
    "Entry",
    "box_sector",
    "box_titles_en",
    "parse_indicators",
    "parse_layout",
    "parse_plan",
    "read_plan",
    "sectors",
]
