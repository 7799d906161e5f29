"""Datasets: validated against the published schema; every problem named by file, line, field."""

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from evals.dataset import SCHEMA_PATH, Source, load_dataset
from evals.errors import DatasetError

REPO = Path(__file__).resolve().parents[2]
GOOD = """\
name: good
environment: {now: "2026-06-01T14:00:00Z"}
defaults:
  role: case_manager
  filters: {lob: medicaid, as_of: "2026-06-01"}
cases:
  - id: one
    question: How long to decide a standard Medicaid request?
    type: answerable
    must_include: ["7 calendar days", {any_of: ["14 days", "fourteen days"]}]
    expected_sources: ["UM-104 §3.4", {doc_id: REG-303}]
  - id: two
    question: And for Medicare Advantage?
    type: follow_up
    role: um_reviewer
    filters: {lob: medicare_advantage}
    prior_turns: ["How long to decide a standard Medicaid request?"]
    must_include: ["7 calendar days"]
"""


def write(tmp_path: Path, text: str, name: str = "cases.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    return [str(p) for p in info.value.problems]


def test_published_schema_is_a_valid_json_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema).check_schema(schema)


def test_defaults_merge_and_shorthands_expand(tmp_path: Path) -> None:
    data = load_dataset(write(tmp_path, GOOD))
    one, two = data.cases
    assert one.role == "case_manager" and one.filters.lob == "medicaid"
    assert one.filters.as_of == date(2026, 6, 1)
    assert one.expected_sources == (Source("UM-104", "3.4"), Source("REG-303"))
    assert one.must_include[1].spellings == ("14 days", "fourteen days")
    assert two.role == "um_reviewer" and two.filters.lob == "medicare_advantage"
    assert two.filters.as_of == date(2026, 6, 1)
    assert two.line == 12
    assert data.environment.now is not None and data.environment.now.year == 2026


def test_schema_error_names_file_line_and_field(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("type: follow_up", "type: followup"))
    assert problems(path) == [
        f"{path}:14: cases[1].type: 'followup' is not one of answerable, unanswerable, "
        "decision_request, member_lookup, deadline, draft_letter, follow_up"
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("role: um_reviewer", "role: nurse").replace("prior_turns:", "prior_turn:")
    found = problems(write(tmp_path, text))
    assert any(":15: cases[1].role:" in p for p in found)
    assert any(":12: cases[1].prior_turns: is required for a follow_up case" in p for p in found)
    assert any(":17: cases[1].prior_turn: unknown field" in p for p in found)


def test_wrong_shape_of_a_source_points_at_the_bad_key(tmp_path: Path) -> None:
    text = GOOD.replace("{doc_id: REG-303}", "{doc_id: REG-303, sectoin: '2'}")
    assert problems(write(tmp_path, text)) == [
        f"{tmp_path / 'cases.yaml'}:11: cases[0].expected_sources[1].sectoin: unknown field "
        "(allowed: doc_id, section)"
    ]


def test_answerable_case_must_expect_something(tmp_path: Path) -> None:
    text = "cases:\n  - id: x\n    question: What?\n    type: answerable\n"
    assert "cases[0]" in problems(write(tmp_path, text))[0]


def test_duplicate_ids_and_keys_are_refused(tmp_path: Path) -> None:
    text = GOOD.replace("id: two", "id: one")
    assert "'one' is already used by the case at line 7" in problems(write(tmp_path, text))[0]
    twice = GOOD.replace("    type: answerable\n", "    type: answerable\n    type: deadline\n")
    assert "appears twice" in problems(write(tmp_path, twice))[0]


def test_bad_yaml_and_bad_dates_name_their_line(tmp_path: Path) -> None:
    assert ":3:" in problems(write(tmp_path, "cases:\n  - id: [x\n  - y: 1\n"))[0]
    bad_date = GOOD.replace('as_of: "2026-06-01"', 'as_of: "2026-02-30"')
    assert problems(write(tmp_path, bad_date)) == [
        f"{tmp_path / 'cases.yaml'}:5: defaults.filters.as_of: '2026-02-30' is not a 'date'"
    ]


def test_jsonl_reports_the_line_of_the_case(tmp_path: Path) -> None:
    lines = [
        {"id": "a", "question": "q", "type": "unanswerable"},
        {"id": "b", "question": "q", "type": "deadline"},
    ]
    path = write(tmp_path, "\n".join(json.dumps(x) for x in lines) + "\n", "cases.jsonl")
    assert problems(path) == [f"{path}:2: expected_deadline: is required for a deadline case"]
    lines[1]["expected_deadline"] = {"due_date": "2026-05-11"}
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    assert len(load_dataset(path)) == 2


def test_unknown_format_and_missing_file(tmp_path: Path) -> None:
    assert "unknown dataset format" in problems(write(tmp_path, "x", "cases.csv"))[0]
    assert "no such file" in problems(tmp_path / "absent.yaml")[0]


def test_shipped_datasets_validate() -> None:
    for path in [
        REPO / "tests/fixtures/evals/dataset.yaml",
        *sorted((REPO / "evals/datasets").glob("*.yaml")),
    ]:
        assert len(load_dataset(path)) > 0


def test_lint_finds_facts_no_expected_source_states_and_unknown_sources(tmp_path: Path) -> None:
    from evals.lint import lint

    text = """\
cases:
  - id: ok
    question: How fast is an expedited MA request decided?
    type: answerable
    must_include: ["72 hours"]
    expected_sources: ["TP-100 §2.1"]
  - id: wrong-fact
    question: How fast is a standard Medicaid request decided?
    type: answerable
    must_include: ["5 calendar days"]
    expected_sources: ["TP-100 §2.2"]
  - id: wrong-source
    question: Appeals?
    type: answerable
    expected_sources: ["TR-300 §7.1", "XX-1"]
"""
    corpus = REPO / "tests" / "fixtures" / "evals" / "corpus"
    findings = lint(load_dataset(write(tmp_path, text)), corpus)
    assert len(findings) == 3
    assert ":7 case wrong-fact: no expected source states '5 calendar days'" in findings[0]
    assert "TR-300 has no section 7.1" in findings[1]
    assert "expected source XX-1 is not in" in findings[2]
