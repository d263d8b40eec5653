"""One storage interface for curated locations: append-only edits, optimistic locking, two real backends."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from geo.core.config import current
from geo.core.errors import EditConflictError, StorageError
from geo.core.safepath import check_store_path

EDIT_COLUMNS = (
    "id",
    "project_id",
    "kind",
    "editor",
    "source",
    "comment",
    "created_at",
    "old_lon",
    "old_lat",
    "old_precision",
    "old_adcode",
    "new_lon",
    "new_lat",
    "new_precision",
    "new_adcode",
    "input_crs",
    "input_lon",
    "input_lat",
    "reverts",
    "version",
)

SQLITE_MIGRATIONS = [
    (
        1,
        [
            """CREATE TABLE edits (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            project_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('edit', 'revert')),
            editor TEXT NOT NULL CHECK (length(editor) > 0),
            source TEXT NOT NULL CHECK (length(source) > 0),
            comment TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            old_lon REAL, old_lat REAL, old_precision INTEGER, old_adcode TEXT,
            new_lon REAL, new_lat REAL, new_precision INTEGER, new_adcode TEXT,
            input_crs TEXT NOT NULL,
            input_lon REAL, input_lat REAL,
            reverts INTEGER REFERENCES edits(id),
            version INTEGER NOT NULL,
            UNIQUE (project_id, version)
        )""",
            """CREATE TABLE project_state (
            project_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            current_edit INTEGER NOT NULL REFERENCES edits(id)
        )""",
            "CREATE INDEX edits_project ON edits (project_id, id)",
        ],
    ),
]
POSTGRES_MIGRATIONS = [
    (
        1,
        [
            "CREATE EXTENSION IF NOT EXISTS postgis",
            """CREATE TABLE edits (
            id BIGSERIAL PRIMARY KEY,
            project_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('edit', 'revert')),
            editor TEXT NOT NULL CHECK (length(editor) > 0),
            source TEXT NOT NULL CHECK (length(source) > 0),
            comment TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            old_lon DOUBLE PRECISION, old_lat DOUBLE PRECISION, old_precision INTEGER, old_adcode TEXT,
            new_lon DOUBLE PRECISION, new_lat DOUBLE PRECISION, new_precision INTEGER, new_adcode TEXT,
            input_crs TEXT NOT NULL,
            input_lon DOUBLE PRECISION, input_lat DOUBLE PRECISION,
            reverts BIGINT REFERENCES edits(id),
            version INTEGER NOT NULL,
            UNIQUE (project_id, version)
        )""",
            """CREATE TABLE project_state (
            project_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            current_edit BIGINT NOT NULL REFERENCES edits(id)
        )""",
            "CREATE INDEX edits_project ON edits (project_id, id)",
        ],
    ),
    (
        2,
        [
            "ALTER TABLE edits ADD COLUMN geom geometry(Point, 4326)",
            "CREATE INDEX edits_geom ON edits USING GIST (geom)",
        ],
    ),
]


@dataclass(frozen=True)
class Edit:
    """One append-only record."""

    id: int
    project_id: str
    kind: str
    editor: str
    source: str
    comment: str
    created_at: str
    old_lon: float | None
    old_lat: float | None
    old_precision: int | None
    old_adcode: str | None
    new_lon: float | None
    new_lat: float | None
    new_precision: int | None
    new_adcode: str | None
    input_crs: str
    input_lon: float | None
    input_lat: float | None
    reverts: int | None
    version: int

    @property
    def restores_automatic(self) -> bool:
        """A revert back to the automatic geocode (no curated location)."""
        return self.new_precision is None

    def provenance(self) -> str:
        return f"curated by {self.editor} from source {self.source} on {self.created_at[:10]}"


@dataclass(frozen=True)
class NewLocation:
    lon: float | None
    lat: float | None
    precision: int
    adcode: str | None
    input_crs: str = "WGS84"
    input_lon: float | None = None
    input_lat: float | None = None


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class CurationStore:
    """Backend-independent logic; subclasses give connections, placeholders and locking."""

    placeholder = "?"
    migrations: ClassVar[list[tuple[int, list[str]]]] = []
    #: test hook: called inside the transaction after the edit row is written, before commit
    before_commit: Callable[[], None] | None = None

    # -- backend specifics
    @contextmanager
    def transaction(self) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    def lock_state(self, cur: Any, project_id: str) -> None:
        """Serialise writers of one project (SELECT … FOR UPDATE in PostgreSQL; SQLite locks the database)."""

    def insert_edit(self, cur: Any, values: dict[str, Any]) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- shared
    def q(self, sql: str) -> str:
        return sql.replace("?", self.placeholder)

    def migrate(self) -> int:
        """Apply pending migrations in order; returns the schema version."""
        with self.transaction() as cur:
            cur.execute(
                self.q(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
            )
            cur.execute(self.q("SELECT version FROM schema_migrations"))
            done = {row[0] for row in cur.fetchall()}
            for version, statements in self.migrations:
                if version in done:
                    continue
                for statement in statements:
                    cur.execute(statement)
                cur.execute(
                    self.q("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"), (version, now())
                )
        return self.schema_version()

    def schema_version(self) -> int:
        with self.transaction() as cur:
            cur.execute("SELECT MAX(version) FROM schema_migrations")
            row = cur.fetchone()
        return int(row[0] or 0)

    def _row(self, row: Any) -> Edit:
        return Edit(**dict(zip(EDIT_COLUMNS, row, strict=True)))

    def version(self, project_id: str) -> int:
        with self.transaction() as cur:
            cur.execute(self.q("SELECT version FROM project_state WHERE project_id = ?"), (project_id,))
            row = cur.fetchone()
        return int(row[0]) if row else 0

    def history(self, project_id: str) -> list[Edit]:
        with self.transaction() as cur:
            cur.execute(
                self.q(f"SELECT {', '.join(EDIT_COLUMNS)} FROM edits WHERE project_id = ? ORDER BY id"), (project_id,)
            )
            return [self._row(r) for r in cur.fetchall()]

    def all_edits(self) -> list[Edit]:
        with self.transaction() as cur:
            cur.execute(f"SELECT {', '.join(EDIT_COLUMNS)} FROM edits ORDER BY id")
            return [self._row(r) for r in cur.fetchall()]

    def current(self) -> dict[str, Edit]:
        """project id → the edit that gives its current curated location (reverts to automatic are left out)."""
        cols = ", ".join(f"e.{c}" for c in EDIT_COLUMNS)
        with self.transaction() as cur:
            cur.execute(
                f"SELECT {cols} FROM project_state s JOIN edits e ON e.id = s.current_edit ORDER BY e.project_id"
            )
            edits = [self._row(r) for r in cur.fetchall()]
        return {e.project_id: e for e in edits if not e.restores_automatic}

    def _write(self, project_id: str, expected_version: int, values: dict[str, Any]) -> Edit:
        with self.transaction() as cur:
            self.lock_state(cur, project_id)
            cur.execute(self.q("SELECT version, current_edit FROM project_state WHERE project_id = ?"), (project_id,))
            row = cur.fetchone()
            version = int(row[0]) if row else 0
            if version != expected_version:
                cur.execute(self.q("SELECT editor, created_at FROM edits WHERE id = ?"), (row[1],))
                editor, when = cur.fetchone()
                raise EditConflictError(
                    f"{project_id} was changed by {editor} at {when} (version {version}, you edited version "
                    f"{expected_version}); reload it and apply your change again — nothing was saved"
                )
            values = dict(values, project_id=project_id, version=version + 1, created_at=now())
            edit_id = self.insert_edit(cur, values)
            if row:
                cur.execute(
                    self.q("UPDATE project_state SET version = ?, current_edit = ? WHERE project_id = ?"),
                    (version + 1, edit_id, project_id),
                )
            else:
                cur.execute(
                    self.q("INSERT INTO project_state (project_id, version, current_edit) VALUES (?, ?, ?)"),
                    (project_id, version + 1, edit_id),
                )
            if self.before_commit is not None:
                self.before_commit()
        return next(e for e in self.history(project_id) if e.id == edit_id)

    def propose(
        self,
        project_id: str,
        expected_version: int,
        new: NewLocation,
        old: NewLocation | None,
        *,
        editor: str,
        source: str,
        comment: str = "",
    ) -> Edit:
        """Append an edit; EditConflictError if someone else saved since ``expected_version``."""
        values = {
            "kind": "edit",
            "editor": editor,
            "source": source,
            "comment": comment,
            "old_lon": old.lon if old else None,
            "old_lat": old.lat if old else None,
            "old_precision": old.precision if old else None,
            "old_adcode": old.adcode if old else None,
            "new_lon": new.lon,
            "new_lat": new.lat,
            "new_precision": new.precision,
            "new_adcode": new.adcode,
            "input_crs": new.input_crs,
            "input_lon": new.input_lon,
            "input_lat": new.input_lat,
            "reverts": None,
        }
        return self._write(project_id, expected_version, values)

    def revert(self, edit_id: int, expected_version: int, *, editor: str, reason: str) -> Edit:
        """Append a revert: the project's location becomes what it was before ``edit_id``."""
        target = next((e for e in self.all_edits() if e.id == edit_id), None)
        if target is None:
            raise StorageError(f"no edit {edit_id}")
        values = {
            "kind": "revert",
            "editor": editor,
            "source": f"revert of edit {edit_id}",
            "comment": reason,
            "old_lon": target.new_lon,
            "old_lat": target.new_lat,
            "old_precision": target.new_precision,
            "old_adcode": target.new_adcode,
            "new_lon": target.old_lon,
            "new_lat": target.old_lat,
            "new_precision": target.old_precision,
            "new_adcode": target.old_adcode,
            "input_crs": "WGS84",
            "input_lon": None,
            "input_lat": None,
            "reverts": edit_id,
        }
        return self._write(target.project_id, expected_version, values)


