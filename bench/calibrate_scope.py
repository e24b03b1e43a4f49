"""Fit the scope model for the built corpus (as `bilex calibrate` does) and print its
out-of-fold figures and coefficients.

Usage: PYTHONPATH=$PWD .venv/bin/python bench/calibrate_scope.py [--folds N]   (after `bilex build`)
Inputs: the gold set, the tuning half of real_dev and the English near-domain negatives
(tests/bot/data), plus the shared BSARD questions when present (evaluation only: nothing of
them is shipped). The held-out half of real_dev is never read here.
"""

from __future__ import annotations

import argparse
import json

from api.cli import _BSARD, DEFAULT_CALIBRATION, fit_scope_model
from api.settings import Settings
from bot.scope import FEATURES


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    model = fit_scope_model(Settings(), list(DEFAULT_CALIBRATION),
                            _BSARD if _BSARD.is_file() else None, args.folds)
    print("features ", FEATURES)
    print("weights  ", tuple(round(w, 3) for w in model.weights), "bias", round(model.bias, 3),
          "threshold", round(model.threshold, 3))
    print(json.dumps(model.provenance["out_of_fold"], indent=2))


if __name__ == "__main__":
    main()
