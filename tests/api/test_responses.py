"""The JSON bodies of the hot routes are written by pydantic's serializer: the same JSON."""

from __future__ import annotations

import json
import math

from starlette.responses import JSONResponse

from api.responses import FastJSONResponse


def test_the_same_json_as_the_standard_library_compact_and_utf8() -> None:
    content = {"question": "Qu'est-ce qu'un « congé » ?", "answered": True, "k": 3,
               "results": [{"score": 0.1234567890123, "ids": ("L1.I.1", "L1.I.2"), "none": None},
                           {"score": 1e-07, "big": 12345678901234567890, "neg": -0.5}],
               "extra": {"ratio": 1.0, "empty": [], "nested": {"ß": "œ"}}}
    fast = FastJSONResponse(content)
    assert json.loads(fast.body) == json.loads(JSONResponse(content).body)
    assert "« congé »".encode() in fast.body  # UTF-8, not \u escapes
    # compact: as long as the standard library's compact form, but for "1e-07" written "1e-7"
    compact = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    assert len(fast.body) == len(compact) - 1
    assert fast.headers["content-type"] == "application/json"


def test_a_float_json_cannot_write_is_null_not_an_invalid_document() -> None:
    body = FastJSONResponse({"score": math.nan, "top": math.inf}).body
    assert json.loads(body) == {"score": None, "top": None}
