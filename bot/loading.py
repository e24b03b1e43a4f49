"""Putting a Bot together from a built corpus and index, its profile and its scope model."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from bot.engine import Bot, Mechanisms
from bot.scope import ScopeMismatch, ScopeModel, expected_provenance, load_scope
from corpus.models import Corpus
from corpus.profile import PROFILE_FILE, load_profile
from indexer.embedders import Embedder
from indexer.lexical import analysis_version
from indexer.store import Index

log = logging.getLogger(__name__)


def profile_hash(sources_dir: Path) -> str:
    """SHA-256 of the profile file ("" when there is none)."""
    path = sources_dir / PROFILE_FILE
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def scope_expectation(corpus: Corpus, embedder: Embedder, sources_dir: Path) -> dict[str, str]:
    """The provenance a fitted scope model must carry to serve this corpus."""
    return expected_provenance(embedder.name, corpus.corpus_hash, profile_hash(sources_dir),
                               analysis_version())


def make_bot(corpus: Corpus, index: Index, embedder: Embedder, *, sources_dir: Path,
             scope_dir: Path, mechanisms: Mechanisms | None = None,
             stored_scope: bytes | None = None, **options: Any) -> Bot:
    """The bot with the profile beside the sources and the scope model fitted for them
    (`stored_scope`, the one kept beside a shared index, before the one in `scope_dir`).

    A missing or mismatched scope model is refused (logged with what to run) and the bot
    answers with the uncalibrated prior; each answer says which one it used (`scope`)."""
    profile = load_profile(sources_dir)
    status = "calibrated"
    try:
        expected = scope_expectation(corpus, embedder, sources_dir)
        try:
            scope = load_scope(scope_dir, expected, stored_scope)
        except ScopeMismatch:
            if stored_scope is None:
                raise
            scope = load_scope(scope_dir, expected)  # this machine's own fit
    except ScopeMismatch as exc:
        log.info("%s", exc)  # also in every answer (`scope`) and in `bilex eval`
        scope, status = ScopeModel(), f"uncalibrated prior ({exc})"
    bot = Bot(corpus, index, embedder, profile, scope, mechanisms=mechanisms,
              scope_status=status, **options)
    for problem in profile.problems(frozenset(bot.phrasing.vocabulary)):
        log.info("profile: %s", problem)  # checked against the corpus it serves
    return bot
