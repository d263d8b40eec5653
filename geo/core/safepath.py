"""Input and output path checks before any work starts: regular files only, size limits, writable targets."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from geo.core.config import MAX_INPUT_ENV, current
from geo.core.errors import InputFileError, OutputPathError, StorageError

DEFAULT_MAX_INPUT_MB = 40


def max_input_bytes(default: int | None = None) -> int:
    """The input size limit: ATLAS_MAX_INPUT_MB (a positive number of megabytes) or ``default`` bytes (40 MB)."""
    raw = current().max_input_mb
    if raw:
        try:
            mb = float(raw)
        except ValueError:
            mb = -1
        if not (mb > 0 and mb < 1e9):
            raise InputFileError(f"{MAX_INPUT_ENV}={raw!r} is not a positive number of megabytes")
        return int(mb * 1024 * 1024)
    return default if default is not None else DEFAULT_MAX_INPUT_MB * 1024 * 1024


def _kind(mode: int) -> str | None:
    """What a non-regular file is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a FIFO (named pipe), not a regular file: refused so the read cannot hang"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file (e.g. /dev/zero never ends): refused"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    return "is not a regular file"


def _too_big(size: int, limit: int) -> str:
    mb = 1024 * 1024
    return (
        f"file is {size // mb} MB, over the {limit // mb} MB limit (set {MAX_INPUT_ENV} to raise it)"
        if limit >= mb
        else f"file is {size} bytes, over the {limit}-byte limit (set {MAX_INPUT_ENV} to raise it)"
    )


def check_input(path: str | Path, *, max_bytes: int | None = None) -> Path:
    """A readable regular file not over the size limit, or InputFileError naming the path and the reason.

    Symlinks are followed: a link to /dev/zero is a device and refused; a FIFO is refused without opening it.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise InputFileError("file not found", path=str(p)) from None
    except NotADirectoryError:
        raise InputFileError("file not found (a parent is a file, not a directory)", path=str(p)) from None
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror}", path=str(p)) from None
    reason = _kind(st.st_mode)
    if reason:
        raise InputFileError(reason, path=str(p))
    limit = max_input_bytes(max_bytes)
    if st.st_size > limit:
        raise InputFileError(_too_big(st.st_size, limit), path=str(p))
    return p


def read_input_bytes(path: str | Path, *, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file, refusing specials and oversize files before and while reading (no hang)."""
    p = check_input(path, max_bytes=max_bytes)
    limit = max_input_bytes(max_bytes)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a FIFO swapped in after the check cannot block
    except OSError as exc:
        raise InputFileError(f"cannot read file: {exc.strerror}", path=str(p)) from None
    with os.fdopen(fd, "rb") as handle:
        reason = _kind(os.fstat(handle.fileno()).st_mode)
        if reason:
            raise InputFileError(reason, path=str(p))
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputFileError(f"cannot read file: {exc.strerror}", path=str(p)) from None
    if len(data) > limit:
        raise InputFileError(_too_big(len(data), limit), path=str(p))
    return data


def _existing_ancestor(p: Path) -> Path:
    for parent in p.parents:
        if os.path.lexists(parent):
            return parent
    return Path(".")  # pragma: no cover - a relative path's root


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        return False
    return a.resolve() == b.resolve()


def _target_problem(p: Path) -> str | None:
    """Why a file cannot be written at ``p`` (None when it can, as far as can be known before writing)."""
    if os.path.lexists(p):
        try:
            mode = p.stat().st_mode
        except OSError as exc:
            return f"cannot be used: {exc.strerror}"
        if stat.S_ISDIR(mode):
            return "is a directory: give a file name"
        if not stat.S_ISREG(mode):
            return "is not a regular file (a FIFO, device or socket): refused as an output"
    ancestor = _existing_ancestor(p)
    if not ancestor.is_dir():
        return f"cannot be created: {ancestor} is a file, not a directory"
    if not os.access(ancestor, os.W_OK | os.X_OK):
        # os.access reports a read-only file system for every user, a read-only directory for non-root users
        return f"cannot be written: {ancestor} is read-only (the directory or its file system)"
    return None


def check_output(
    path: str | Path, *, inputs: Iterable[str | Path] = (), force: bool = False, what: str = "output"
) -> Path:
    """An output path that can be written and is none of ``inputs`` (unless ``force``), or OutputPathError."""
    p = Path(path)
    for source in inputs:
        if _same_file(p, Path(source)) and not force:
            raise OutputPathError(
                f"the {what} is the input file {source}: refusing to overwrite it (choose another -o, or pass --force)",
                path=str(p),
            )
    reason = _target_problem(p)
    if reason:
        raise OutputPathError(f"{what} {reason}", path=str(p))
    return p


def output_error(path: str | Path, exc: OSError) -> OutputPathError:
    """A named error for an OSError while writing ``path`` (full disk, permission, read-only file system, …)."""
    reason = {
        errno.ENOSPC: "the disk is full",
        errno.EDQUOT: "the disk quota is exceeded",
        errno.EROFS: "the file system is read-only",
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EISDIR: "is a directory",
        errno.ENOTDIR: "a parent is a file, not a directory",
        errno.EEXIST: "a file is in the way of a directory",
    }.get(exc.errno, exc.strerror or type(exc).__name__)
    return OutputPathError(f"cannot write: {reason}; the previous file (if any) is unchanged", path=str(path))


def check_store_path(path: str | Path) -> Path:
    """A curation database path that can be opened for writing, or StorageError naming the path and the reason."""
    p = Path(path)
    reason = _target_problem(p)
    if reason is None and p.exists() and not os.access(p, os.R_OK | os.W_OK):
        reason = "the database file is not readable and writable"
    if reason:
        raise StorageError(f"curation database path {reason}", path=str(p))
    return p
