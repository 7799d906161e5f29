"""The shape of a run's results (results.json is a public interface: add fields, never rename)
and the aggregation of per-case scores by type, role and line of business."""

import hashlib
import json
import statistics
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from evals.errors import ResultsError

FORMAT = "careassist-eval-results/1"

# Canonical metric names, in report order, with the label staff read. All are "higher is
# better" shares in [0, 1] except phi_exposure (share of cases exposing member data).
METRICS: dict[str, str] = {
    "fact_recall": "Fact recall",
    "citation_accuracy": "Citation accuracy",
    "abstention_accuracy": "Abstention accuracy",
    "decision_deferral": "Decision deferral",
    "retrieval_recall_at_k": "Retrieval recall@k",
    "mrr": "MRR@k",
    "letter_completeness": "Letter completeness",
    "deadline_accuracy": "Deadline accuracy",
    "tool_accuracy": "Tool accuracy",
    "intent_accuracy": "Intent accuracy",
    "no_forbidden_facts": "No forbidden facts",
    "phi_exposure": "PHI exposure",
    "judge_faithfulness": "Judge faithfulness (LLM)",
}
LOWER_IS_BETTER = frozenset({"phi_exposure"})
# Scores an LLM produces are not reproducible; they never enter the determinism fingerprint.
NONDETERMINISTIC = frozenset({"judge_faithfulness"})


class CitationResult(BaseModel):
    n: int
    doc_id: str
    citation: str
    title: str = ""
    text: str = ""
    exists: bool | None = None
    retrieved: bool | None = None
    supported: bool | None = None
    claims: list[str] = Field(default_factory=list)
    reason: str = ""


class ToolCallResult(BaseModel):
    name: str
    ok: bool
    args: dict[str, Any] = Field(default_factory=dict)
    error: str | None = None


class CaseResult(BaseModel):
    id: str
    type: str
    role: str
    lob: str
    question: str
    prior_turns: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    line: int | None = None
    status: str  # pass | fail | error
    failures: list[str] = Field(default_factory=list)
    error: str | None = None
    answer: str = ""
    abstained: bool | None = None
    intent: str | None = None
    notices: list[str] = Field(default_factory=list)
    citations: list[CitationResult] = Field(default_factory=list)
    dangling_markers: list[int] = Field(default_factory=list)
    tool_calls: list[ToolCallResult] = Field(default_factory=list)
    draft_id: str | None = None
    scores: dict[str, float | None] = Field(default_factory=dict)
    details: dict[str, Any] = Field(default_factory=dict)
    latency_s: float = 0.0


class SkippedFile(BaseModel):
    """A corpus file the run's index did not take, and why."""

    path: str
    reason: str


class GateResult(BaseModel):
    passed: bool
    failures: list[str] = Field(default_factory=list)
    skipped: list[str] = Field(default_factory=list)
    thresholds: str = ""


class RunSummary(BaseModel):
    """Aggregates of one engine's run; the baseline of a --compare-baseline run has the same."""

    engine: str
    cases: int
    passed: int
    failed: int
    errors: int
    phi_exposures: int
    decision_requests_not_deferred: list[str] = Field(default_factory=list)
    overall: dict[str, float | None]
    by_type: dict[str, dict[str, float | None]]
    by_role: dict[str, dict[str, float | None]]
    by_lob: dict[str, dict[str, float | None]]
    counts: dict[str, dict[str, int]]
    latency: dict[str, float]
    seconds: float
    fingerprint: str


class RunResults(BaseModel):
    format: str = FORMAT
    dataset: dict[str, Any]
    target: dict[str, Any]
    settings: dict[str, Any]
    started_at: str
    summary: RunSummary
    gate: GateResult
    warnings: list[str] = Field(default_factory=list)
    # Files of the --corpus folder that were not indexed: the run did not see them.
    skipped_files: list[SkippedFile] = Field(default_factory=list)
    cases: list[CaseResult]
    baseline: RunSummary | None = None
    baseline_cases: list[CaseResult] | None = None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def aggregate(cases: list[CaseResult]) -> dict[str, float | None]:
    """Mean of each metric over the cases where it applies; None when it applies to none."""
    out: dict[str, float | None] = {}
    for metric in METRICS:
        values = [c.scores[metric] for c in cases if c.scores.get(metric) is not None]
        out[metric] = _mean([float(v) for v in values if v is not None])
    return out


def _group(cases: list[CaseResult], key: str) -> dict[str, dict[str, float | None]]:
    groups: dict[str, list[CaseResult]] = {}
    for case in cases:
        groups.setdefault(str(getattr(case, key)), []).append(case)
    return {name: aggregate(groups[name]) for name in sorted(groups)}


def _counts(cases: list[CaseResult], key: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for case in cases:
        name = str(getattr(case, key))
        out[name] = out.get(name, 0) + 1
    return dict(sorted(out.items()))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[int(q) - 1]


def fingerprint(cases: list[CaseResult]) -> str:
    """sha256 over every case's status, failures and scores: equal for runs that scored the
    same. Latency and LLM-judge scores are left out, as neither is reproducible."""
    payload = [
        {
            "id": c.id,
            "status": c.status,
            "failures": c.failures,
            "scores": {k: v for k, v in sorted(c.scores.items()) if k not in NONDETERMINISTIC},
        }
        for c in sorted(cases, key=lambda c: c.id)
    ]
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def summarize(engine: str, cases: list[CaseResult], seconds: float) -> RunSummary:
    latencies = [c.latency_s for c in cases if c.status != "error"]
    not_deferred = [
        c.id
        for c in cases
        if c.type == "decision_request" and c.scores.get("decision_deferral") != 1.0
    ]
    return RunSummary(
        engine=engine,
        cases=len(cases),
        passed=sum(c.status == "pass" for c in cases),
        failed=sum(c.status == "fail" for c in cases),
        errors=sum(c.status == "error" for c in cases),
        phi_exposures=sum(c.scores.get("phi_exposure") == 1.0 for c in cases),
        decision_requests_not_deferred=not_deferred,
        overall=aggregate(cases),
        by_type=_group(cases, "type"),
        by_role=_group(cases, "role"),
        by_lob=_group(cases, "lob"),
        counts={
            "type": _counts(cases, "type"),
            "role": _counts(cases, "role"),
            "lob": _counts(cases, "lob"),
        },
        latency={
            "mean_s": round(statistics.fmean(latencies), 4) if latencies else 0.0,
            "p50_s": round(percentile(latencies, 50), 4),
            "p95_s": round(percentile(latencies, 95), 4),
            "max_s": round(max(latencies), 4) if latencies else 0.0,
        },
        seconds=round(seconds, 3),
        fingerprint=fingerprint(cases),
    )


def write_results(results: RunResults, path: Path) -> None:
    path.write_text(results.model_dump_json(indent=2) + "\n", encoding="utf-8")


def read_results(path: Path) -> RunResults:
    """Load a results.json (a file, or a run folder holding one)."""
    if path.is_dir():
        path = path / "results.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ResultsError(f"{path}: no such results file") from exc
    except (OSError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{path}: not a readable results.json ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ResultsError(f"{path}: not a careassist eval results file (format {FORMAT})")
    try:
        return RunResults.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ResultsError(f"{path}: {where}: {first['msg']}") from exc
