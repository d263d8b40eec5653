"""A record of file contents that passed validation: the same bytes, checked by the same code against the same
schemas and county table, are not validated again (the app's start on a big atlas spent seconds in jsonschema).

Content-addressed: a key is the SHA-256 of the file's bytes, its kind, the schemas, the county table it is checked
against and the source of the checks. A changed file, schema or check gives a new key and is validated again; a
file that failed is never recorded. The record is one empty file per key in ``ATLAS_CACHE_DIR`` (default
``~/.cache/jilin-atlas/validated``); when that folder cannot be written, nothing is recorded and every load
validates, as before.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from geo.core import rfc7946, schema
from geo.core import validate as _validate
from geo.core.config import CACHE_ENV, REPO_ROOT, paths

__all__ = ["CACHE_ENV", "cache_dir", "key", "remember", "seen"]
#: Kinds whose checks read nothing beyond the file and the county table (the counties' GCJ-02 check reads more).
KINDS = frozenset({"projects", "layout", "boards", "featured_towns", "transport", "city", "water", "context"})


def cache_dir() -> Path:
    """Where the records are kept (``ATLAS_CACHE_DIR``, else ``~/.cache/jilin-atlas``)."""
    return paths.CACHE / "validated"


@cache
def _code_digest() -> bytes:
    """The checks and schemas themselves: a new check or schema invalidates every record."""
    h = hashlib.sha256()
    for path in (
        *map(Path, (_validate.__file__, rfc7946.__file__, schema.__file__)),
        *sorted((REPO_ROOT / "schemas").glob("*.json")),
    ):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.digest()


def key(path: Path, kind: str) -> str | None:
    """The record's name for ``path`` checked as ``kind`` (None: this kind is always validated)."""
    if kind not in KINDS:
        return None
    beside = path.parent / "counties.csv"
    counties = beside if beside.is_file() else paths.DATA / "counties.csv"
    h = hashlib.sha256(_code_digest() + kind.encode() + b"\0")
    h.update(counties.read_bytes() if counties.is_file() else b"")
    h.update(b"\0" + path.read_bytes())
    return h.hexdigest()


def seen(name: str | None) -> bool:
    return bool(name) and (cache_dir() / name).is_file()


def remember(name: str | None) -> None:
    """Record a key whose file passed; a folder that cannot be written records nothing."""
    if not name:
        return
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).touch()
    except OSError:
        pass
