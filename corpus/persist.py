"""The built corpus on disk: written atomically, read back with clear errors."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from corpus.errors import CorpusError
from corpus.models import Corpus

FORMAT_VERSION = 2


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write text (UTF-8) or bytes to `path` through a temporary file and a rename (never
    half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_corpus(corpus: Corpus, path: Path, fingerprint: str) -> None:
    """Save the corpus as JSON with the sources' fingerprint, atomically."""
    payload = {"format": FORMAT_VERSION, "fingerprint": fingerprint, **corpus.to_dict()}
    write_atomic(path, json.dumps(payload, ensure_ascii=False, indent=1))


def load_corpus(path: Path) -> tuple[Corpus, str]:
    """The saved corpus and the fingerprint of the sources it was built from."""
    try:
        # bytes: json decodes UTF-8 itself, without text mode's newline pass (0.1 s on acts)
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise CorpusError(f"{path}: no built corpus; run `bilex build`") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise CorpusError(f"{path}: corrupt corpus file; run `bilex build`") from None
    if data.get("format") != FORMAT_VERSION:
        raise CorpusError(f"{path}: built by another Bilex version; run `bilex build`")
    try:
        return Corpus.from_dict(data), str(data.get("fingerprint", ""))
    except (KeyError, TypeError) as exc:
        raise CorpusError(f"{path}: corrupt corpus file ({exc}); run `bilex build`") from None
