"""Arrays that `bilex build` saves for the bot, each file keyed by what it was made from.

A key (a hash of the inputs and of the code that made them) is stored beside the arrays; a
file whose key differs, or that is not a readable npz, is not used, and the bot computes what
it needs itself.
"""

from __future__ import annotations

import io

import numpy as np


def dump_keyed(key: str, **arrays: np.ndarray) -> bytes:
    """`arrays` and `key` as the bytes of one npz file (no pickles)."""
    out = io.BytesIO()
    np.savez(out, allow_pickle=False, key=np.array(key), **arrays)
    return out.getvalue()


def load_keyed(blob: bytes | None, key: str, *names: str) -> dict[str, np.ndarray] | None:
    """The arrays `names` of a `dump_keyed` file made with `key`; None when there is no
    file, it was made from other inputs or code, or it is not a readable npz holding them."""
    if not blob:
        return None
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as data:
            if str(data["key"]) != key:
                return None
            return {name: np.asarray(data[name]) for name in names}
    except (OSError, ValueError, KeyError, EOFError):
        return None
