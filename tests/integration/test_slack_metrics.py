"""`/careassist metrics`: parsed, answered from the UM report for roles that may read it, and
refused to the others; aggregates only."""

from pathlib import Path

import pytest

from bot.slack.commands import parse
from bot.slack.identity import SlackCaller
from bot.slack.messages import NOT_ALLOWED, UNLINKED
from bot.slack.metrics import metrics_text
from tests.integration.service_support import FakeRuntime, make_db
from tools.errors import InvalidInput
from tools.users import principal_for


@pytest.fixture(scope="module")
def runtime(tmp_path_factory: pytest.TempPathFactory) -> FakeRuntime:
    return FakeRuntime(make_db(tmp_path_factory.mktemp("metrics")))


def test_metrics_is_a_command_without_arguments() -> None:
    assert parse("metrics").kind == "metrics"
    with pytest.raises(InvalidInput, match="usage"):
        parse("metrics now")


def test_a_reviewer_gets_this_months_headline(runtime: FakeRuntime) -> None:
    caller = SlackCaller("U1", "T1", principal_for(runtime.db, "ur.blake"))
    text = metrics_text(runtime, caller)
    assert text.startswith("*UM this month*") and "overdue" in text
    assert "M1" not in text and "C2" not in text  # no member or case ids


def test_other_roles_and_unlinked_users_are_refused(runtime: FakeRuntime, tmp_path: Path) -> None:
    assert metrics_text(runtime, SlackCaller("U2", "T1", None)) == UNLINKED
    caller = SlackCaller("U3", "T1", principal_for(runtime.db, "cm.alex"))
    assert metrics_text(runtime, caller) == NOT_ALLOWED
