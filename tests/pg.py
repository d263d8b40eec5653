"""A throwaway PostgreSQL + PostGIS server for the curation tests (Debian packages; started as the postgres user)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return str(Path(found[-1]).parent) if found else None


def postgis_available() -> bool:
    return bool(glob.glob("/usr/share/postgresql/*/extension/postgis.control"))


class TempPostgres:
    """initdb + pg_ctl in a temporary directory on a free loopback port; ``url`` connects as a superuser."""

    def __init__(self) -> None:
        self.bin = bindir()
        if self.bin is None or not postgis_available():
            raise RuntimeError("PostgreSQL/PostGIS not installed (Debian: postgresql postgis)")
        self.dir = Path(tempfile.mkdtemp(prefix="atlas-pg-"))
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0  # the server refuses to run as root

    def _run(self, *cmd: str) -> None:
        full = ["runuser", "-u", "postgres", "--", *cmd] if self.as_postgres else list(cmd)
        subprocess.run(full, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> str:
        data = self.dir / "data"
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(f"{self.bin}/initdb", "-D", str(data), "-A", "trust", "-U", "atlas", "--no-sync")
        self._run(
            f"{self.bin}/pg_ctl",
            "-D",
            str(data),
            "-w",
            "-l",
            str(self.dir / "log"),
            "-o",
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )
        self._run(f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "atlas", "atlas_test")
        return f"postgresql://atlas@127.0.0.1:{self.port}/atlas_test"

    def new_database(self, name: str) -> str:
        self._run(f"{self.bin}/createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "atlas", name)
        return f"postgresql://atlas@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        try:
            self._run(f"{self.bin}/pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
