"""Is a question covered by the sources? A calibrated decision on several kinds of evidence.

No single cosine separates in-scope from out-of-scope questions on this corpus (in-scope top
scores go as low as 0.81, unrelated ones reach 0.88). The decision is a logistic model over
evidence retrieval already computed: the dense score's gap to off-topic subject labels, how
much of the question the sources' vocabulary covers (overall and in the top results), BM25
strength, words that only Bilex's subject uses (glossary entries marked `scope`), the
count of words the sources never use, and how far the best passage stands out from the rest
(its dense z-score: a question in other words than the sources', or in the other language,
can still match one passage clearly). Its weights are fitted
by `bench/calibrate_scope.py` on the gold set (in scope) and real out-of-scope questions.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OFFTOPIC_PATH = Path(__file__).with_name("offtopic.toml")
FEATURES = ("offtopic_gap", "coverage", "top_coverage", "lexical", "unknown", "domain", "peak")


def load_offtopic(path: Path = OFFTOPIC_PATH) -> tuple[str, ...]:
    """The off-topic subject labels (see offtopic.toml)."""
    return tuple(tomllib.loads(path.read_text(encoding="utf-8"))["topics"])


@dataclass(frozen=True)
class Evidence:
    """What retrieval saw for one question."""

    dense_top: float
    offtopic_gap: float  # dense_top minus the best match among off-topic subject labels
    dense_margin: float
    lexical_top: float
    coverage: float  # share of the question's content words found anywhere in the sources
    top_coverage: float  # share found in one of the top three results
    agreement: bool  # dense top result is among the lexical top three
    referenced: bool  # the question names an article or alinéa the corpus has
    glossary: int  # glossary terms matched
    tokens: int  # content tokens in the question
    domain: int = 0  # glossary terms that only Bilex's subject uses (DIF, CRP, outplacement...)
    peak: float = 0.0  # best dense z-score: how far one passage stands out from the rest
    elsewhere: bool = False  # the question names only places no source covers (the UK...)

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
    """Standardised logistic model; a question is covered when p >= threshold."""

    mean: tuple[float, ...] = (0.0238, 0.5061, 0.3389, 1.3504, 2.9807, 0.3527, 2.9216)
    scale: tuple[float, ...] = (0.0314, 0.3575, 0.3024, 0.6539, 2.6061, 0.544, 0.5615)
    weights: tuple[float, ...] = (0.73, 0.72, 0.62, 0.75, -0.61, 1.07, 0.26)
    bias: float = -0.33
    threshold: float = 0.5  # lowest in-scope p 0.73, highest BSARD p 0.38 (calibration run)

    def probability(self, e: Evidence) -> float:
        z = self.bias + sum(w * (x - m) / s for w, x, m, s in
                            zip(self.weights, e.features(), self.mean, self.scale, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def covered(self, e: Evidence) -> bool:
        """A named alinéa is always covered; a question about another country never is."""
        if e.referenced:
            return True
        return not e.elsewhere and self.probability(e) >= self.threshold
