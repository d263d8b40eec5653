"""Named errors of the atlas: every failure a user can cause has one of these."""

from __future__ import annotations


class AtlasError(Exception):
    """Base class: a problem the user can fix, reported as one line, never a traceback."""

    exit_code = 1

    def __init__(self, message: str, *, path: str | None = None) -> None:
        self.path = path
        super().__init__(message)

    def one_line(self) -> str:
        text = " ".join(str(self).split())
        return f"{self.path}: {text}" if self.path and not text.startswith(str(self.path)) else text


class InputFileError(AtlasError):
    """A file is missing, unreadable, empty or not in the expected format."""

    exit_code = 2


class PlanParseError(InputFileError):
    """The plan text does not have the structure the parser needs (e.g. no boxes)."""


class ValidationError(AtlasError):
    """A data file breaks its schema; ``problems`` holds one line per problem."""

    exit_code = 3

    def __init__(self, message: str, *, path: str | None = None, problems: list[str] | None = None) -> None:
        super().__init__(message, path=path)
        self.problems = problems or []


class NonFiniteNumberError(ValidationError, ValueError):
    """A number is NaN or infinite where JSON needs a finite one (a coordinate, or a NaN/Infinity constant)."""


class UnvendoredAssetError(AtlasError):
    """A map element wants a script or stylesheet that is not vendored (it would need the internet)."""


class GazetteerError(AtlasError):
    """A place named in a rule, waypoint or correction is not in the gazetteer."""

    exit_code = 4


class GeocodeError(AtlasError):
    """Text cannot be geocoded at all (e.g. empty input)."""

    exit_code = 5


class BuildCheckError(AtlasError):
    """Committed outputs differ from what the build produces."""

    exit_code = 6

    def __init__(self, message: str, *, stale: list[str] | None = None) -> None:
        super().__init__(message)
        self.stale = stale or []


class StorageError(AtlasError):
    """The curation database refused or failed an operation."""

    exit_code = 7


class EditConflictError(StorageError):
    """Another editor changed the project since this editor loaded it."""


class StatsArgumentError(AtlasError, ValueError):
    """A statistics function was called with an argument it does not know (e.g. an unknown counting mode)."""


class AuthError(AtlasError):
    """Wrong or missing editor token, or too many attempts."""

    exit_code = 8


class MissingString(KeyError):
    """A UI string key that is not in the table (a bug, not a user error: every string must be translated)."""


class OutputPathError(AtlasError, OSError):
    """An output path cannot be written (a directory, read-only, a file in the way, the input itself, disk full).

    Also an OSError, so code that already catches OSError around a write keeps working.
    """

    exit_code = 9


class AuditError(AtlasError):
    """``python -m geo audit`` found a failed truth check (provenance, pins, lines, layer agreement, conflicts…)."""

    exit_code = 10
