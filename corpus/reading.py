"""Reading source files safely: a missing, empty or undecodable file is a SourceError."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

from corpus.errors import SourceError


def read_text(path: Path) -> str:
    """The file's text as UTF-8, NFC-normalised; SourceError naming the file otherwise."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(str(path), "file not found") from None
    except IsADirectoryError:
        raise SourceError(str(path), "is a directory, expected a text file") from None
    except OSError as exc:
        raise SourceError(str(path), f"cannot be read ({exc.strerror})") from None
    if b"\x00" in data:
        raise SourceError(str(path), "is binary (NUL bytes), expected UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(
            str(path), f"is not valid UTF-8 (byte {exc.start}); save it as UTF-8 text"
        ) from None
    if not text.strip():
        raise SourceError(str(path), "is empty")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
