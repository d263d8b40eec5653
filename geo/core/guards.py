"""Command-line guards: argument types that refuse NaN/negative values, and a quiet exit on a closed pipe."""

from __future__ import annotations

import argparse
import math
import os
import sys

#: The exit code of a command whose reader closed the pipe (128 + SIGPIPE, as a shell reports it).
BROKEN_PIPE_EXIT = 141
MAX_KM = 1000.0  # the whole city is ~300 km across


def positive_km(text: str) -> float:
    """A distance in km: a finite number > 0 and ≤ MAX_KM (``nan``, ``inf``, ``-5`` and ``0`` are refused)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of kilometres") from None
    if not math.isfinite(value) or value <= 0 or value > MAX_KM:
        raise argparse.ArgumentTypeError(f"{text!r}: give a distance in km greater than 0 and at most {MAX_KM:g}")
    return value


def quiet_broken_pipe() -> int:
    """After BrokenPipeError on stdout: point stdout at /dev/null (so the exit flush is silent), return 141."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout has no file descriptor (e.g. captured in tests)
        pass
    return BROKEN_PIPE_EXIT
