"""Is a question covered by the sources? A logistic decision fitted per corpus.

The decision is a standardised logistic model over evidence retrieval already computed: the
dense score's gap to the profile's neighbouring subjects, how much of the question the
sources' vocabulary covers (overall and in the top results), BM25 strength, profile words
only the sources' subject uses, the count of words the sources never use, and how far the
best passage stands out (its dense z-score), and how much nearer the question lies to the
labelled in-scope questions the model was fitted on than to the out-of-scope ones (its
nearest examples in the embedding space, kept in the model). `bilex calibrate` fits it with k-fold
cross-validation for one corpus, profile and embedding model, and writes it beside the index
(`scope.json`) with its provenance and out-of-fold figures. A model whose provenance does not
match the loaded corpus is refused; the bot then uses the uncalibrated prior below and says
so (`scope` in each answer's extra fields; `bilex eval` prints it).
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

from bot.errors import BotError

FEATURES = ("offtopic_gap", "coverage", "top_coverage", "lexical", "unknown", "domain", "peak",
            "neighbours")
SCOPE_FILE = "scope.json"
NEAREST = 5  # labelled questions per side that vote on a new question
# A refused question whose probability is at least this share of the threshold is a near miss:
# its closest passages are shown, marked as perhaps not answering it (bot.engine). Over the
# development sets, refusals at half the threshold or more are as often in scope as not, and
# no BSARD question reaches it (README, "Near refusals").
NEAR_SHARE = 0.5


class Examples:
    """Labelled question vectors (unit length) that vote on a question's scope by nearness."""

    def __init__(self, vectors: np.ndarray, labels: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        labels = np.asarray(labels).astype(bool)
        if vectors.ndim != 2 or len(vectors) != len(labels):
            raise ValueError("examples need one vector per label")
        if labels.all() or not labels.any():
            raise ValueError("examples need both in-scope and out-of-scope questions")
        self.vectors, self.labels = vectors, labels

    def vote(self, vector: np.ndarray, exclude: int | None = None) -> float:
        """Mean similarity of the NEAREST in-scope examples minus that of the NEAREST
        out-of-scope ones (`exclude`: an example's own row, left out)."""
        sims = self.vectors @ np.asarray(vector, dtype=np.float32)
        if exclude is not None:
            sims = sims.copy()
            sims[exclude] = -np.inf
        inside, outside = np.sort(sims[self.labels]), np.sort(sims[~self.labels])
        inside, outside = inside[np.isfinite(inside)], outside[np.isfinite(outside)]
        if not len(inside) or not len(outside):
            return 0.0  # one side has no example left: no vote
        return float(inside[-NEAREST:].mean() - outside[-NEAREST:].mean())

    def to_dict(self) -> dict[str, Any]:
        packed = self.vectors.astype(np.float16).tobytes()
        return {"dim": int(self.vectors.shape[1]), "labels": [int(v) for v in self.labels],
                "vectors_f16": base64.b64encode(packed).decode("ascii")}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Examples:
        raw = np.frombuffer(base64.b64decode(data["vectors_f16"]), dtype=np.float16)
        return cls(raw.reshape(-1, int(data["dim"])).astype(np.float32),
                   np.array(data["labels"], dtype=bool))


class ScopeMismatch(BotError):
    """A fitted scope model that does not belong to the loaded corpus, profile or model."""


@dataclass(frozen=True)
class Evidence:
    """What retrieval saw for one question."""

    dense_top: float
    offtopic_gap: float  # dense_top minus the best match among neighbouring-subject labels
    dense_margin: float
    lexical_top: float
    coverage: float  # share of the question's content words found anywhere in the sources
    top_coverage: float  # share found in one of the top three results
    agreement: bool  # dense top result is among the lexical top three
    referenced: bool  # the question names a provision the corpus has
    glossary: int  # profile terms matched
    tokens: int  # content tokens in the question
    domain: int = 0  # matched profile terms marked `scope`
    peak: float = 0.0  # best dense z-score: how far one passage stands out from the rest
    elsewhere: bool = False  # the question names only places no source covers
    defined: bool = False  # a "what is X" question whose X the sources introduce
    named: bool = False  # the question names a served act (title or initials) that leads
    neighbours: float = 0.0  # nearer the labelled in-scope questions (>0) or the others (<0)

    def features(self) -> tuple[float, ...]:
        """The model's inputs, in FEATURES order."""
        unknown = self.tokens - round(self.coverage * self.tokens)
        return (self.offtopic_gap, self.coverage, self.top_coverage,
                math.log1p(self.lexical_top), float(unknown), float(min(self.domain, 2)),
                self.peak, self.neighbours)

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(self).items()}


