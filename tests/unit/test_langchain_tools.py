"""Tools are plain typed functions that LangChain can wrap and call with a dict."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from langchain_core.tools import StructuredTool, tool

from tests.tools_support import a_member, context, make_store
from tools.catalogue import bind, catalogue, langchain_tools
from tools.db import Database
from tools.roles import Role


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    store = make_store(f"sqlite:///{tmp_path_factory.mktemp('lc')}/lc.db")
    yield store
    store.dispose()


def test_a_tool_wrapped_with_structured_tool_runs_from_a_dict(db: Database) -> None:
    spec = catalogue()["lookup_member"]
    ctx = context(db, Role.case_manager)
    wrapped = StructuredTool.from_function(
        func=bind(spec, ctx),
        name=spec.name.value,
        description=spec.description,
        args_schema=spec.input_model,
    )
    member_id = a_member(db).member_id
    out = wrapped.invoke({"member_id": member_id, "fields": ["plan_id", "eligible"]})
    assert out["member_id"] == member_id and out["plan_id"].startswith("PLN-")
    assert out["first_name"] is None


def test_the_tool_decorator_works_on_a_bound_tool(db: Database) -> None:
    spec = catalogue()["compute_decision_deadline"]
    deadline = tool(spec.name.value, args_schema=spec.input_model, description=spec.description)(
        bind(spec, context(db, Role.admin))
    )
    out = deadline.invoke(
        {
            "line_of_business": "medicare_advantage",
            "request_type": "part_b_drug",
            "urgency": "expedited",
            "received_at": "2026-06-01T09:00:00-04:00",
            "now": "2026-06-01T10:00:00-04:00",
        }
    )
    assert out["due_at"] == "2026-06-02T09:00:00-04:00"
    assert out["rule"]["rule_id"] == "MA-PARTB-EXP" and out["extension_allowed"] is False


def test_a_deadline_without_now_uses_the_context_clock(db: Database) -> None:
    (deadline,) = [
        t for t in langchain_tools(context(db, Role.admin)) if t.name == "compute_decision_deadline"
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
    tools = {t.name: t for t in langchain_tools(context(db, Role.um_reviewer))}
    message = tools["lookup_member"].invoke({"member_id": "M9999999"})
    assert message == "MemberNotFound: no member with id M9999999"
    refused = tools["get_case"].invoke({"case_id": "C2000001", "fields": ["phone"]})
    assert refused.startswith("InvalidInput: unknown case field")


def test_malformed_arguments_are_rejected_before_the_tool_runs(db: Database) -> None:
    from pydantic import ValidationError

    tools = {t.name: t for t in langchain_tools(context(db, Role.um_reviewer))}
    with pytest.raises(ValidationError, match="member id"):
        tools["lookup_member"].invoke({"member_id": "12345"})


def test_every_tool_has_a_description_and_documented_arguments() -> None:
    for spec in (s for s in catalogue().specs if s.agent):
        assert len(spec.description) > 60, spec.name
        schema = spec.input_model.model_json_schema()
        for name, prop in schema["properties"].items():
            if name not in {"k", "limit"}:
                assert prop.get("description"), (spec.name, name)