class SQLiteStore(CurationStore):
    """An embedded database file, created on first use."""

    migrations = SQLITE_MIGRATIONS

    def __init__(self, path: str | Path) -> None:
        self.path = check_store_path(path)  # a directory, a file in the way, read-only → StorageError
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the database folder: {exc.strerror}", path=str(self.path)) from None
        self.migrate()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Cursor]:
        try:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the curation database: {exc}", path=str(self.path)) from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("BEGIN IMMEDIATE")  # one writer at a time: the version check and the insert are atomic
            cur = conn.cursor()
            try:
                yield cur
            except BaseException:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # SQLite already rolled back (e.g. disk full): report the original error, not this one
                raise
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StorageError(f"curation database error: {exc}", path=str(self.path)) from None
        finally:
            conn.close()

    def insert_edit(self, cur: sqlite3.Cursor, values: dict[str, Any]) -> int:
        cols = [c for c in EDIT_COLUMNS if c != "id"]
        cur.execute(
            f"INSERT INTO edits ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})", [values[c] for c in cols]
        )
        return int(cur.lastrowid)


class PostgresStore(CurationStore):
    """PostgreSQL + PostGIS for a planning bureau with several editors."""

    placeholder = "%s"
    migrations = POSTGRES_MIGRATIONS

    def __init__(self, url: str) -> None:
        try:
            import psycopg  # noqa: PLC0415 - optional PostgreSQL driver, needed only for a postgresql:// store
        except ImportError as exc:  # pragma: no cover
            raise StorageError("PostgreSQL support needs psycopg (pip install psycopg[binary])") from exc
        self.url = url
        self._psycopg = psycopg
        self.migrate()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        psycopg = self._psycopg
        try:
            conn = psycopg.connect(self.url, connect_timeout=10)
        except psycopg.Error as exc:
            raise StorageError(f"cannot connect to the curation database: {str(exc).splitlines()[0]}") from None
        try:
            with conn.transaction(), conn.cursor() as cur:
                yield cur
        except psycopg.Error as exc:
            raise StorageError(f"curation database error: {str(exc).splitlines()[0]}") from None
        finally:
            conn.close()

    def lock_state(self, cur: Any, project_id: str) -> None:
        # serialise writers of this project, including its very first edit (no state row yet)
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (project_id,))

    def insert_edit(self, cur: Any, values: dict[str, Any]) -> int:
        cols = [c for c in EDIT_COLUMNS if c != "id"]
        geom = "ST_SetSRID(ST_MakePoint(%s, %s), 4326)" if values["new_lon"] is not None else "NULL"
        args = [values[c] for c in cols] + (
            [values["new_lon"], values["new_lat"]] if values["new_lon"] is not None else []
        )
        cur.execute(
            f"INSERT INTO edits ({', '.join(cols)}, geom) VALUES ({', '.join('%s' for _ in cols)}, {geom}) RETURNING id",
            args,
        )
        return int(cur.fetchone()[0])


def default_sqlite_path() -> Path:
    return current().SQLITE


def open_store(url: str | None = None) -> CurationStore:
    """PostgreSQL when a postgresql:// URL is given (or ATLAS_DB_URL), else the SQLite file under ATLAS_DATA_DIR."""
    url = url or current().db_url or ""
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresStore(url)
    if url.startswith("sqlite:///"):
        return SQLiteStore(url[len("sqlite:///") :])
    if url:
        return SQLiteStore(url)
    return SQLiteStore(default_sqlite_path())
