"""Semantic checks of the place tables: the gazetteer loads consistently, board rules name known places."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from geo.places.boards import load_rules
from geo.places.gazetteer import load_gazetteer


def check_place_table(path: Path, kind: str) -> Any | None:
    """The loaded gazetteer or board rules when ``path`` is one of them (raising named errors), else None."""
    if kind == "gazetteer":
        return load_gazetteer(path.parent)
    if path.name == "board_rules.csv":
        return load_rules(load_gazetteer(), path)
    return None
