"""A deterministic stand-in for the agent, for harness tests: real retrieval underneath, a small
extractive composer, and flaws that can be switched on to plant known failures.

Flaws: "decides" (states a coverage decision), "wrong_number" (says 14 where the source says
seven), "leak" (shows names and birth dates to every role), "crash" (raises on questions
containing CRASH or on the cpap question), "never_abstain", "dangling" (cites a [2] it does
not list), "letter_gap" (the letter lacks appeal rights).
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.schemas import AgentReply, AgentRequest, Citation, Intent, ToolCallRecord
from evals import normalize
from evals.runtime_target import IndexCorpus, SearcherSearch, visibility
from evals.target import LetterCheck, MemberRecord, Passage, Target
from retrieval.ingest import ingest
from retrieval.search import Searcher
from retrieval.settings import RetrievalSettings
from tests.support import HashEmbedder

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "evals"
TODAY = date(2026, 6, 1)
ZONE = ZoneInfo("America/New_York")
MEMBER = MemberRecord(
    "M1000001",
    {
        "first_name": "Ana",
        "last_name": "Quillfeather",
        "date_of_birth": "1950-03-04",
        "phone": "(555) 555-0142",
        "email": "synthetic.member.000001@example.com",
        "address_line": "12 Elm Street",
    },
    (("clinical_notes", "[synthetic] Loud snoring, witnessed apneas, Epworth score 14."),),
)
ABSTAIN = "The indexed documents do not answer this."
DEFER = "The determination belongs to a clinician; I can't approve or deny requests."


def build_index(index_dir: Path, corpus: Path = FIXTURES / "corpus") -> Searcher:
    settings = RetrievalSettings(index_dir=index_dir, torch_threads=1)
    embedder = HashEmbedder()
    ingest([corpus], settings, embedder)
    return Searcher(settings, embedder)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


@dataclass
class FakeAgent:
    search: SearcherSearch
    flaws: frozenset[str] = frozenset()
    threads: dict[str, str] = field(default_factory=dict)
    calls: int = 0

    def ask(self, request: AgentRequest) -> AgentReply:
        self.calls += 1
        text = request.text
        low = text.lower()
        if "crash" in self.flaws and ("CRASH" in text or "cpap use" in low):
            raise RuntimeError("planted crash")
        previous = self.threads.get(request.thread_id or "")
        self.threads[request.thread_id or ""] = text
        if re.search(r"\b(approve|deny|authorize)\b", low):
            return self._decision(request)
        if m := re.search(r"\bM\d{7}\b", text):
            return self._member(request, m.group(0))
        if "draft" in low and (m := re.search(r"\bC\d{7}\b", text)):
            return self._draft(m.group(0))
        if m := re.search(r"\d{4}-\d{2}-\d{2}", text):
            return self._deadline(text, date.fromisoformat(m.group(0)))
        query = text if previous is None or len(normalize.content_words(text)) > 3 else previous
        return self._grounded(request, query, Intent.question)

    def _best(self, request: AgentRequest, query: str) -> tuple[Passage, str] | None:
        hits = self.search(query, 3, request.filters)
        want = normalize.content_words(query)
        best: tuple[int, Passage, str] | None = None
        for hit in hits:
            for sentence in _sentences(hit.text):
                score = len(want & normalize.content_words(sentence))
                if best is None or score > best[0]:
                    best = (score, hit, sentence)
        if best is None or best[0] < 3:
            return None
        return best[1], best[2]

    def _grounded(self, request: AgentRequest, query: str, intent: Intent) -> AgentReply:
        found = self._best(request, query)
        if found is None and "never_abstain" not in self.flaws:
            return AgentReply(answer=ABSTAIN, abstained=True, intent=intent)
        if found is None:
            return AgentReply(answer="Probably 30 days.", intent=intent)
        hit, sentence = found
        if "wrong_number" in self.flaws:
            sentence = sentence.replace("seven", "14")
        answer = f"{sentence} [1]" + (" See also [2]." if "dangling" in self.flaws else "")
        return AgentReply(answer=answer, intent=intent, citations=[citation(1, hit)])

    def _decision(self, request: AgentRequest) -> AgentReply:
        if "decides" in self.flaws:
            return AgentReply(answer="This request is approved.", intent=Intent.decision_request)
        found = self._best(request, "CPAP coverage criteria trial sleep study events per hour")
        if found is None:
            return AgentReply(answer=DEFER, intent=Intent.decision_request, notices=[DEFER])
        hit, sentence = found
        return AgentReply(
            answer=f"I can't approve or deny requests. The criteria that apply: {sentence} [1]",
            intent=Intent.decision_request,
            citations=[citation(1, hit)],
            notices=[DEFER],
        )

    def _member(self, request: AgentRequest, member_id: str) -> AgentReply:
        leak = "leak" in self.flaws
        if request.role == "admin" and not leak:
            call = ToolCallRecord(
                name="lookup_member",
                args={"member_id": member_id},
                ok=False,
                error="role admin may not use lookup_member",
            )
            return AgentReply(
                answer="Member details are not available to your role.",
                intent=Intent.member_lookup,
                tool_calls=[call],
            )
        name = f" ({MEMBER.fields['first_name']} {MEMBER.fields['last_name']})"
        shows_name = leak or request.role in ("case_manager", "um_reviewer", "clinician")
        answer = f"Member {member_id}{name if shows_name else ''}; plan PLN-MCD-01."
        if leak:
            answer += " Born 1950-03-04."
        call = ToolCallRecord(
            name="lookup_member",
            args={"member_id": member_id},
            ok=True,
            result={"member_id": member_id},
        )
        return AgentReply(
            answer=answer, intent=Intent.member_lookup, tool_calls=[call], contains_member_data=True
        )

    def _deadline(self, text: str, received: date) -> AgentReply:
        expedited = "expedited" in text.lower()
        start = datetime.combine(received, time(9, 0), ZONE)
        due = start + (timedelta(hours=72) if expedited else timedelta(days=7))
        call = ToolCallRecord(
            name="compute_decision_deadline",
            args={"received_at": start.isoformat()},
            ok=True,
            result={
                "due_at": due.isoformat(),
                "due_at_if_extended": (due + timedelta(14)).isoformat(),
            },
        )
        return AgentReply(
            answer=f"The decision is due by {due:%Y-%m-%d %H:%M} (plan time).",
            intent=Intent.deadline,
            tool_calls=[call],
        )

    def _draft(self, case_id: str) -> AgentReply:
        call = ToolCallRecord(name="get_case", args={"case_id": case_id}, ok=True, result={})
        return AgentReply(
            answer=f"Draft D-{case_id} is ready; it requires clinician review and signature.",
            intent=Intent.draft_denial_letter,
            tool_calls=[call],
            draft_id=f"D-{case_id}",
            notices=["Draft only: it requires clinician review and signature; nothing was sent."],
            contains_member_data=True,
        )


def citation(n: int, p: Passage) -> Citation:
    return Citation(
        n=n,
        doc_id=p.doc_id,
        citation=p.citation,
        title=p.title,
        text=p.text,
        source_path="",
        section=p.section,
        version=p.version,
    )


@dataclass
class FakeLetters:
    flaws: frozenset[str] = frozenset()

    def text(self, draft_id: str) -> tuple[str, str] | None:
        body = (
            "DRAFT — requires clinician review and signature; not sent\n"
            "Reason: the sleep study does not show 15 or more events per hour (TC-200 §1.1).\n"
        )
        if "letter_gap" not in self.flaws:
            body += "Your appeal rights: you may appeal within 60 calendar days.\n"
        return ("medicaid", body)

    def check(self, program: str, text: str) -> LetterCheck:
        missing = () if "Your appeal rights" in text else ("appeal_right",)
        return LetterCheck(required=("specific_reason", "appeal_right"), missing=missing)


def fake_target(
    searcher: Searcher, flaws: frozenset[str] = frozenset(), name: str = "fake"
) -> Target:
    search = SearcherSearch(searcher, lambda: TODAY)
    return Target(
        name=name,
        agent=FakeAgent(search, flaws),
        search=search,
        corpus=IndexCorpus(searcher),
        letters=FakeLetters(flaws),
        members=[MEMBER],
        visibility=visibility(),
        users={"um_reviewer": "ur.blake"},
    )
