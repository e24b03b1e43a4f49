"""The translators' review page in a real Chromium against a real server: filter, move with the
keyboard, report a misalignment, see it listed — with no script error or CSP violation."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import open_page

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# Saved where CI keeps artefacts (not the tracked copy in docs/screenshots/, refreshed by hand).
SCREENSHOT = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "align.png"
ALL = ["L321-4-2.I.1", "L321-4-2.I.2", "L321-4-2.I.3", "L321-4-2.I.4", "L321-4-2.I.5",
       "L321-4-2.I.6", "L321-4-2.I.7", "L321-4-2.I.8", "L321-4-2.II.1"]
FLAGGED = ["L321-4-2.I.4", "L321-4-2.I.5"]
# Every form control must have an accessible name (a label, aria-label or aria-labelledby).
UNLABELLED = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute('aria-label')
                 && !c.getAttribute('aria-labelledby') && !c.textContent.trim())
  .map((c) => c.outerHTML)"""


@pytest.fixture()
def review(context: Any) -> Iterator[Any]:
    """The review page, loaded; console warnings fail the test too."""
    yield from open_page(context, "/align", ("error", "warning"))


def row_ids(page: Any) -> list[str]:
    return [str(i) for i in page.locator(".review-row").evaluate_all("rows => rows.map(r => r.dataset.id)")]


def test_filter_navigate_and_report(review: Any) -> None:
    page = review
    expect(page.locator(".review-row")).to_have_count(9)
    assert row_ids(page) == ALL
    assert page.get_by_label("Article ou loi").input_value() == "L321-4-2"
    # the act selector shows the French title in the French interface
    assert page.locator("#article option").first.inner_text() == "L321-4-2 — Code du travail"
    assert page.evaluate(UNLABELLED) == []

    # French | English side by side, with citations, confidence and readable flags.
    row = page.locator('[data-id="L321-4-2.I.4"]')
    fr, en = row.locator(".side-fr"), row.locator(".side-en")
    assert fr.get_attribute("lang") == "fr" and en.get_attribute("lang") == "en"
    assert fr.locator(".citation").inner_text() == "Code du travail, art. L. 321-4-2, I, al. 4"
    assert en.locator(".citation").inner_text().startswith("French Labour Code, Article L321-4-2, I, para. 4")
    # which text is the law, from the article's manifest (its status), as the chat says it
    assert fr.locator(".side-label").text_content() == "Français — texte faisant foi"
    assert en.locator(".side-label").text_content() == "Traduction anglaise — le texte français fait foi"
    fr_box, en_box = fr.bounding_box(), en.bounding_box()
    assert en_box["x"] >= fr_box["x"] + fr_box["width"] - 2 and abs(en_box["y"] - fr_box["y"]) < 2
    assert row.locator(".review-ref").inner_text() == "Section I · n° 4"
    assert "73 %" in row.locator(".confidence").inner_text()
    flag = row.locator(".flag.warn").inner_text()
    assert flag.endswith("Un terme est traduit de plusieurs façons dans l’article")
    assert "term_inconsistent" not in row.inner_text()

    # Filter by flag: the two units where a term is rendered two ways.
    page.get_by_label("Alerte de dérive (détectée automatiquement)").select_option("term_inconsistent")
    expect(page.locator(".review-row")).to_have_count(2)
    assert row_ids(page) == FLAGGED
    assert "flag=term_inconsistent" in page.url
    expect(page.locator("#summary")).to_have_text("2 unités affichées sur 9")

    # Keyboard: j/k and the arrows move the focus between rows.
    page.locator("#flag").blur()
    first, second = page.locator(f'[data-id="{FLAGGED[0]}"]'), page.locator(f'[data-id="{FLAGGED[1]}"]')
    page.keyboard.press("j")
    expect(first).to_be_focused()
    page.keyboard.press("j")
    expect(second).to_be_focused()
    page.keyboard.press("k")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(second).to_be_focused()
    assert second.get_attribute("tabindex") == "0" and first.get_attribute("tabindex") == "-1"
    page.keyboard.press("ArrowDown")  # stays on the last row
    expect(second).to_be_focused()

    # Enter opens the report form for the focused row.
    page.keyboard.press("Enter")
    dialog = page.locator("#report-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#report-unit")).to_contain_text("L321-4-2.I.5")
    assert page.evaluate(UNLABELLED) == []
    page.get_by_role("button", name="Envoyer le signalement").click()  # no reason chosen yet
    expect(page.locator("#report-error")).to_have_text("Choisissez un motif.")
    page.get_by_role("radio", name="Autre").check()
    page.get_by_role("button", name="Envoyer le signalement").click()  # "other" needs a comment
    expect(page.locator("#report-error")).to_contain_text("un commentaire est nécessaire")
    expect(page.get_by_label("Commentaire")).to_be_focused()
    page.get_by_label("Dérive de traduction").check()
    comment = f"« délai-congé » rendu deux fois ({uuid.uuid4().hex[:8]})"
    page.get_by_label("Commentaire").fill(comment)
    expect(page.locator("#report-count")).to_have_text(f"{2000 - len(comment)} caractères restants")
    page.get_by_role("button", name="Envoyer le signalement").click()

    # The report is stored and listed, newest first; the focus is back on the row.
    expect(dialog).to_be_hidden()
    newest = page.locator("#reports .report-item").first
    expect(newest).to_contain_text("L321-4-2.I.5")
    expect(newest).to_contain_text("Dérive de traduction")
    expect(newest.locator(".report-comment")).to_have_text(comment)
    expect(second).to_be_focused()
    expect(second.locator(".reported-badge")).to_be_visible()
    expect(page.locator("#status")).to_have_text("Signalement enregistré pour L321-4-2.I.5.")
    stored = page.request.get("/align/reports").json()
    assert stored[0]["unit_id"] == "L321-4-2.I.5" and stored[0]["comment"] == comment
    assert stored[0]["reason"] == "translation_drift"
    assert stored[0]["citation"]["fr"] == "Code du travail, art. L. 321-4-2, I, al. 5"

    # Units with a reviewer's report (not a drift flag): the filter and the exports follow it.
    page.get_by_label("Signalées par un relecteur seulement").check()
    expect(page.locator(".review-row .reported-badge").first).to_be_visible()
    reported = row_ids(page)
    assert "L321-4-2.I.5" in reported and set(reported) <= set(FLAGGED)
    assert "reported=true" in page.url
    href = page.locator("#export-csv").get_attribute("href") or ""
    assert "flag=term_inconsistent" in href and "reported=true" in href
    exported = page.request.get(href).body().decode("utf-8-sig").splitlines()[1:]
    assert [line.split('","')[0].strip('"') for line in exported] == reported
    # the rows are replaced when the filtered list arrives: focus one of the new rows
    with page.expect_response(lambda response: "/align/units?" in response.url):
        page.get_by_label("Signalées par un relecteur seulement").uncheck()
    expect(page.locator(".review-row")).to_have_count(2)
    page.locator(f'[data-id="{FLAGGED[1]}"]').focus()

    # Escape closes the form without reporting.
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(second).to_be_focused()
    assert len(page.request.get("/align/reports").json()) == len(stored)

    # The glossary flags délai-congé as inconsistent.
    variant = page.locator("#glossary-rows tr.inconsistent")
    expect(variant).to_have_count(1)
    expect(variant).to_contain_text("durée légale du délai-congé")
    expect(variant).to_contain_text("legal notice period / statutory period of leave")

    # The screenshot in the docs: the flagged units, a report just made.
    page.set_viewport_size({"width": 1280, "height": 1640})
    page.mouse.wheel(0, -10_000)  # back to the top, the focus stays on the row
    page.wait_for_timeout(250)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000


