"""Deterministic JSON/GeoJSON serialisation, safe reading and atomic writes."""

from __future__ import annotations

import json
import math
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from geo.core.errors import InputFileError, NonFiniteNumberError
from geo.core.safepath import check_output, output_error, read_input_bytes

COORD_DECIMALS = 6  # ~0.1 m: more than any source here can claim
FILE_MODE = 0o644  # a new file is readable by all, writable by its owner (mkstemp alone makes it 0600)


def _round_coords(value: Any) -> Any:
    if isinstance(value, float):
        if not math.isfinite(value):
            raise NonFiniteNumberError("coordinate is not finite")
        return round(value, COORD_DECIMALS)
    if isinstance(value, (list, tuple)):
        return [_round_coords(v) for v in value]
    return value


def geometry_json(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A GeoJSON geometry with coordinates rounded to COORD_DECIMALS."""
    if geometry is None:
        return None
    out = dict(geometry)
    if "coordinates" in out:
        out["coordinates"] = _round_coords(out["coordinates"])
    if "geometries" in out:
        out["geometries"] = [geometry_json(g) for g in out["geometries"]]
    return out


def dumps(data: Any) -> str:
    """Stable, readable JSON: UTF-8 Chinese, sorted keys, one-space indent, trailing newline."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False) + "\n"


def feature_collection(features: list[dict[str, Any]], **members: Any) -> dict[str, Any]:
    """A FeatureCollection dict with rounded geometries (extra top-level members allowed)."""
    fc: dict[str, Any] = {"type": "FeatureCollection"}
    fc.update(members)
    fc["features"] = [
        {
            "type": "Feature",
            "id": f.get("id"),
            "properties": f["properties"],
            "geometry": geometry_json(f.get("geometry")),
        }
        for f in features
    ]
    return fc


@contextmanager
def atomic_writer(path: str | Path) -> Iterator[BinaryIO]:
    """A binary handle on a temporary file in the target's folder; on success it is fsynced and renamed over the
    target, on any error removed (the previous file stays intact). Lets a large output be written in pieces."""
    target = check_output(path)  # a directory, a file in the way or a read-only place → OutputPathError
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        mode = target.stat().st_mode & 0o777 if target.exists() else FILE_MODE  # an overwrite keeps the file's mode
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise output_error(target, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):  # full disk, permission, …: one line naming the path
            raise output_error(target, exc) from None
        raise


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over the target.

    An interrupted write leaves the previous file intact.
    """
    with atomic_writer(path) as handle:
        handle.write(data)


def atomic_write_text(path: str | Path, text: str) -> None:
    """Atomically write UTF-8 text."""
    atomic_write_bytes(path, text.encode("utf-8"))


def read_json(path: str | Path) -> Any:
    """Read a JSON file; missing, unreadable or malformed files raise InputFileError with the position."""
    p = Path(path)
    raw = read_input_bytes(p)  # missing, special (FIFO, /dev/zero) or oversize files: InputFileError
    if not raw.strip():
        raise InputFileError("file is empty", path=str(p))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"not UTF-8 (byte {exc.start})", path=str(p)) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except RecursionError:
        raise InputFileError("JSON is nested too deeply to be a GeoJSON file", path=str(p)) from None
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", path=str(p)
        ) from None
    except ValueError as exc:
        raise InputFileError(str(exc), path=str(p)) from None


def _reject_constant(name: str) -> Any:
    raise NonFiniteNumberError(f"JSON contains {name}, which is not a number")
