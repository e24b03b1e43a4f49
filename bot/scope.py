"""Is a question covered by the sources? A calibrated decision on several kinds of evidence.

No single cosine separates in-scope from out-of-scope questions on this corpus (in-scope top
scores go as low as 0.81, unrelated ones reach 0.88). The decision is a logistic model over
evidence retrieval already computed: the dense score's gap to off-topic subject labels, how
much of the question the sources' vocabulary covers (overall and in the top results), BM25
strength, words that only Bilex's subject uses (glossary entries marked `scope`) and the
count of words the sources never use. Its weights are fitted
by `bench/calibrate_scope.py` on the gold set (in scope) and real out-of-scope questions.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

OFFTOPIC_PATH = Path(__file__).with_name("offtopic.toml")
FEATURES = ("offtopic_gap", "coverage", "top_coverage", "lexical", "unknown", "domain")


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

    def features(self) -> tuple[float, ...]:
        """The model's inputs, in FEATURES order."""
        unknown = self.tokens - round(self.coverage * self.tokens)
        return (self.offtopic_gap, self.coverage, self.top_coverage,
                math.log1p(self.lexical_top), float(unknown), float(min(self.domain, 2)))

    def to_dict(self) -> dict[str, Any]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in vars(self).items()}


@dataclass(frozen=True)
class ScopeModel:
    """Standardised logistic model; a question is covered when p >= threshold."""

    mean: tuple[float, ...] = (0.0167, 0.4807, 0.3404, 1.2632, 3.1256, 0.3865)
    scale: tuple[float, ...] = (0.0354, 0.3441, 0.3035, 0.6336, 2.5601, 0.552)
    weights: tuple[float, ...] = (1.03, 0.72, 0.65, 0.58, -0.72, 0.95)
    bias: float = -0.37
    threshold: float = 0.5  # lowest in-scope p 0.72, highest BSARD p 0.33 (calibration run)

    def probability(self, e: Evidence) -> float:
        z = self.bias + sum(w * (x - m) / s for w, x, m, s in
                            zip(self.weights, e.features(), self.mean, self.scale, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def covered(self, e: Evidence) -> bool:
        return e.referenced or self.probability(e) >= self.threshold
