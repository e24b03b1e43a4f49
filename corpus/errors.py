"""Errors raised by the corpus layer.

    CorpusError                 base: anything the corpus cannot build from
    ├── SourceError             a source file is missing, empty, undecodable or malformed
    ├── ManifestError           a source manifest (TOML) is missing a field or is invalid
    └── LayoutError             a text's structure is not one Bilex knows (or sides differ)

Each message names the file and says what to fix, in one line.
"""

from __future__ import annotations


class CorpusError(Exception):
    """Base class: the corpus cannot be built from what it was given."""


class SourceError(CorpusError):
    """A source file is missing, empty, not UTF-8 text, or cannot be parsed."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class ManifestError(CorpusError):
    """A source manifest is missing, malformed, or names a file that does not exist."""


class LayoutError(CorpusError):
    """A text does not follow a layout Bilex can split (article or consolidated act)."""
