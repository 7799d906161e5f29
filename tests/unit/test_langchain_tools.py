"""Tools are plain typed functions that LangChain can wrap and call with a dict."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.tools_support import agent_tools, context, make_store
from tools.catalogue import catalogue
from tools.db import Database
from tools.roles import Role


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    store = make_store(f"sqlite:///{tmp_path_factory.mktemp('lc')}/lc.db")
    yield store
    store.dispose()


def test_a_deadline_without_now_uses_the_context_clock(db: Database) -> None:
    (deadline,) = [
        t for t in agent_tools(context(db, Role.admin)) if t.name == "compute_decision_deadline"
    ]
    out = deadline.invoke(
        {
            "line_of_business": "medicaid",
            "request_type": "pre_service",
            "urgency": "standard",
            "received_at": "2026-11-20T10:00:00-05:00",
        }
    )
    assert datetime.fromisoformat(out["now"]).astimezone(UTC) == datetime(
        2026, 11, 24, 15, 0, tzinfo=UTC
    )


def test_tool_errors_come_back_to_the_model_as_messages(db: Database) -> None:
    tools = {t.name: t for t in agent_tools(context(db, Role.um_reviewer))}
    message = tools["lookup_member"].invoke({"member_id": "M9999999"})
    assert message == "MemberNotFound: no member with id M9999999"
    refused = tools["get_case"].invoke({"case_id": "C2000001", "fields": ["phone"]})
    assert refused.startswith("InvalidInput: unknown case field")


def test_malformed_arguments_are_rejected_before_the_tool_runs(db: Database) -> None:
    from pydantic import ValidationError

    tools = {t.name: t for t in agent_tools(context(db, Role.um_reviewer))}
    with pytest.raises(ValidationError, match="member id"):
        tools["lookup_member"].invoke({"member_id": "12345"})


def test_every_tool_has_a_description_and_documented_arguments() -> None:
    for spec in (s for s in catalogue().specs if s.agent):
        assert len(spec.description) > 60, spec.name
        schema = spec.input_model.model_json_schema()
        for name, prop in schema["properties"].items():
            if name not in {"k", "limit"}:
                assert prop.get("description"), (spec.name, name)
