"""Fitting the scope model for one corpus: k-fold cross-validation, out-of-fold figures.

Positives are the answerable questions of the given question files; negatives are their
out-of-scope questions plus any negative-only files (BSARD, near-domain questions). Each
question goes through the bot exactly as a user's would (phrasing, sub-questions, retrieval)
and its evidence becomes one row; the "neighbours" feature (how much nearer the question lies
to the in-scope examples than to the others) is recomputed in each fold from that fold's
training questions only, never from the question itself. A standardised logistic regression
(scikit-learn) is fitted on k-1 folds, its threshold chosen on those folds (the highest that still answers
IN_SCOPE_RECALL of their in-scope questions), and scored on the held-out fold; the figures
reported are these out-of-fold decisions only. The final model is fitted on every row.

A long post keeps the evidence of whichever reading (the whole post or one of its questions)
the scope model finds most confident, so the rows depend on a scope model. The first of
ROUNDS rounds reads them with the uncalibrated prior and each next round with the model the
last one fitted: the result depends on the corpus and the inputs only, never on the model the
data directory held before (which made refits drift from run to run).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from bot.engine import Bot
from bot.scope import FEATURES, Examples, ScopeModel

_VOTE = FEATURES.index("neighbours")

IN_SCOPE_RECALL = 0.97  # share of in-scope tuning questions the threshold must still answer
POSITIVE_WEIGHT = 3.0  # refusing a covered question costs more than answering an uncovered one
C = 0.5  # inverse regularisation strength
ROUNDS = 2  # evidence read with the prior, then with the model fitted on it


@dataclass(frozen=True)
class Sample:
    """One calibration question: in scope or not, and the set it comes from."""

    q: str
    lang: str | None
    positive: bool
    set_name: str


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def evidence_rows(bot: Bot, samples: Sequence[Sample]) -> tuple[np.ndarray, np.ndarray,
                                                                 list[str], np.ndarray]:
    """Features, labels, set names and question vectors of the samples the scope model
    decides (questions routed by a reference, definitions of the sources' terms, questions
    naming a served act, questions about other places and greetings are decided before it
    and left out)."""
    feats, labels, sets, vectors = [], [], [], []
    for s in samples:
        lang = s.lang or bot.ui_lang
        reading = bot.read(s.q, lang)
        if reading.greeting_only:
            continue
        _, evidence = bot.assess(reading, lang)
        if evidence.referenced or evidence.elsewhere or evidence.defined or evidence.named:
            continue
        feats.append(evidence.features())
        labels.append(1 if s.positive else 0)
        sets.append(s.set_name)
        vectors.append(bot.question_vector(reading, lang))
    if len(set(labels)) < 2:
        raise ValueError("calibration needs both in-scope and out-of-scope questions")
    return (np.array(feats, dtype=np.float64), np.array(labels), sets,
            np.array(vectors, dtype=np.float32))


def with_votes(x: np.ndarray, vectors: np.ndarray, examples: Examples,
               own: np.ndarray | None = None) -> np.ndarray:
    """`x` with its "neighbours" column computed from `examples`; `own[i]`: row i's own
    position among the examples (left out of its vote), or -1."""
    out = x.copy()
    for i, vector in enumerate(vectors):
        exclude = int(own[i]) if own is not None and own[i] >= 0 else None
        out[i, _VOTE] = examples.vote(vector, exclude)
    return out


def _fit_with_votes(x: np.ndarray, y: np.ndarray, vectors: np.ndarray) -> ScopeModel:
    """The model fitted on rows whose votes come from the other rows, keeping them all."""
    examples = Examples(vectors, y == 1)
    model = _fit(with_votes(x, vectors, examples, np.arange(len(y))), y)
    return ScopeModel(model.mean, model.scale, model.weights, model.bias, model.threshold,
                      examples=examples)


def _fit(x: np.ndarray, y: np.ndarray) -> ScopeModel:
    mean, scale = x.mean(0), x.std(0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    clf = LogisticRegression(C=C, class_weight={1: POSITIVE_WEIGHT, 0: 1.0}, max_iter=2000)
    clf.fit(z, y)
    p = clf.predict_proba(z)[:, 1]
    threshold = float(np.quantile(p[y == 1], 1 - IN_SCOPE_RECALL))
    threshold = min(max(threshold, 0.02), 0.98)
    return ScopeModel(tuple(float(v) for v in mean), tuple(float(v) for v in scale),
                      tuple(float(v) for v in clf.coef_[0]), float(clf.intercept_[0]),
                      threshold)


def _decide(model: ScopeModel, x: np.ndarray) -> np.ndarray:
    z = (x - np.array(model.mean)) / np.array(model.scale)
    logit = np.clip(z @ np.array(model.weights) + model.bias, -60, 60)
    return 1 / (1 + np.exp(-logit)) >= model.threshold


def out_of_fold(x: np.ndarray, y: np.ndarray, sets: list[str], folds: int,
                seed: int, vectors: np.ndarray | None = None) -> dict[str, Any]:
    """Answered/refused shares per set, each question decided by a model that never saw it
    (with `vectors`, its vote too comes only from the fold's training questions)."""
    if folds < 2:
        raise ValueError("folds must be at least 2")
    answered = np.zeros(len(y), dtype=bool)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(x, y):
        if vectors is None:
            answered[test] = _decide(_fit(x[train], y[train]), x[test])
            continue
        model = _fit_with_votes(x[train], y[train], vectors[train])
        assert model.examples is not None
        answered[test] = _decide(model, with_votes(x[test], vectors[test], model.examples))
    names = np.array(sets)
    figures: dict[str, Any] = {}
    for name in sorted(set(sets)):
        for label, kind, count in ((1, "in_scope_answered", "in_n"),
                                   (0, "out_of_scope_refused", "out_n")):
            mask = (names == name) & (y == label)
            if mask.any():
                share = answered[mask].mean() if label == 1 else (~answered[mask]).mean()
                figures.setdefault(name, {})[kind] = round(float(share), 4)
                figures[name][count] = int(mask.sum())
    figures["all"] = {"in_scope_answered": round(float(answered[y == 1].mean()), 4),
                      "out_of_scope_refused": round(float((~answered[y == 0]).mean()), 4),
                      "in_n": int((y == 1).sum()), "out_n": int((y == 0).sum())}
    return figures


def calibrate(bot: Bot, samples: Sequence[Sample], inputs: dict[str, str],
              provenance: dict[str, str], *, folds: int = 5, seed: int = 11) -> ScopeModel:
    """The scope model fitted on every sample, with provenance and out-of-fold figures (the
    bot's own scope model is put back afterwards)."""
    loaded = bot.scope
    final = ScopeModel()
    try:
        for _ in range(ROUNDS):
            bot.scope = final
            x, y, sets, vectors = evidence_rows(bot, samples)
            final = _fit_with_votes(x, y, vectors)
    finally:
        bot.scope = loaded
    figures = out_of_fold(x, y, sets, folds, seed, vectors)
    return ScopeModel(final.mean, final.scale, final.weights, final.bias, final.threshold,
                      {**provenance, "inputs": inputs, "folds": folds, "seed": seed,
                       "out_of_fold": figures, "rows": int(len(y)),
                       "fitted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                      final.examples)
