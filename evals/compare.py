"""Compare two runs case by case: what regressed, what improved, what was added or removed."""

from dataclasses import dataclass, field

from evals.results import LOWER_IS_BETTER, METRICS, NONDETERMINISTIC, CaseResult, RunResults

STATUS_RANK = {"error": 0, "fail": 1, "pass": 2}
EPSILON = 1e-9


@dataclass(frozen=True)
class Change:
    case_id: str
    what: str  # a metric name, or "status"
    old: str
    new: str


@dataclass
class Comparison:
    regressions: list[Change] = field(default_factory=list)
    improvements: list[Change] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    overall: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _case_changes(old: CaseResult, new: CaseResult, out: Comparison) -> None:
    before, after = STATUS_RANK[old.status], STATUS_RANK[new.status]
    if after < before:
        out.regressions.append(Change(new.id, "status", old.status, new.status))
    elif after > before:
        out.improvements.append(Change(new.id, "status", old.status, new.status))
    for metric in METRICS:
        if metric in NONDETERMINISTIC:
            continue
        a, b = old.scores.get(metric), new.scores.get(metric)
        if a is None and b is None:
            continue
        if a is None or b is None:
            # A metric that stopped (or started) applying is a dataset change, not a score change.
            continue
        delta = b - a
        if metric in LOWER_IS_BETTER:
            delta = -delta
        if delta < -EPSILON:
            out.regressions.append(Change(new.id, metric, _fmt(a), _fmt(b)))
        elif delta > EPSILON:
            out.improvements.append(Change(new.id, metric, _fmt(a), _fmt(b)))


def compare(old: RunResults, new: RunResults) -> Comparison:
    out = Comparison()
    old_cases = {c.id: c for c in old.cases}
    new_cases = {c.id: c for c in new.cases}
    out.added = sorted(set(new_cases) - set(old_cases))
    out.removed = sorted(set(old_cases) - set(new_cases))
    for case_id in sorted(set(old_cases) & set(new_cases)):
        _case_changes(old_cases[case_id], new_cases[case_id], out)
    for metric in METRICS:
        a, b = old.summary.overall.get(metric), new.summary.overall.get(metric)
        if a is not None or b is not None:
            out.overall[metric] = (a, b)
    return out
