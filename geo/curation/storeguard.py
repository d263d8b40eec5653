"""Open the curation store without ever raising: (store, None) or (None, a one-line notice for a read-only app)."""

from __future__ import annotations

import sqlite3
from typing import Any

from geo.core.errors import AtlasError
from geo.curation.store import open_store


def open_store_or_none(url: str | None = None) -> tuple[Any | None, str | None]:
    """``(store, None)`` when the curation database opens; ``(None, notice)`` when it is corrupt or unreachable.

    A corrupt SQLite file (random bytes), an ATLAS_DATA_DIR that is a file, a read-only or full directory: the app
    shows the notice, keeps the map working and leaves edit mode off. Nothing here raises.
    """
    try:
        return open_store(url), None
    except AtlasError as exc:
        reason = exc.one_line()
    except (OSError, sqlite3.Error, ValueError) as exc:
        reason = f"{type(exc).__name__}: {exc}"
    text = " ".join(reason.split())[:300]
    return None, f"Editing is off: the curation database cannot be used ({text}). The map is read-only."