@dataclass(frozen=True)
class ScopeModel:
    """Standardised logistic model; a question is covered when p >= threshold.

    The defaults are an uncalibrated prior (the seed corpus's last hand fit), used only until
    `bilex calibrate` has fitted a model for the loaded corpus."""

    mean: tuple[float, ...] = (0.0238, 0.5061, 0.3389, 1.3504, 2.9807, 0.3527, 2.9216, 0.0)
    scale: tuple[float, ...] = (0.0314, 0.3575, 0.3024, 0.6539, 2.6061, 0.544, 0.5615, 1.0)
    weights: tuple[float, ...] = (0.73, 0.72, 0.62, 0.75, -0.61, 1.07, 0.26, 0.0)
    bias: float = -0.33
    threshold: float = 0.5
    provenance: dict[str, Any] = field(default_factory=dict)  # empty: the uncalibrated prior
    examples: Examples | None = field(default=None, compare=False)  # none in the prior
    # the source files the examples' labels speak for (empty: every source)
    labelled: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        n = len(FEATURES)
        if not (len(self.mean) == len(self.scale) == len(self.weights) == n):
            raise ValueError(f"a scope model needs {n} means, scales and weights ({FEATURES})")
        if any(s <= 0 for s in self.scale) or not 0 < self.threshold < 1:
            raise ValueError("scales must be > 0 and the threshold in (0, 1)")

    @property
    def calibrated(self) -> bool:
        return bool(self.provenance)

    def vote(self, vector: np.ndarray, sources: frozenset[str] | None = None) -> float:
        """The labelled examples' vote on a question vector (0.0 without examples).

        `sources`: the source files of the first results the served corpus answers it with.
        When none is among those the examples' labels speak for (`labelled`), the examples
        say nothing of it, and the vote is the fitted mean: no evidence either way. Questions
        on an act added beside the labelled sources lay far from every example, and a vote
        of about 0 had counted against them (below the in-scope examples' usual vote)."""
        if self.examples is None:
            return 0.0
        if sources is not None and not self.speaks_for(sources):
            return self.mean[FEATURES.index("neighbours")]
        return self.examples.vote(vector)

    def speaks_for(self, sources: frozenset[str]) -> bool:
        """Whether the examples' labels say anything of a question answered from `sources`:
        one of them is a labelled source (every source is when `labelled` is empty)."""
        return not self.labelled or not sources.isdisjoint(self.labelled)

    def probability(self, e: Evidence) -> float:
        z = self.bias + sum(w * (x - m) / s for w, x, m, s in
                            zip(self.weights, e.features(), self.mean, self.scale, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def covered(self, e: Evidence) -> bool:
        """A named provision, a term the sources introduce asked as "what is X", or a
        question on a served act it names (whose provisions lead) is always covered; a
        question about another place never is."""
        if e.referenced or e.defined or e.named:
            return True
        return not e.elsewhere and self.probability(e) >= self.threshold

    def near(self, e: Evidence) -> bool:
        """Refused, but not by far: the probability is at least `NEAR_SHARE` of the threshold
        (never for a question about another place, which the sources do not cover)."""
        if self.covered(e) or e.elsewhere:
            return False
        return self.probability(e) >= self.threshold * NEAR_SHARE

    # -- the fitted file -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        body = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "examples"}
        body["features"] = list(FEATURES)
        body["examples"] = self.examples.to_dict() if self.examples is not None else None
        return body

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScopeModel:
        if data.get("features") != list(FEATURES):
            raise ScopeMismatch("the scope model was fitted on other evidence features: "
                                "run `bilex calibrate`")
        examples = Examples.from_dict(data["examples"]) if data.get("examples") else None
        return cls(tuple(data["mean"]), tuple(data["scale"]), tuple(data["weights"]),
                   float(data["bias"]), float(data["threshold"]), dict(data["provenance"]),
                   examples, tuple(data.get("labelled") or ()))


def expected_provenance(model: str, corpus_hash: str, profile_hash: str,
                        analysis: str) -> dict[str, str]:
    """What a fitted model must have been fitted on to be used (`analysis`: how words are
    analysed, which the coverage and BM25 evidence is counted in)."""
    return {"model": model, "corpus_hash": corpus_hash, "profile_hash": profile_hash,
            "analysis": analysis}


def load_scope(directory: Path, expected: dict[str, str], stored: bytes | None = None
               ) -> ScopeModel:
    """The fitted model `stored` beside a shared index when given, else the one in
    `directory` (the data directory: it outlives index rebuilds); ScopeMismatch (saying what
    to run) when it is missing, unreadable, or fitted on another corpus, profile or model."""
    path = directory / SCOPE_FILE
    if stored is None and not path.is_file():
        raise ScopeMismatch("no fitted scope model for this index: run `bilex calibrate`")
    try:
        text = stored.decode("utf-8") if stored is not None else path.read_text(encoding="utf-8")
        model = ScopeModel.from_dict(json.loads(text))
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError):
        raise ScopeMismatch("the scope model file is unreadable: run `bilex calibrate`") from None
    for key, value in expected.items():
        if model.provenance.get(key) != value:
            raise ScopeMismatch(f"the scope model was fitted for another {key.replace('_', ' ')}"
                                " than the loaded one: run `bilex calibrate`")
    return model