def test_confidence_threshold_and_links(review: Any) -> None:
    page = review
    expect(page.locator(".review-row")).to_have_count(9)
    threshold = page.get_by_label("Confiance inférieure à")
    threshold.focus()
    for _ in range(5):  # 100 % -> 75 %
        page.keyboard.press("ArrowLeft")
    expect(page.locator("#max-confidence-value")).to_have_text("75 %")
    expect(page.locator(".review-row")).to_have_count(1)
    assert row_ids(page) == ["L321-4-2.I.4"]
    assert "below=75" in page.url
    # the exports hold the units shown
    assert page.locator("#export-tmx").get_attribute("href") == \
        "/align/export.tmx?article=L321-4-2&max_confidence=0.75"
    sentences = page.locator("#export-tmx-sentences").get_attribute("href") or ""
    assert "segments=sentence" in sentences and "max_confidence=0.75" in sentences
    shown = page.request.get(page.locator("#export-tmx").get_attribute("href") or "")
    assert shown.ok and shown.text().count("<tu ") == 1
    tmx = page.request.get("/align/export.tmx?article=L321-4-2")
    assert tmx.ok and tmx.text().count("<tu ") == 9
    page.reload()  # the filters are kept in the address
    page.wait_for_selector("body.ready")
    expect(page.locator(".review-row")).to_have_count(1)
    assert page.get_by_label("Confiance inférieure à").input_value() == "75"


def test_english_interface(review: Any) -> None:
    page = review
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(page.get_by_role("heading", level=1)).to_have_text("Alignment review")
    assert page.locator("#article option").first.inner_text() == "L321-4-2 — French Labour Code"
    page.get_by_label("Drift flag (detected automatically)").select_option("any")
    expect(page.locator(".review-row")).to_have_count(2)
    expect(page.locator("#summary")).to_have_text("2 of 9 units shown")
    report = page.get_by_role("button", name="Report a misalignment — L321-4-2.I.4")
    report.click()
    expect(page.get_by_role("dialog")).to_be_visible()
    expect(page.get_by_label("Wrong pair")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_be_hidden()
