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
A question's fold comes from a hash of its set, text and the seed (`hashed_folds`), so a
question joining or leaving the rows (a change to what is decided before the scope model)
moves no other question to another fold: a reshuffle of every fold had moved the figures by a
question or two each time.

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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from bot.engine import Bot
from bot.scope import FEATURES, Examples, ScopeModel
from corpus.models import Corpus

_VOTE = FEATURES.index("neighbours")

IN_SCOPE_RECALL = 0.97  # share of in-scope tuning questions the threshold must still answer
POSITIVE_WEIGHT = 3.0  # refusing a covered question costs more than answering an uncovered one
C = 0.5  # inverse regularisation strength
ROUNDS = 2  # evidence read with the prior, then with the model fitted on it
REPEATS = 10  # hashed partitions the out-of-fold shares are averaged over
GOLD_WORDS = 4  # words a gold snippet needs to tell which source it comes from


@dataclass(frozen=True)
class Sample:
    """One calibration question: in scope or not, and the set it comes from."""

    q: str
    lang: str | None
    positive: bool
    set_name: str
    gold: tuple[str, ...] = ()  # substrings of the passages that answer it


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def labelled_sources(corpus: Corpus, samples: Sequence[Sample]) -> frozenset[str]:
    """The source files the samples' labels speak for: for each question with gold, the
    source(s) holding the most of its snippets (of GOLD_WORDS words or more: one or two words
    are in any act, and an act may hold one phrase of an article's gold)."""
    passages = [p for unit in corpus.units for p in (unit.fr, unit.en)] + list(corpus.commentary)
    snippets = {g for sample in samples for g in sample.gold if len(g.split()) >= GOLD_WORDS}
    sources_of = {g: {p.source for p in passages if g in p.text} for g in snippets}
    found: set[str] = set()
    for sample in samples:
        holding: dict[str, int] = {}
        for snippet in set(sample.gold) & snippets:
            for source in sources_of[snippet]:
                holding[source] = holding.get(source, 0) + 1
        if holding:
            most = max(holding.values())
            found |= {source for source, n in holding.items() if n == most}
    return frozenset(found)


@dataclass
class Rows:
    """The evidence of the samples the scope model decides, one row each."""

    x: np.ndarray  # features, in FEATURES order
    y: np.ndarray  # 1: in scope
    sets: list[str]  # the set each row comes from
    vectors: np.ndarray  # question vectors (the labelled examples' vote)
    keys: list[str]  # set and text: the row's fold
    speaks: np.ndarray  # a labelled source is among its first results (the vote applies)


def evidence_rows(bot: Bot, samples: Sequence[Sample],
                  labelled: frozenset[str] = frozenset()) -> Rows:
    """The rows of the samples the scope model decides (questions routed by a reference,
    definitions of the sources' terms, questions naming a served act, questions about other
    places and greetings are decided before it and left out).

    With `labelled` (the sources the labels were written for, `labelled_sources`), an
    out-of-scope question whose first results (`Bot.leading_sources`) all come from other
    sources is left out too: its label says those sources do not cover it, and says nothing
    of an act added beside them ("How many weeks of widget leave do I get?" beside a Widget
    Act). An in-scope one is kept, its vote made neutral (`ScopeModel.vote`)."""
    feats, labels, sets, vectors, keys, speaks = [], [], [], [], [], []
    for s in samples:
        lang = s.lang or bot.ui_lang
        reading = bot.read(s.q, lang)
        if reading.greeting_only:
            continue
        ranked, evidence = bot.assess(reading, lang)
        if evidence.referenced or evidence.elsewhere or evidence.defined or evidence.named:
            continue
        own = not labelled or bool(bot.leading_sources(ranked) & labelled)
        if not own and not s.positive:
            continue
        feats.append(evidence.features())
        labels.append(1 if s.positive else 0)
        sets.append(s.set_name)
        vectors.append(bot.question_vector(reading, lang))
        keys.append(f"{s.set_name}\n{s.q}")
        speaks.append(own)
    if len(set(labels)) < 2:
        raise ValueError("calibration needs both in-scope and out-of-scope questions")
    return Rows(np.array(feats, dtype=np.float64), np.array(labels), sets,
                np.array(vectors, dtype=np.float32), keys, np.array(speaks, dtype=bool))


def with_votes(x: np.ndarray, vectors: np.ndarray, examples: Examples,
               own: np.ndarray | None = None, speaks: np.ndarray | None = None,
               neutral: float | None = None) -> np.ndarray:
    """`x` with its "neighbours" column computed from `examples`; `own[i]`: row i's own
    position among the examples (left out of its vote), or -1. Rows where `speaks` is False
    get `neutral` (default: the mean vote of the other rows), as `ScopeModel.vote` gives them."""
    out = x.copy()
    for i, vector in enumerate(vectors):
        exclude = int(own[i]) if own is not None and own[i] >= 0 else None
        out[i, _VOTE] = examples.vote(vector, exclude)
    if speaks is not None and not speaks.all():
        if neutral is None:
            neutral = float(out[speaks, _VOTE].mean()) if speaks.any() else 0.0
        out[~speaks, _VOTE] = neutral
    return out


