"""Fit the offline composer's abstention rule on labelled data (bot/data/abstention.json).

Two tuning sets, weighed equally so that neither corpus's style decides the rule:
- the sample corpus: benchmarks/queries.yaml (answerable) and benchmarks/unanswerable.yaml, on an
  index of corpus/;
- the tuning half of the real-format set (evals/datasets/realformat/questions-tuning.yaml), on an
  index of its tuning documents only (docs/tuning/), so the held-out half is never seen.
The eval harness's dev dataset and the real-format held-out half stay held-out checks.

The rule is a logistic model over the composer's support features (bot/composer.FEATURES), fitted
with plain gradient descent; its threshold keeps false abstention within 7% on both sets (a margin
under the 10% target, see FIT_FALSE_ABSTENTION) and, among those, comes nearest 80% abstention on
unanswerable questions (see the comment in main).

    .venv/bin/python -m benchmarks.tune_abstention --index .careassist/index --write
    ... --realformat-index DIR   reuse an index of docs/tuning (default: built in a temp folder)
"""

import argparse
import json
import os
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import yaml

os.environ.setdefault("CAREASSIST_TORCH_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bot.composer import FEATURES, Composer
from bot.runtime import Runtime
from retrieval.documents import LineOfBusiness
from retrieval.filters import Filters
from retrieval.ingest import ingest
from retrieval.search import Searcher
from retrieval.settings import RetrievalSettings

HERE = Path(__file__).parent
REPO = HERE.parent
OUT = REPO / "bot" / "data" / "abstention.json"
REALFORMAT = REPO / "evals" / "datasets" / "realformat"
TODAY = date(2026, 11, 24)
MIN_ABSTENTION = 0.80  # the target; false abstention's is 10%
# The threshold is fitted for less false abstention than the target, because questions on
# documents the rule was not fitted on are abstained on more often: fitted on the sample corpus
# and the first 131 tuning questions with a 10% fit, the 72 tuning questions written later on
# new documents saw 12.5% false abstention; with a 7% fit, 2.1% (and abstention 44% -> 33%).
# With unknown words weighed by rarity (bot/english.py) the same experiment gives 6.2% at a 10%
# fit and 2.1% at 7% (abstention 56%); the held-out half had still seen more (13% with the
# earlier features at 7%), so the margin stays.
FIT_FALSE_ABSTENTION = 0.07


def fit_logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray) -> tuple[np.ndarray, float]:
    """Weighted L2-regularised logistic regression; returns (weights, bias) on raw features."""
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = (x - mean) / std
    w = np.zeros(z.shape[1])
    b = 0.0
    for _ in range(4000):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        grad = (p - y) * weight
        w -= 0.1 * (z.T @ grad / weight.sum() + 0.01 * w)
        b -= 0.1 * grad.sum() / weight.sum()
    raw_w = w / std
    return raw_w, float(b - (raw_w * mean).sum())


def balanced(support: np.ndarray, y: np.ndarray, t: float) -> float:
    answered = support >= t
    tpr = answered[y == 1].mean() if (y == 1).any() else 1.0
    tnr = (~answered[y == 0]).mean() if (y == 0).any() else 1.0
    return float(tpr + tnr) / 2


