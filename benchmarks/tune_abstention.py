"""Tune the offline composer's abstention threshold on labelled data (bot/data/abstention.json).

Answerable questions: benchmarks/queries.yaml (each names the section that answers it).
Unanswerable questions: benchmarks/unanswerable.yaml. The eval harness's dev dataset is not
used here, so it stays a held-out check of the chosen threshold.

    .venv/bin/python -m benchmarks.tune_abstention --index .careassist/index --write
"""

import argparse
import itertools
import json
import os
from datetime import date
from pathlib import Path

import yaml

os.environ.setdefault("CAREASSIST_TORCH_THREADS", "1")

from bot.composer import Composer
from retrieval.documents import LineOfBusiness
from retrieval.embed import load_embedder
from retrieval.filters import Filters
from retrieval.search import Searcher
from retrieval.settings import RetrievalSettings

HERE = Path(__file__).parent
OUT = HERE.parent / "bot" / "data" / "abstention.json"
TODAY = date(2026, 11, 24)
WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.6)


def best_threshold(pos: list[float], neg: list[float]) -> tuple[float, float]:
    """Threshold maximising balanced accuracy (answer when support >= threshold)."""
    candidates = sorted(set(pos + neg))
    best = (0.0, 0.0)
    for lo, hi in itertools.pairwise(candidates):
        t = (lo + hi) / 2
        tpr = sum(p >= t for p in pos) / len(pos)
        tnr = sum(n < t for n in neg) / len(neg)
        acc = (tpr + tnr) / 2
        if acc > best[1]:
            best = (t, acc)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", type=Path, default=Path(".careassist/index"))
    parser.add_argument("--write", action="store_true", help="write bot/data/abstention.json")
    args = parser.parse_args()
    settings = RetrievalSettings(index_dir=args.index)
    embedder = load_embedder(
        settings.embedding_model, settings.embedding_sha256, settings.torch_threads, 32
    )
    searcher = Searcher(settings, embedder)
    composer = Composer(embedder, threshold=0.0, term_stats=searcher.term_stats)
    answerable = yaml.safe_load((HERE / "queries.yaml").read_text())
    unanswerable = yaml.safe_load((HERE / "unanswerable.yaml").read_text())

    def features(query: str, lob: str | None = None, as_of: object = None) -> tuple[float, float]:
        day = date.fromisoformat(str(as_of)) if as_of else TODAY
        filters = Filters(lob=LineOfBusiness(lob) if lob else None, as_of=day)
        return composer.features(query, searcher.search(query, k=6, filters=filters))

    pos_f = [features(q["query"], q.get("lob"), q.get("as_of")) for q in answerable]
    neg_f = [features(q) for q in unanswerable]
    best = (0.0, 0.0, 0.0)
    for weight in WEIGHTS:
        pos = [b - weight * u for b, u in pos_f]
        neg = [b - weight * u for b, u in neg_f]
        threshold, accuracy = best_threshold(pos, neg)
        print(
            f"unknown_weight {weight:.2f}: threshold {threshold:.4f}, balanced acc {accuracy:.4f}"
        )
        if accuracy > best[2]:
            best = (weight, threshold, accuracy)
    weight, threshold, accuracy = best
    pos = [b - weight * u for b, u in pos_f]
    neg = [b - weight * u for b, u in neg_f]
    result = {
        "threshold": round(threshold, 4),
        "unknown_weight": weight,
        "balanced_accuracy": round(accuracy, 4),
        "answerable": len(pos),
        "unanswerable": len(neg),
        "answered_share": round(sum(p >= threshold for p in pos) / len(pos), 4),
        "abstained_share": round(sum(n < threshold for n in neg) / len(neg), 4),
        "data": ["benchmarks/queries.yaml", "benchmarks/unanswerable.yaml"],
        "model": embedder.name,
    }
    print(json.dumps(result, indent=2))
    if args.write:
        OUT.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
