"""find_criteria through a fake Searcher with the real signature: codes, words, filters."""

from collections.abc import Iterator
from datetime import date

import pytest

from tests.tools_support import NOW, FakeSearcher, context
from tools.criteria import codes_in, find_criteria
from tools.db import Database
from tools.errors import InvalidInput, ServiceUnavailable
from tools.roles import Role


@pytest.fixture
def db() -> Iterator[Database]:
    # find_criteria never touches the database; an empty in-memory one proves it.
    store = Database.from_url("sqlite://")
    yield store
    store.dispose()


def run(db: Database, searcher: FakeSearcher | None = None, **request: object):
    ctx = context(db, Role.case_manager, searcher=searcher or FakeSearcher())
    return find_criteria(ctx, {"line_of_business": "medicare_advantage", **request})


def test_a_code_finds_the_policy_that_lists_it_criteria_first(db: Database) -> None:
    result = run(db, service_or_code="E0601")
    assert [p.doc_id for p in result.policies] == ["MP-202"]
    assert result.codes == ["E0601"]
    assert result.sections[0].citation == "MP-202 §2.1" and result.sections[0].kind == "criteria"
    assert {s.doc_id for s in result.sections} == {"MP-202"}
    assert "codes" in {s.kind for s in result.sections}


def test_a_diagnosis_code_finds_its_policy(db: Database) -> None:
    assert [p.doc_id for p in run(db, service_or_code="G47.33").policies] == ["MP-202"]


def test_words_find_the_closest_policies(db: Database) -> None:
    result = run(db, service_or_code="lumbar spine MRI")
    assert result.policies[0].doc_id == "MP-201"
    assert result.codes == []


def test_a_code_no_policy_lists_returns_nothing_and_says_so(db: Database) -> None:
    result = run(db, service_or_code="J1745")
    assert result.policies == [] and result.sections == []
    assert result.note and "do not say" in result.note and "J1745" in result.note


def test_search_is_filtered_to_criteria_for_the_line_of_business_and_date(db: Database) -> None:
    searcher = FakeSearcher()
    run(db, searcher, service_or_code="E0601", as_of="2026-03-01")
    for _, _, filters in searcher.calls:
        assert filters is not None
        assert [t.value for t in filters.doc_types] == ["criteria"]
        assert filters.lob is not None and filters.lob.value == "medicare_advantage"
        assert filters.as_of == date(2026, 3, 1)


def test_as_of_defaults_to_today_in_plan_time(db: Database) -> None:
    assert run(db, service_or_code="E0601").as_of == NOW.date()


def test_a_medicaid_only_policy_is_not_offered_for_other_lines(db: Database) -> None:
    ctx = context(db, Role.um_reviewer, searcher=FakeSearcher())
    medicaid = find_criteria(
        ctx, {"service_or_code": "sleep apnea devices", "line_of_business": "medicaid"}
    )
    commercial = find_criteria(
        ctx, {"service_or_code": "sleep apnea devices", "line_of_business": "commercial"}
    )
    assert "MP-299" in {p.doc_id for p in medicaid.policies}
    assert "MP-299" not in {p.doc_id for p in commercial.policies}


def test_contract_documents_never_come_back_as_criteria(db: Database) -> None:
    result = run(db, service_or_code="prior authorization CPAP delivery")
    assert all(p.doc_id.startswith("MP-") for p in result.policies)


def test_without_an_index_the_tool_says_it_is_unavailable(db: Database) -> None:
    ctx = context(db, Role.case_manager)
    with pytest.raises(ServiceUnavailable, match="document index"):
        find_criteria(ctx, {"service_or_code": "E0601", "line_of_business": "medicaid"})


@pytest.mark.parametrize(
    ("request_", "phrase"),
    [
        ({"service_or_code": "E0601", "line_of_business": "medicare"}, "line_of_business"),
        ({"service_or_code": " ?! ", "line_of_business": "medicaid"}, "service_or_code"),
        ({"service_or_code": "x" * 301, "line_of_business": "medicaid"}, "service_or_code"),
        ({"service_or_code": "E0601", "line_of_business": "medicaid", "as_of": "soon"}, "as_of"),
    ],
)
def test_bad_criteria_requests_are_refused(db: Database, request_: dict, phrase: str) -> None:
    with pytest.raises(InvalidInput, match=phrase):
        find_criteria(context(db, Role.case_manager, searcher=FakeSearcher()), request_)


def test_codes_are_recognised_in_free_text() -> None:
    assert codes_in("CPAP E0601 for g47.33 since 2025") == ["E0601", "G47.33"]
    assert codes_in("lumbar fusion 22612 and 22630") == ["22612", "22630"]
    assert codes_in("knee replacement") == []