def _fit_with_votes(x: np.ndarray, y: np.ndarray, vectors: np.ndarray,
                    speaks: np.ndarray | None = None) -> ScopeModel:
    """The model fitted on rows whose votes come from the other rows, keeping them all (a
    row that does not speak for a labelled source gets the mean vote: its fitted mean)."""
    examples = Examples(vectors, y == 1)
    model = _fit(with_votes(x, vectors, examples, np.arange(len(y)), speaks), y)
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


def hashed_folds(keys: Sequence[str], folds: int, seed: int) -> np.ndarray:
    """Each key's fold (0 to `folds` - 1), from a hash of the seed and the key alone."""
    if folds < 2:
        raise ValueError("folds must be at least 2")
    return np.array([int.from_bytes(hashlib.sha256(f"{seed}\n{key}".encode()).digest()[:8],
                                    "big") % folds for key in keys], dtype=np.int64)


def out_of_fold(x: np.ndarray, y: np.ndarray, sets: list[str], folds: int,
                seed: int, vectors: np.ndarray | None = None,
                keys: Sequence[str] | None = None, repeats: int = 1,
                speaks: np.ndarray | None = None) -> dict[str, Any]:
    """Answered/refused shares per set, each question decided by a model that never saw it
    (with `vectors`, its vote too comes only from the fold's training questions). With
    `keys` (one per row), a row's fold is `hashed_folds` of its key, and the shares are the
    mean over `repeats` such partitions (seeds `seed`, `seed` + 1, ...); without keys,
    stratified folds shuffled with `seed`."""
    if folds < 2:
        raise ValueError("folds must be at least 2")
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats!r}")
    if keys is not None and len(keys) != len(y):
        raise ValueError(f"{len(keys)} keys for {len(y)} rows: give one each")
    rows = np.arange(len(y))
    partitions = []
    if keys is None:
        partitions.append(list(StratifiedKFold(n_splits=folds, shuffle=True,
                                               random_state=seed).split(x, y)))
    else:
        for repeat in range(repeats):
            assigned = hashed_folds(keys, folds, seed + repeat)
            partitions.append([(rows[assigned != f], rows[assigned == f]) for f in range(folds)
                               if (assigned == f).any()])
    answered = np.zeros(len(y), dtype=np.float64)  # share of the partitions answering each row
    for splits in partitions:
        for train, test in splits:
            if vectors is None:
                decided = _decide(_fit(x[train], y[train]), x[test])
            else:
                said = speaks[train] if speaks is not None else None
                model = _fit_with_votes(x[train], y[train], vectors[train], said)
                assert model.examples is not None
                votes = with_votes(x[test], vectors[test], model.examples, None,
                                   speaks[test] if speaks is not None else None,
                                   model.mean[_VOTE])
                decided = _decide(model, votes)
            answered[test] += decided / len(partitions)
    names = np.array(sets)
    figures: dict[str, Any] = {}
    for name in sorted(set(sets)):
        for label, kind, count in ((1, "in_scope_answered", "in_n"),
                                   (0, "out_of_scope_refused", "out_n")):
            mask = (names == name) & (y == label)
            if mask.any():
                share = answered[mask].mean() if label == 1 else (1 - answered[mask]).mean()
                figures.setdefault(name, {})[kind] = round(float(share), 4)
                figures[name][count] = int(mask.sum())
    figures["all"] = {"in_scope_answered": round(float(answered[y == 1].mean()), 4),
                      "out_of_scope_refused": round(float((1 - answered[y == 0]).mean()), 4),
                      "in_n": int((y == 1).sum()), "out_n": int((y == 0).sum())}
    return figures


def calibrate(bot: Bot, samples: Sequence[Sample], inputs: dict[str, str],
              provenance: dict[str, str], *, folds: int = 5, seed: int = 11,
              repeats: int = REPEATS) -> ScopeModel:
    """The scope model fitted on every sample, with provenance and out-of-fold figures (the
    bot's own scope model is put back afterwards)."""
    labelled = labelled_sources(bot.corpus, samples)
    if not labelled and any(sample.gold for sample in samples):
        # labels written for other sources say nothing of these: a model fitted on them took
        # the other sources' questions for in-scope ones here
        raise ValueError("no in-scope calibration question has its gold passage in this "
                         "corpus: the questions were written for other sources; give "
                         "questions on these sources (--questions)")
    loaded = bot.scope
    final = ScopeModel()
    served = {p.source for u in bot.corpus.units for p in (u.fr, u.en)}
    served |= {p.source for p in bot.corpus.commentary}
    # every source labelled: nothing to tell apart (the model then applies the vote to all)
    named = () if labelled >= served else tuple(sorted(labelled))
    try:
        for _ in range(ROUNDS):
            bot.scope = final
            rows = evidence_rows(bot, samples, labelled)
            final = replace(_fit_with_votes(rows.x, rows.y, rows.vectors, rows.speaks),
                            labelled=named)
    finally:
        bot.scope = loaded
    figures = out_of_fold(rows.x, rows.y, rows.sets, folds, seed, rows.vectors, rows.keys,
                          repeats, rows.speaks)
    return ScopeModel(final.mean, final.scale, final.weights, final.bias, final.threshold,
                      {**provenance, "inputs": inputs, "folds": folds, "seed": seed,
                       "repeats": repeats, "fold_of": "sha256 of the seed, set name and question",
                       "out_of_fold": figures, "rows": int(len(rows.y)),
                       "fitted_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                      final.examples, named)
