"""find_criteria and get_contract_terms over a real index of the shipped corpus (real model)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime import Runtime
from retrieval.search import Searcher
from retrieval.settings import RetrievalSettings
from tests.tools_support import context, first_id, make_store
from tools.criteria import find_criteria
from tools.db import Database
from tools.models import Provider
from tools.providers import get_contract_terms
from tools.roles import Role

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def searcher(sample_index: Path) -> Searcher:
    """The session's real index of the shipped corpus."""
    settings = RetrievalSettings(index_dir=sample_index, torch_threads=1)
    return Searcher(settings, Runtime(retrieval=settings).embedder)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    store = make_store(f"sqlite:///{tmp_path_factory.mktemp('rdb')}/r.db")
    yield store
    store.dispose()


@pytest.mark.parametrize(
    ("query", "lob", "policy"),
    [
        ("E0601", "medicare_advantage", "MP-202"),
        ("72148", "medicaid", "MP-201"),
        ("22612", "commercial", "MP-206"),
        ("K0823", "medicare_advantage", "MP-207"),
        ("27447", "commercial", "MP-213"),
        ("power wheelchair for multiple sclerosis", "medicaid", "MP-207"),
        ("bariatric surgery sleeve gastrectomy", "commercial", "MP-205"),
    ],
)
def test_criteria_for_a_code_or_service_come_from_the_right_policy(
    db: Database, searcher: Searcher, query: str, lob: str, policy: str
) -> None:
    ctx = context(db, Role.um_reviewer, searcher=searcher)
    result = find_criteria(ctx, {"service_or_code": query, "line_of_business": lob})
    assert result.policies[0].doc_id == policy
    assert result.sections[0].doc_id == policy
    assert result.sections[0].citation.startswith(f"{policy} §")
    assert any(s.kind == "criteria" for s in result.sections)


def test_a_code_no_sample_policy_covers_finds_nothing(db: Database, searcher: Searcher) -> None:
    ctx = context(db, Role.um_reviewer, searcher=searcher)
    result = find_criteria(ctx, {"service_or_code": "J1745", "line_of_business": "medicaid"})
    assert result.policies == [] and result.note


def test_contract_passages_come_from_the_providers_contract_document(
    db: Database, searcher: Searcher
) -> None:
    npi = first_id(db, Provider.npi, Provider.name == "Synthetic General Hospital")
    ctx = context(db, Role.um_reviewer, searcher=searcher)
    result = get_contract_terms(
        ctx, {"npi": npi, "plan_id": "PLN-MCD-01", "topic": "notification of urgent admissions"}
    )
    assert result.passages and {p.doc_id for p in result.passages} == {"CON-101"}
    assert any(p.citation == "CON-101 §3.2" for p in result.passages)
    assert result.contracts[0].terms["per_diem_med_surg"] == 1450.00
