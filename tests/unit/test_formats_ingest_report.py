"""`careassist ingest` names every file it did not index, with the reason."""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from retrieval.ingest import IngestReport


def test_ingest_prints_every_skipped_file_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.cli as cli
    import retrieval.ingest
    from bot.runtime import Runtime

    report = IngestReport(
        documents=1,
        chunks=3,
        skipped=[
            (str(tmp_path / "broken.xml"), "malformed XML (mismatched tag: line 1, column 29)"),
            (str(tmp_path / "scan.pdf"), "has no text layer (1 page(s) of images?)"),
            (str(tmp_path / "[draft].docx"), "is not a DOCX (not a zip package)"),
        ],
        warnings=["part.xml: 1 empty section(s) left out (§ 438.411 [Reserved])"],
        generation="g1",
    )
    monkeypatch.setattr(Runtime, "_build_embedder", lambda self: object())
    monkeypatch.setattr(retrieval.ingest, "ingest", lambda *args, **kwargs: report)
    result = CliRunner().invoke(cli.app, ["ingest", str(tmp_path), "--index", str(tmp_path / "i")])
    out = result.output
    assert result.exit_code == 1
    assert "3 file(s) not indexed" in out
    for path, reason in report.skipped:
        assert f"skipped {path}: {reason}" in out
    assert "[Reserved]" in out and "[draft].docx" in out
