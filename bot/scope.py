"""Is a question covered by the sources? A logistic decision fitted per corpus.

The decision is a standardised logistic model over evidence retrieval already computed: the
dense score's gap to the profile's neighbouring subjects, how much of the question the
sources' vocabulary covers (overall and in the top results), BM25 strength, profile words
only the sources' subject uses, the count of words the sources never use, and how far the
best passage stands out (its dense z-score). `bilex calibrate` fits it with k-fold
cross-validation for one corpus, profile and embedding model, and writes it beside the index
(`scope.json`) with its provenance and out-of-fold figures. A model whose provenance does not
match the loaded corpus is refused; the bot then uses the uncalibrated prior below and says
so (`scope` in each answer's extra fields; `bilex eval` prints it).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bot.errors import BotError

FEATURES = ("offtopic_gap", "coverage", "top_coverage", "lexical", "unknown", "domain", "peak")
SCOPE_FILE = "scope.json"


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

    def features(self) -> tuple[float, ...]:
        """The model's inputs, in FEATURES order."""
        unknown = self.tokens - round(self.coverage * self.tokens)
        return (self.offtopic_gap, self.coverage, self.top_coverage,
                math.log1p(self.lexical_top), float(unknown), float(min(self.domain, 2)),
                self.peak)

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(self).items()}


@dataclass(frozen=True)
class ScopeModel:
    """Standardised logistic model; a question is covered when p >= threshold.

    The defaults are an uncalibrated prior (the seed corpus's last hand fit), used only until
    `bilex calibrate` has fitted a model for the loaded corpus."""

    mean: tuple[float, ...] = (0.0238, 0.5061, 0.3389, 1.3504, 2.9807, 0.3527, 2.9216)
    scale: tuple[float, ...] = (0.0314, 0.3575, 0.3024, 0.6539, 2.6061, 0.544, 0.5615)
    weights: tuple[float, ...] = (0.73, 0.72, 0.62, 0.75, -0.61, 1.07, 0.26)
    bias: float = -0.33
    threshold: float = 0.5
    provenance: dict[str, Any] = field(default_factory=dict)  # empty: the uncalibrated prior

    def __post_init__(self) -> None:
        n = len(FEATURES)
        if not (len(self.mean) == len(self.scale) == len(self.weights) == n):
            raise ValueError(f"a scope model needs {n} means, scales and weights ({FEATURES})")
        if any(s <= 0 for s in self.scale) or not 0 < self.threshold < 1:
            raise ValueError("scales must be > 0 and the threshold in (0, 1)")

    @property
    def calibrated(self) -> bool:
        return bool(self.provenance)

    def probability(self, e: Evidence) -> float:
        z = self.bias + sum(w * (x - m) / s for w, x, m, s in
                            zip(self.weights, e.features(), self.mean, self.scale, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))

    def covered(self, e: Evidence) -> bool:
        """A named provision, or a term the sources introduce asked as "what is X", is always
        covered; a question about another place never is."""
        if e.referenced or e.defined:
            return True
        return not e.elsewhere and self.probability(e) >= self.threshold

    # -- the fitted file -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["features"] = list(FEATURES)
        return body

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ScopeModel:
        if data.get("features") != list(FEATURES):
            raise ScopeMismatch("the scope model was fitted on other evidence features: "
                                "run `bilex calibrate`")
        return cls(tuple(data["mean"]), tuple(data["scale"]), tuple(data["weights"]),
                   float(data["bias"]), float(data["threshold"]), dict(data["provenance"]))


def expected_provenance(model: str, corpus_hash: str, profile_hash: str) -> dict[str, str]:
    """What a fitted model must have been fitted on to be used."""
    return {"model": model, "corpus_hash": corpus_hash, "profile_hash": profile_hash}


def load_scope(directory: Path, expected: dict[str, str]) -> ScopeModel:
    """The fitted model in `directory` (the data directory: it outlives index rebuilds);
    ScopeMismatch (saying what to run) when it is missing, unreadable, or fitted on another
    corpus, profile or model."""
    path = directory / SCOPE_FILE
    if not path.is_file():
        raise ScopeMismatch("no fitted scope model for this index: run `bilex calibrate`")
    try:
        model = ScopeModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (json.JSONDecodeError, KeyError, TypeError, ValueError):
        raise ScopeMismatch("the scope model file is unreadable: run `bilex calibrate`") from None
    for key, value in expected.items():
        if model.provenance.get(key) != value:
            raise ScopeMismatch(f"the scope model was fitted for another {key.replace('_', ' ')}"
                                " than the loaded one: run `bilex calibrate`")
    return model