def features_for(
    composer: Composer, searcher: Searcher, questions: list[dict[str, object]]
) -> list[list[float]]:
    rows = []
    for q in questions:
        as_of = q.get("as_of")
        day = date.fromisoformat(str(as_of)) if as_of else TODAY
        lob = q.get("lob")
        filters = Filters(lob=LineOfBusiness(str(lob)) if lob else None, as_of=day)
        text = str(q["question"])
        f = composer.support_features(text, searcher.search(text, k=6, filters=filters))
        rows.append([f[name] for name in FEATURES])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=Path(".careassist/index"))
    parser.add_argument("--realformat-index", type=Path, default=None)
    parser.add_argument("--write", action="store_true", help="write bot/data/abstention.json")
    args = parser.parse_args()
    base = RetrievalSettings(index_dir=args.index, embed_batch_size=32)
    embedder = Runtime(retrieval=base).embedder

    sample_q = [
        {"question": q["query"], "lob": q.get("lob"), "as_of": q.get("as_of"), "y": 1}
        for q in yaml.safe_load((HERE / "queries.yaml").read_text())
    ] + [{"question": q, "y": 0} for q in yaml.safe_load((HERE / "unanswerable.yaml").read_text())]
    tuning = yaml.safe_load((REALFORMAT / "questions-tuning.yaml").read_text())["questions"]
    real_q = [
        {**q, "y": 1 if q["kind"] == "answerable" else 0}
        for q in tuning
        if q["kind"] in ("answerable", "unanswerable")
    ]
    rf_dir = args.realformat_index or Path(tempfile.mkdtemp(prefix="careassist-tune-")) / "index"
    rf_settings = RetrievalSettings(index_dir=rf_dir)
    if not (rf_dir / "CURRENT").exists():
        report = ingest([REALFORMAT / "docs" / "tuning"], rf_settings, embedder)
        print(f"indexed {report.documents} tuning documents, skipped {len(report.skipped)}")

    sets = []
    for name, settings, questions in (
        ("sample", base, sample_q),
        ("realformat-tuning", rf_settings, real_q),
    ):
        searcher = Runtime(retrieval=settings, embedder=embedder).searcher
        composer = Composer(embedder, threshold=0.0, term_stats=searcher.term_stats)
        x = np.array(features_for(composer, searcher, questions))
        y = np.array([q["y"] for q in questions], dtype=float)
        sets.append((name, x, y))

    x = np.vstack([s[1] for s in sets])
    y = np.concatenate([s[2] for s in sets])
    # Each set weighs the same, and within a set each class weighs the same.
    weight = np.concatenate(
        [
            np.where(sy == 1, 0.5 / max(sy.sum(), 1), 0.5 / max((1 - sy).sum(), 1))
            for _, _, sy in sets
        ]
    )
    w, b = fit_logistic(x, y, weight)
    supports = [(name, sx @ w + b, sy) for name, sx, sy in sets]
    grid = np.linspace(-3, 3, 601)
    scores = [np.mean([balanced(sup, sy, t) for _, sup, sy in supports]) for t in grid]

    # The targets: false abstention <= 10% and abstention on unanswerable >= 80% on
    # each set. They cannot both be met with these features, so false abstention comes first:
    # an answer carries citations a reader checks, while an abstention hides a rule the
    # documents do state (and the held-out half abstained falsely more often than the tuning
    # data). Among thresholds within the false-abstention target on every set, the one
    # nearest the abstention target (summed shortfall), best balanced accuracy among equals.
    def false_abstention(sup: np.ndarray, sy: np.ndarray, t: float) -> float:
        return float((sup[sy == 1] < t).mean())

    shortfall = [
        sum(
            max(0.0, false_abstention(sup, sy, t) - FIT_FALSE_ABSTENTION)
            + max(0.0, MIN_ABSTENTION - float((sup[sy == 0] < t).mean()))
            for _, sup, sy in supports
        )
        for t in grid
    ]
    within = [
        i
        for i, t in enumerate(grid)
        if all(false_abstention(sup, sy, t) <= FIT_FALSE_ABSTENTION for _, sup, sy in supports)
    ] or list(range(len(grid)))
    pick = min(within, key=lambda i: (round(shortfall[i], 6), -scores[i]))
    threshold = float(grid[pick])
    per_set = {}
    for name, sup, sy in supports:
        answered = sup >= threshold
        per_set[name] = {
            "answerable": int(sy.sum()),
            "unanswerable": int((1 - sy).sum()),
            "false_abstention": round(float((~answered[sy == 1]).mean()), 4),
            "abstained_on_unanswerable": round(float((~answered[sy == 0]).mean()), 4),
            "balanced_accuracy": round(balanced(sup, sy, threshold), 4),
        }
    result = {
        "threshold": round(threshold, 4),
        "bias": round(b, 4),
        "weights": {name: round(float(v), 4) for name, v in zip(FEATURES, w, strict=True)},
        "mean_balanced_accuracy": round(float(scores[pick]), 4),
        "false_abstention_fitted_within": FIT_FALSE_ABSTENTION,
        "sets": per_set,
        "data": [
            "benchmarks/queries.yaml",
            "benchmarks/unanswerable.yaml",
            "evals/datasets/realformat/questions-tuning.yaml (on docs/tuning only)",
        ],
        "model": embedder.name,
    }
    print(json.dumps(result, indent=2))
    if args.write:
        OUT.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
