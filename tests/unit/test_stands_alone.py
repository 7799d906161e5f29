"""The product stands alone: nothing it ships cites a file outside this repository, the facts it
relies on are written down here, and the README names every Slack setting."""

import re
from pathlib import Path

from tools.completeness import required_elements
from tools.deadlines import RULES

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("bot", "tools", "retrieval", "corpus", "docs", "README.md", ".env.example")
BASIS = ROOT / "docs" / "regulatory-basis.md"


def shipped_files() -> list[Path]:
    files: list[Path] = []
    for name in SHIPPED:
        path = ROOT / name
        files.extend([path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()])
    return [p for p in files if p.suffix in {".py", ".md", ".yaml", ".j2", ".txt", ".example"}]


def test_nothing_shipped_cites_the_shared_fact_sheet() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in shipped_files()
        if re.search(r"REGULATORY_FACTS|\.\./shared/", p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_regulatory_basis_lists_every_deadline_rule_with_its_verification() -> None:
    text = BASIS.read_text(encoding="utf-8")
    for rule in RULES:
        row = next((line for line in text.splitlines() if f"`{rule.rule_id}`" in line), "")
        assert rule.citation.split(" as amended")[0] in row, rule.rule_id
        assert rule.verification.value in row, rule.rule_id


def test_unverified_letter_elements_point_to_the_regulatory_basis() -> None:
    notes = [
        e.note or ""
        for program in ("medicare_advantage", "medicaid", "commercial")
        for e in required_elements(program)
        if e.verification in {"S", "V"}
    ]
    assert notes and all("REGULATORY_FACTS" not in n for n in notes)


def test_the_readme_names_the_slack_api_url_setting() -> None:
    assert "CAREASSIST_SLACK_API_URL" in (ROOT / "README.md").read_text(encoding="utf-8")
