"""Keyed arrays saved by the build for the bot (bot/artifacts.py)."""

from __future__ import annotations

import numpy as np
import pytest

from bot.artifacts import dump_keyed, load_keyed


def test_arrays_come_back_only_for_their_key() -> None:
    blob = dump_keyed("k1", a=np.arange(3, dtype=np.float32), b=np.array(["x", "y"]))
    saved = load_keyed(blob, "k1", "a", "b")
    assert saved is not None
    assert saved["a"].dtype == np.float32 and saved["a"].tolist() == [0.0, 1.0, 2.0]
    assert saved["b"].tolist() == ["x", "y"]
    assert load_keyed(blob, "k2", "a") is None  # made from other inputs or code
    assert load_keyed(blob, "k1", "missing") is None
    assert load_keyed(b"not an npz", "k1", "a") is None
    assert load_keyed(None, "k1", "a") is None and load_keyed(b"", "k1", "a") is None
    # object arrays would need pickles: refused when written
    with pytest.raises(ValueError):
        dump_keyed("k1", c=np.array([{"a": 1}], dtype=object))
