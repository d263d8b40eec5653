"""Row-level JSON Schemas for the CSV tables and user lists (the same jsonschema library as the GeoJSON files)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import jsonschema

from geo.core.config import paths


@lru_cache(maxsize=16)
def validator(name: str) -> jsonschema.protocols.Validator:
    schema = json.loads((paths.SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def row_problems(row: dict[str, Any], schema: str, where: str) -> list[str]:
    """One line per schema problem of a table row: ``where: field: message``."""
    out = []
    for error in validator(schema).iter_errors({k: v for k, v in row.items() if not k.startswith("_")}):
        field = ".".join(str(p) for p in error.absolute_path) or (
            error.validator_value[0] if error.validator == "required" else ""
        )
        message = error.message if len(error.message) < 160 else error.message[:157] + "…"
        out.append(f"{where}: {field}: {message}")
    return out
