"""Which text is the law, as a card and an article page say it: from each source's authority
(`status.authentic`), never assumed French. The server's answers are taken as they are and
only their authority (or their citation) is changed on the way to the page, so the page's own
reading of them is what is tested."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.conftest import open_page
from tests.e2e.test_chat import FR_QUESTION, ask

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _rewritten(change: Callable[[dict[str, Any]], None]) -> Callable[[Any], None]:
    """A route handler that fetches the real answer and applies `change` to each result."""
    def handle(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        for result in body["results"] if isinstance(body, dict) else body:
            change(result)
        route.fulfill(response=response, body=json.dumps(body),
                      headers={**response.headers, "content-type": "application/json"})
    return handle


@pytest.mark.parametrize(("authentic", "fr_label", "en_label"), [
    (["fr"], "Français — texte faisant foi", "Traduction anglaise — le texte français fait foi"),
    (["en", "fr"], "Français — fait foi, comme l’anglais", "Anglais — fait foi, comme le français"),
    (["en"], "Traduction française — le texte anglais fait foi", "Anglais — texte faisant foi"),
    ([], "Français", "Anglais"),
])
def test_each_side_says_whether_it_is_the_law(page: Any, authentic: list[str], fr_label: str,
                                              en_label: str) -> None:
    def authority(result: dict[str, Any]) -> None:
        if result.get("status"):
            result["status"]["authentic"] = authentic

    page.route("**/ask", _rewritten(authority))
    card = ask(page, FR_QUESTION).locator(".card.statute").first
    card.wait_for()
    assert card.locator(".side-fr .side-label").text_content() == fr_label
    assert card.locator(".side-en .side-label").text_content() == en_label
    footer = page.locator(".page-foot").inner_text()
    assert "Chaque fiche dit quel texte fait foi" in footer and "français fait foi" not in footer


def test_an_act_page_is_titled_by_the_act_an_article_page_by_its_code(context: Any) -> None:
    def act(result: dict[str, Any]) -> None:
        result["citation"] = {"fr": "Loi sur les gadgets, L.C. 1999, ch. 9, art. 3(2), note marginale",
                              "en": "Widget Act, S.C. 1999, c. 9, s. 3(2), marginal note"}

    for article_page in open_page(context, "/article.html?id=L321-4-2"):
        assert article_page.locator("#article-title").inner_text() == (
            "Article L. 321-4-2 du Code du travail")
        # an article's card names its alinéa
        assert article_page.locator(".card-title").first.inner_text() == "Art. L. 321-4-2, I, al. 1"
    context.route("**/articles/L321-4-2", _rewritten(act))
    for act_page in open_page(context, "/article.html?id=L321-4-2"):
        assert act_page.locator("#article-title").inner_text() == "Loi sur les gadgets (L321-4-2)"
        # an act's card names its provision as the citation ends
        assert act_page.locator(".card-title").first.inner_text() == (
            "L321-4-2, art. 3(2), note marginale")


def test_the_page_says_what_the_profile_says_the_sources_are(context: Any) -> None:
    """The chat page's title, introduction and example chips come from GET /about (the
    profile beside the sources); where it says nothing, the page says nothing about any
    particular law and shows no example chips."""
    from corpus.profile import load_profile
    from tests.conftest import SOURCES

    about = load_profile(SOURCES).about
    for page in open_page(context, "/"):
        assert page.title() == about["title"]["fr"]
        assert page.locator(".intro").inner_text() == about["intro"]["fr"]
        assert page.locator("#examples .example").all_inner_texts() == list(about["examples"]["fr"])
        assert page.locator("#question").get_attribute("placeholder") == about["placeholder"]["fr"]
    empty = {"title": None, "tagline": None, "intro": None, "placeholder": None,
             "examples": None, "origin": None}
    context.route("**/about", lambda route: route.fulfill(json=empty))
    for page in open_page(context, "/"):
        intro = page.locator(".intro").inner_text()
        assert intro.startswith("Posez une question sur les textes que Bilex sert")
        assert "Code du travail" not in page.locator("body").inner_text()
        assert page.locator("#examples-row").is_hidden()


def test_a_law_not_served_is_said_above_the_passages_citing_it(page: Any) -> None:
    """`cited_law` (a provision of a law the sources do not hold, answered by the passages
    that cite it) is shown as a line of its own, in the answer's language."""
    message = "The sources do not hold the text of: Widget Act. Here are the passages…"

    def handle(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        body["cited_law"] = {"laws": ["Widget Act"], "message": message}
        route.fulfill(response=response, body=json.dumps(body),
                      headers={**response.headers, "content-type": "application/json"})

    page.route("**/ask", handle)
    line = ask(page, FR_QUESTION).locator(".cited-law")
    line.wait_for()
    assert line.inner_text() == message and line.get_attribute("lang") == "fr"
