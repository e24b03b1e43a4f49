"""Wave 2 over HTTP against the real built index: law in force (status), highlight, follow-ups
(history), suggestions, helpful refusals, commentary cited by publisher, cross-references."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(built_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(built_settings), client=("127.0.0.1", 50000)) as test_client:
        yield test_client


def ask(client: TestClient, question: str, **extra: Any) -> dict[str, Any]:
    response = client.post("/ask", json={"question": question, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_every_unit_of_the_article_says_it_is_no_longer_in_force(client: TestClient) -> None:
    units = client.get("/articles/L321-4-2").json()
    assert len(units) == 9
    for unit in units:
        status = unit["status"]
        assert status["in_force"] is False
        assert status["authentic"] == ["fr"]
        assert status["since"] == "2011-09-01"
        assert "contrat de sécurisation professionnelle" in status["note"]["fr"]
        assert "contrat de sécurisation professionnelle" in status["note"]["en"]
        assert "http" in status["origin"]  # a named public page, not a memory
        assert status["citation"]["fr"].startswith("Code du travail, anc. art. L. 321-4-2, ")
        assert status["citation"]["en"].startswith("French Labour Code, former Article L321-4-2, ")
        # the contract's citation is kept as it was
        assert unit["citation"]["fr"].startswith("Code du travail, art. L. 321-4-2, ")


def test_highlight_marks_the_sentence_that_answers(client: TestClient) -> None:
    body = ask(client, "Quel est le statut du salarié pendant la convention de reclassement ?")
    top = next(r for r in body["results"] if r["id"] == "L321-4-2.I.3")
    start, end = top["highlight"]["fr"]
    assert "stagiaire de la formation professionnelle" in top["fr"]["text"][start:end]
    start, end = top["highlight"]["en"]
    assert "vocational training trainee" in top["en"]["text"][start:end]
    for result in body["results"]:
        for lang in ("fr", "en"):
            span = result["highlight"][lang]
            if span is not None:
                assert 0 <= span[0] < span[1] <= len(result[lang]["text"])


def test_highlight_does_not_cut_at_article_numbers(client: TestClient) -> None:
    body = ask(client, "Que doit verser l'employeur qui ne propose pas la convention ?")
    top = next(r for r in body["results"] if r["id"] == "L321-4-2.II.1")
    start, end = top["highlight"]["fr"]
    marked = top["fr"]["text"][start:end]
    assert marked.startswith("II.-Tout employeur") and "L. 321-4-3" in marked


def test_weak_results_are_marked(client: TestClient) -> None:
    results = ask(client, "Qu’est-ce que l’outplacement ?")["results"]
    assert results[0]["weak"] is False
    assert all(isinstance(r["weak"], bool) for r in results)


def test_follow_up_uses_the_earlier_turns(client: TestClient) -> None:
    first = ask(client, "Does accepting the redeployment agreement end the employment contract?")
    history = [{"question": first["question"], "ids": [r["id"] for r in first["results"]]}]
    body = ask(client, "with notice?", history=history)
    assert body["answered"]
    assert "L321-4-2.I.4" in [r["id"] for r in body["results"][:3]]
    assert body["followup"]["turns"] == 1


@pytest.mark.parametrize("history, words", [
    ([{"question": "a", "ids": []}] * 11, ["history", "10"]),
    ([{"ids": ["x"]}], ["question"]),
    ([{"question": "a", "ids": "L321-4-2.I.1"}], ["ids"]),
    ("not a list", ["history"]),
])
def test_bad_history_is_422(client: TestClient, history: Any, words: list[str]) -> None:
    response = client.post("/ask", json={"question": "et si je refuse ?", "history": history})
    assert response.status_code == 422
    error = response.json()["error"]
    for word in words:
        assert word in error


def test_suggest_completes_in_the_asked_language(client: TestClient) -> None:
    fr = client.get("/suggest", params={"q": "conv", "lang": "fr"}).json()["suggestions"]
    assert 1 <= len(fr) <= 8
    assert all("conv" in s.lower() for s in fr)
    en = client.get("/suggest", params={"q": "who pa", "lang": "en"}).json()["suggestions"]
    assert en and all(s.lower().startswith("who pa") or "who" in s.lower() for s in en)
    assert not any("convention" in s for s in en)
    empty = client.get("/suggest", params={"q": "", "lang": "en"}).json()["suggestions"]
    assert 1 <= len(empty) <= 8
    assert client.get("/suggest", params={"q": "x", "lang": "de"}).status_code == 422


def test_refusal_suggests_questions_and_where_to_go(client: TestClient) -> None:
    body = ask(client, "Mon propriétaire peut-il augmenter mon loyer cette année ?")
    assert body["answered"] is False
    assert 2 <= len(body["suggestions"]) <= 3
    assert all(isinstance(q, str) and q.endswith("?") for q in body["suggestions"])
    assert body["elsewhere"] and "logement" in body["elsewhere"][0]["pointer"]
    # each suggested question is itself answered
    for question in body["suggestions"]:
        assert ask(client, question)["answered"], question


def test_the_successor_scheme_gets_the_status_note(client: TestClient) -> None:
    body = ask(client, "On me propose un contrat de sécurisation professionnelle, que faire ?")
    assert "remplacée par le contrat de sécurisation professionnelle" in body["message"]
    assert body["status_note"]["origin"]
    assert body["results"] and all(r["status"]["in_force"] is False for r in body["results"])


def test_commentary_is_cited_by_publisher_and_title(client: TestClient) -> None:
    body = ask(client, "Qu’est-ce que l’outplacement ?")
    commentary = [r for r in body["results"] if r["kind"] == "commentary"]
    assert commentary
    for result in commentary:
        cited = result["citation"]["fr"] or result["citation"]["en"]
        assert ".txt" not in cited and ".html" not in cited
        assert result["provenance"]["title"]["origin"]
        assert result.get("jurisdiction") != "unspecified"
    eurotalents = [r for r in commentary if r["fr"]]
    assert eurotalents and eurotalents[0]["citation"]["fr"].startswith("Eurotalents, « ")


def test_cross_references_say_whether_the_corpus_holds_them(client: TestClient) -> None:
    unit = client.get("/passages/L321-4-2.I.4").json()
    refs = unit["xrefs"]["fr"]
    assert [r["text"] for r in refs] == ["L. 122-9", "L. 122-6"]
    assert all(r["article"] is None for r in refs)  # not in the sources
    for ref in refs:
        assert unit["fr"]["text"][ref["start"]:ref["end"]] == ref["text"]
    assert unit["related"] and all(r["id"] != unit["id"] for r in unit["related"])


def test_about_says_what_the_profile_says_the_sources_are(client: TestClient) -> None:
    """GET /about: the chat page's title, tagline, introduction, question-box example and
    example questions come from the profile beside the sources, with its origin."""
    from corpus.profile import load_profile
    from tests.conftest import SOURCES

    body = client.get("/about").json()
    about = load_profile(SOURCES).about
    for name in ("title", "tagline", "intro", "placeholder"):
        assert body[name] == about[name]
    assert body["examples"] == {lang: list(v) for lang, v in about["examples"].items()}
    assert body["origin"] and "Bilex team" in body["origin"]


def test_about_is_null_where_the_profile_says_nothing() -> None:
    from api.routes.sources import about_body
    from corpus.profile import Profile

    assert about_body(Profile()) == {"title": None, "tagline": None, "intro": None,
                                     "placeholder": None, "examples": None, "origin": None}
