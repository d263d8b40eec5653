"""``python -m geo corrections export|import|list``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.core.io import atomic_write_text
from geo.curation.corrections import export_text, import_rows, read_corrections
from geo.curation.store import open_store


def run(args: argparse.Namespace) -> int:
    store = open_store(args.db)
    path = Path(args.file)
    if args.action == "export":
        atomic_write_text(path, export_text(store))
        print(f"wrote {path} ({len(store.current())} curated locations)")
    elif args.action == "import":
        count = import_rows(store, read_corrections(path), where=str(path))
        print(f"imported {count} correction(s) from {path}")
    else:
        for edit in store.all_edits():
            where = f"{edit.new_lon}, {edit.new_lat}" if edit.new_lon is not None else "county level"
            sys.stdout.write(f"{edit.id}\t{edit.project_id}\t{edit.kind}\t{where}\t{edit.provenance()}\n")
    return 0
