"""Errors the harness raises; the CLI turns each into one clear line and a non-zero exit."""

from dataclasses import dataclass


class EvalError(Exception):
    """Base class for every harness failure a user can act on."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a dataset, located precisely enough to fix it in an editor."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class DatasetError(EvalError):
    """A dataset that does not validate. Nothing runs until every problem is fixed."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "invalid dataset"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


class ResultsError(EvalError):
    """A results.json that cannot be read or compared."""


class ThresholdsError(EvalError):
    """A thresholds file that is missing, malformed or names an unknown metric."""


class RuntimeUnavailable(EvalError):
    """The agent runtime (bot.runtime) cannot be built for this run."""
