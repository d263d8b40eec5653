"""Stable project keys: a hash of box title and name, kept through renames and renumbering by the key registry."""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from geo.plan.boxes import Box, Entry

#: Punctuation and spaces that do not make two names different (full- and half-width alike after NFKC).
_NOISE_RE = re.compile(r"[\s、，,。．.：:；;“”\"'‘’（）()《》〈〉【】\[\]—–\-·]+")
#: A renamed entry keeps its key when its new name is at least this similar to the old one (difflib ratio).
RENAME_SIMILARITY = 0.5


def normalise(text: str) -> str:
    """The name as compared: NFKC, without spaces and punctuation."""
    return _NOISE_RE.sub("", unicodedata.normalize("NFKC", text or ""))


def _digest(text: str, n: int) -> str:
    return hashlib.blake2b(normalise(text).encode("utf-8"), digest_size=8).hexdigest()[:n]


def computed_key(box_title: str, name: str) -> str:
    """``tttt-nnnnnnnn``: 4 hex digits of the box title, 8 of the name (both normalised)."""
    return f"{_digest(box_title, 4)}-{_digest(name, 8)}"


@dataclass(frozen=True)
class Known:
    """One row of the key registry (the reviewed translation table): a project the tables may refer to."""

    key: str
    id: str  # the id it had in the plan the tables were written for
    name: str


@dataclass(frozen=True)
class KeyMatch:
    """How an entry got its key: ``same`` (unchanged), ``moved`` (same name, other box), ``renamed`` or ``new``."""

    key: str
    how: str
    known: Known | None = None


def assign_keys(entries: list[Entry], boxes: list[Box], known: Iterable[Known]) -> dict[str, KeyMatch]:
    """Give every entry (``entry.key``) a key that survives renumbering, inserted entries and renames.

    An entry whose computed key is in the registry keeps it; else an unclaimed registry row with the same
    normalised name (another box) or, in the same box, the most similar name (≥ RENAME_SIMILARITY) lends
    its key; else the entry is new and keeps its computed key. Returns entry id → KeyMatch.
    """
    titles = {b.number: b.title for b in boxes}
    registry = {k.key: k for k in known}
    claimed: set[str] = set()
    out: dict[str, KeyMatch] = {}
    pending: list[tuple[Entry, str]] = []
    seen: set[str] = set()
    for e in entries:
        key = _unique(computed_key(titles[e.box], e.name), seen)
        seen.add(key)
        if key in registry:
            out[e.id] = KeyMatch(key, "same", registry[key])
            claimed.add(key)
        else:
            pending.append((e, key))
    by_name: dict[str, list[Known]] = {}
    for k in registry.values():
        by_name.setdefault(normalise(k.name), []).append(k)
    still: list[tuple[Entry, str]] = []
    for e, key in pending:
        same_name = [k for k in by_name.get(normalise(e.name), []) if k.key not in claimed]
        if same_name:
            out[e.id] = KeyMatch(same_name[0].key, "moved", same_name[0])
            claimed.add(same_name[0].key)
        else:
            still.append((e, key))
    candidates = []
    for e, _ in still:
        box_part = computed_key(titles[e.box], "").split("-")[0]
        for k in registry.values():
            if k.key in claimed or not k.key.startswith(box_part + "-"):
                continue
            ratio = difflib.SequenceMatcher(None, normalise(e.name), normalise(k.name)).ratio()
            if ratio >= RENAME_SIMILARITY:
                candidates.append((ratio, e.id, k))
    for _ratio, entry_id, k in sorted(candidates, key=lambda c: -c[0]):
        if entry_id not in out and k.key not in claimed:
            out[entry_id] = KeyMatch(k.key, "renamed", k)
            claimed.add(k.key)
    for e, key in still:
        if e.id not in out:
            out[e.id] = KeyMatch(key, "new")
    for e in entries:
        e.key = out[e.id].key
    return out


def _unique(key: str, seen: set[str]) -> str:
    """Two entries of one box with the same name get ``…~2``, ``…~3`` in order."""
    n, candidate = 1, key
    while candidate in seen:
        n += 1
        candidate = f"{key}~{n}"
    return candidate
