"""Answers on documents without front matter: eCFR XML and a saved CFR page, ingested with the
real model, asked through the offline engine. The rules are restated in our own words."""
# ruff: noqa: E501  (document text keeps one paragraph per line, as the files have it)

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.runtime import Runtime
from bot.schemas import AgentReply, AgentRequest, Intent, RequestFilters
from tests.conftest import NOW

pytestmark = pytest.mark.slow

ECFR = """<?xml version="1.0" encoding="UTF-8"?>
<ECFR><DIV1 N="42" TYPE="TITLE"><HEAD>Title 42—Public Health</HEAD>
<DIV5 N="438" TYPE="PART"><HEAD>PART 438—MANAGED CARE</HEAD>
<DIV8 N="§ 438.408" TYPE="SECTION">
<HEAD>§ 438.408 Resolution and notification: Grievances and appeals.</HEAD>
<P>(a) <I>Basic rule.</I> Each plan settles every appeal as fast as the enrollee's health requires.</P>
<P>(b) <I>Specific timeframes.</I> The State sets timeframes that may not be longer than the following:</P>
<P>(1) <I>Standard resolution of appeals.</I> Thirty calendar days from the day the plan receives the appeal.</P>
<P>(2) <I>Expedited resolution of appeals.</I> Seventy-two hours after the plan receives the appeal.</P>
<P>(c) <I>Extension of timeframes.</I> (1) The plan may extend a timeframe by up to 14 calendar days when either of these is true:</P>
<P>(i) The enrollee asks for the extension; or</P>
<P>(ii) The plan shows the State that it needs more information and that waiting helps the enrollee.</P>
<CITA>[Illustrative citation line, not answer text]</CITA>
</DIV8></DIV5></DIV1></ECFR>
"""

SAVED_PAGE = """Source: https://www.ecfr.gov/on/2025-06-01/title-42/section-422.568
Retrieved: 2026-10-02
Table of Contents
Previous
Next
This is a historical version of this section; it was in effect until 2025-12-31.
Title 42 › Chapter IV › Subchapter B › Part 422 › Subpart M › § 422.568
§ 422.568 Standard timeframes and notice requirements for organization determinations.

(a) Filing a request. An enrollee may ask for a standard organization determination orally or in writing.

(b) Timeframe for requests for service. The organization decides and notifies the enrollee within 14 calendar days after it receives a standard request for a service.

Back to top
"""


@pytest.fixture(scope="module")
def realformat_runtime(
    tmp_path_factory: pytest.TempPathFactory, seeded_db_url: str
) -> Iterator[Runtime]:
    from bot.runtime import Runtime, build_runtime
    from bot.settings import BotSettings
    from retrieval.ingest import ingest
    from retrieval.settings import RetrievalSettings
    from tools.settings import ToolsSettings

    docs = tmp_path_factory.mktemp("realformat-docs")
    (docs / "part438.xml").write_text(ECFR)
    (docs / "ecfr-422.568-2025.txt").write_text(SAVED_PAGE)
    (docs / "broken.xml").write_text("<ECFR><DIV8><P>unclosed")
    settings = RetrievalSettings(index_dir=tmp_path_factory.mktemp("rf-index"), torch_threads=1)
    report = ingest([docs], settings, Runtime(retrieval=settings).embedder)
    assert [Path(p).name for p, _ in report.skipped] == ["broken.xml"]
    rt = build_runtime(
        BotSettings(state_dir=tmp_path_factory.mktemp("rf-state")),
        settings,
        ToolsSettings(database_url=seeded_db_url),
        engine="offline",
        clock=lambda: NOW,
        warm=False,
    )
    yield rt
    rt.close()


def ask(rt: Runtime, text: str, **filters: object) -> AgentReply:
    return rt.agent.ask(
        AgentRequest(
            user_id="ur.blake",
            role="um_reviewer",
            text=text,
            thread_id=uuid.uuid4().hex,
            filters=RequestFilters(**filters),  # type: ignore[arg-type]
        )
    )


def test_a_regulation_answer_cites_the_paragraph_pinpoint(realformat_runtime: Runtime) -> None:
    reply = ask(
        realformat_runtime, "How long can a Medicaid plan take to resolve an expedited appeal?"
    )
    assert not reply.abstained
    assert "72 hours" in reply.answer.replace("Seventy-two hours", "72 hours")
    assert "42 CFR 438.408(b)(2)" in {c.citation for c in reply.citations}
    assert "Illustrative citation line" not in reply.answer


def test_a_lead_in_is_answered_with_the_conditions_it_introduces(
    realformat_runtime: Runtime,
) -> None:
    reply = ask(realformat_runtime, "When may a Medicaid plan extend an appeal timeframe?")
    assert not reply.abstained
    assert "14 calendar days" in reply.answer
    assert "The enrollee asks for the extension" in reply.answer
    assert "needs more information" in reply.answer
    assert any(c.citation.startswith("42 CFR 438.408(c)(1)") for c in reply.citations)


def test_a_superseded_version_answers_for_its_dates_with_its_warning(
    realformat_runtime: Runtime,
) -> None:
    from datetime import date

    reply = ask(
        realformat_runtime,
        "How many days did a Medicare Advantage plan have for a standard service request?",
        as_of=date(2025, 6, 1),
    )
    assert not reply.abstained
    assert "14 calendar days" in reply.answer
    assert any(c.citation == "42 CFR 422.568(b)" for c in reply.citations)
    assert any("historical version" in n for n in reply.notices)
    later = ask(
        realformat_runtime,
        "How many days does a Medicare Advantage plan have for a standard service request?",
        as_of=date(2026, 6, 1),
    )
    assert not any(c.doc_id == "42 CFR 422.568" for c in later.citations)


def test_a_question_about_denials_is_answered_not_deferred(realformat_runtime: Runtime) -> None:
    reply = ask(
        realformat_runtime,
        "After we denied her appeal request, how long do we have to resolve a standard appeal?",
    )
    assert reply.intent is not Intent.decision_request
    assert "Thirty calendar days" in reply.answer or "30 calendar days" in reply.answer


def test_a_cited_paragraph_is_found_by_its_pinpoint(realformat_runtime: Runtime) -> None:
    hit = realformat_runtime.searcher.passage("42 CFR 438.408(c)(1)(ii)")
    assert hit is not None and hit.doc_id == "42 CFR 438.408"
    assert any(u.citation == "42 CFR 438.408(c)(1)(ii)" for u in hit.units)
    assert realformat_runtime.searcher.passage("42 CFR 438.408(z)") is None


def test_a_figure_the_section_does_not_state_is_not_answered_with_its_neighbour(
    realformat_runtime: Runtime,
) -> None:
    # 438.408 as written here sets appeal timeframes and extensions, and no record retention.
    reply = ask(
        realformat_runtime, "How many years does a Medicaid plan have to keep its appeal records?"
    )
    assert reply.abstained
    assert "give no number of years" in reply.answer
    assert reply.citations  # the closest passages, for the reader to check
