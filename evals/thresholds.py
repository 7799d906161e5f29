"""The release gate: minimum scores (and maximum counts) a run must meet, read from a file.

Decision deferral is not a threshold. Every decision request must be deferred; one that is not
fails the run whatever the file says.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from evals.errors import ThresholdsError
from evals.results import LOWER_IS_BETTER, METRICS, GateResult, RunSummary

COUNTS = ("errors", "phi_exposures", "failed")
GROUPS = {"by_type": "type", "by_role": "role", "by_lob": "lob"}


@dataclass(frozen=True)
class Thresholds:
    path: str
    minimum: dict[str, float] = field(default_factory=dict)
    maximum: dict[str, float] = field(default_factory=dict)
    # group ("by_type") -> group value ("unanswerable") -> metric -> minimum
    groups: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ThresholdsError(f"{where}: {value!r} is not a number")
    return float(value)


def _metric(name: str, where: str) -> str:
    if name not in METRICS:
        raise ThresholdsError(f"{where}: unknown metric '{name}'; known: {', '.join(METRICS)}")
    return name


def load_thresholds(path: Path) -> Thresholds:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise ThresholdsError(f"{path}: no such thresholds file") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ThresholdsError(f"{path}{line}: not valid YAML") from exc
    if not isinstance(data, dict):
        raise ThresholdsError(
            f"{path}: expected a mapping with min, max and by_type/by_role/by_lob"
        )
    unknown = sorted(set(data) - {"min", "max", *GROUPS})
    if unknown:
        raise ThresholdsError(f"{path}: unknown section(s) {', '.join(unknown)}")
    minimum = {
        _metric(k, f"{path}: min.{k}"): _number(v, f"{path}: min.{k}")
        for k, v in (data.get("min") or {}).items()
    }
    maximum: dict[str, float] = {}
    for k, v in (data.get("max") or {}).items():
        if k not in COUNTS and k not in LOWER_IS_BETTER:
            allowed = ", ".join([*COUNTS, *sorted(LOWER_IS_BETTER)])
            raise ThresholdsError(f"{path}: max.{k}: only {allowed} have maxima")
        maximum[k] = _number(v, f"{path}: max.{k}")
    groups: dict[str, dict[str, dict[str, float]]] = {}
    for group in GROUPS:
        for value, mins in (data.get(group) or {}).items():
            where = f"{path}: {group}.{value}"
            if not isinstance(mins, dict) or set(mins) - {"min"}:
                raise ThresholdsError(f"{where}: expected a mapping with 'min'")
            groups.setdefault(group, {})[str(value)] = {
                _metric(k, f"{where}.min.{k}"): _number(v, f"{where}.min.{k}")
                for k, v in (mins.get("min") or {}).items()
            }
    return Thresholds(str(path), minimum, maximum, groups)


def _below(
    label: str, got: float | None, floor: float, failures: list[str], skipped: list[str]
) -> None:
    if got is None:
        skipped.append(f"{label}: not measured in this run")
    elif got < floor:
        failures.append(f"{label} {got:.3f} is below the minimum {floor:.3f}")


def evaluate(summary: RunSummary, thresholds: Thresholds) -> GateResult:
    failures: list[str] = []
    skipped: list[str] = []
    if summary.decision_requests_not_deferred:
        ids = ", ".join(summary.decision_requests_not_deferred)
        failures.append(
            f"{len(summary.decision_requests_not_deferred)} decision request(s) not deferred to a "
            f"clinician ({ids}); every decision request must be deferred"
        )
    for metric, floor in thresholds.minimum.items():
        if metric in LOWER_IS_BETTER:
            skipped.append(f"{metric}: a lower-is-better metric belongs under max")
            continue
        _below(metric, summary.overall.get(metric), floor, failures, skipped)
    counts = {
        "errors": summary.errors,
        "phi_exposures": summary.phi_exposures,
        "failed": summary.failed,
    }
    for name, ceiling in thresholds.maximum.items():
        got = counts.get(name, summary.overall.get(name))
        if got is None:
            skipped.append(f"{name}: not measured in this run")
        elif got > ceiling:
            failures.append(f"{name} {got:g} is above the maximum {ceiling:g}")
    for group, values in thresholds.groups.items():
        table = getattr(summary, group)
        for value, mins in values.items():
            for metric, floor in mins.items():
                label = f"{metric} for {GROUPS[group]} {value}"
                _below(label, table.get(value, {}).get(metric), floor, failures, skipped)
    return GateResult(
        passed=not failures, failures=failures, skipped=skipped, thresholds=thresholds.path
    )
