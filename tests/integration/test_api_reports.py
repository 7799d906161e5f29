"""GET /v1/reports/cms-0057-f and /v1/reports/um over real HTTP: roles, bad input, audit."""

from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa

from tests.integration.api_stack import ApiStack, api_stack
from tools.models import AuditRecord


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ApiStack]:
    with api_stack(tmp_path_factory.mktemp("reports-api")) as s:
        yield s


YEAR = date.today().year


def test_compliance_reads_the_cms_report_and_the_read_is_audited(stack: ApiStack) -> None:
    with stack.client("co.dana") as c:
        r = c.get("/v1/reports/cms-0057-f", params={"year": YEAR})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["report"] == "cms-0057-f" and body["year"] == YEAR
    assert "member_id" not in r.text
    with stack.db.read_only() as session:
        last = session.scalars(
            sa.select(AuditRecord)
            .where(AuditRecord.tool == "report_cms_0057_f")
            .order_by(AuditRecord.seq.desc())
        ).first()
    assert last is not None and last.user_id == "co.dana" and last.channel == "api"


@pytest.mark.parametrize(("user", "status"), [("ur.blake", 200), ("ad.eli", 200), ("cm.alex", 403)])
def test_who_may_read_the_um_report(stack: ApiStack, user: str, status: int) -> None:
    with stack.client(user) as c:
        r = c.get("/v1/reports/um", params={"from": "2026-01-01", "to": "2026-03-31"})
    assert r.status_code == status, r.text
    if status == 403:
        assert r.json()["error"]["code"] == "permission_denied"


def test_a_um_reviewer_may_not_read_the_cms_report(stack: ApiStack) -> None:
    with stack.client("ur.blake") as c:
        r = c.get("/v1/reports/cms-0057-f", params={"year": YEAR})
    assert r.status_code == 403


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/v1/reports/cms-0057-f", {"year": 2019}, "not a CMS-0057-F reporting year"),
        ("/v1/reports/um", {"from": "2026-03-02", "to": "2026-03-01"}, "before it starts"),
        ("/v1/reports/um", {"from": "2020-01-01", "to": "2026-03-01"}, "longer than 3 years"),
        ("/v1/reports/um", {"from": "2026-13-01", "to": "2026-03-01"}, "not valid"),
    ],
)
def test_bad_report_input_is_a_422_naming_the_problem(
    stack: ApiStack, path: str, params: dict[str, object], message: str
) -> None:
    with stack.client("co.dana") as c:
        r = c.get(path, params=params)
    assert r.status_code == 422, r.text
    assert message in r.json()["error"]["message"]


def test_reports_need_a_token(stack: ApiStack) -> None:
    with stack.client() as c:
        assert (
            c.get("/v1/reports/um", params={"from": "2026-01-01", "to": "2026-01-31"}).status_code
            == 401
        )


def test_a_refused_role_gets_the_403_before_its_query_is_validated(stack: ApiStack) -> None:
    with stack.client("cm.alex") as c:
        r = c.get("/v1/reports/um", params={"from": "not a date"})
    assert r.status_code == 403, r.text
    assert r.json()["error"]["code"] == "permission_denied"
    assert r.json()["error"]["message"] == (
        "role case_manager may not use report_um (minimum necessary)"
    )
