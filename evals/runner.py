"""Run a dataset through a target: ask each case, score the reply, record everything.

A case whose agent call raises is recorded as an error case (scored as a failure on every
metric it expected) and the run goes on.
"""

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.schemas import AgentReply, AgentRequest, RequestFilters
from evals import metrics, scoring
from evals.dataset import Case, Dataset
from evals.judge import Judge
from evals.results import CaseResult, ToolCallResult
from evals.scoring import Scorecard
from evals.target import LetterCheck, Passage, Target

# (done, total, case id)
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class RunOptions:
    k: int = 5
    retrieved_k: int = 10
    support_overlap: float = 0.5
    thread_prefix: str = "eval"


def request_filters(case: Case) -> RequestFilters:
    return RequestFilters(
        lob=case.filters.lob, doc_type=case.filters.doc_type, as_of=case.filters.as_of
    )


def search_query(case: Case) -> str:
    """What the retrieval metrics search for: a follow-up alone ("and for Medicaid?") is not a
    query, so it is read with the turn before it unless the case gives one."""
    if case.search_query:
        return case.search_query
    if case.type == "follow_up" and case.prior_turns:
        return f"{case.prior_turns[-1]} {case.question}"
    return case.question


def passages_in(value: Any) -> list[Passage]:
    """Passages a tool call reports having retrieved: any mapping with doc_id and text, or the
    citation anchors listed under a "passages" key."""
    out: list[Passage] = []
    if isinstance(value, dict) and isinstance(value.get("passages"), list):
        anchors = [p for p in value["passages"] if isinstance(p, str)]
        out.extend(Passage(doc_id="", section="", citation=a, text="") for a in anchors)
    if isinstance(value, dict):
        if isinstance(value.get("doc_id"), str) and isinstance(value.get("text"), str):
            out.append(
                Passage(
                    doc_id=value["doc_id"],
                    section=str(value.get("section") or ""),
                    citation=str(value.get("citation") or ""),
                    text=value["text"],
                    chunk_id=str(value.get("chunk_id") or ""),
                )
            )
        else:
            for v in value.values():
                out.extend(passages_in(v))
    elif isinstance(value, list):
        for v in value:
            out.extend(passages_in(v))
    return out


@dataclass(frozen=True)
class Evidence:
    retrieved: list[Passage] | None  # None: unknown, so the retrieved check is skipped
    source: str
    ranked: list[Passage]
    error: str = ""
    exact: bool = True  # False: the harness's own search stands in for an unreported one


class Runner:
    """Scores cases against one target. Built once per run; holds the corpus lookup."""

    def __init__(self, target: Target, options: RunOptions, judge: Judge | None = None) -> None:
        self.target = target
        self.options = options
        self.judge = judge
        self.corpus: list[Passage] | None = (
            list(target.corpus.passages()) if target.corpus is not None else None
        )
        self._by_doc: dict[str, list[Passage]] = {}
        for p in self.corpus or []:
            self._by_doc.setdefault(p.doc_id, []).append(p)

    def known_sources(self) -> dict[str, set[str]] | None:
        if self.corpus is None:
            return None
        return {doc: {p.section for p in ps} for doc, ps in self._by_doc.items()}

    def warnings_for(self, dataset: Dataset) -> list[str]:
        """Expected sources the index does not hold: a typo or a document never ingested."""
        known = self.known_sources()
        if known is None:
            return ["no corpus available: cited passages were not checked to exist"]
        out: list[str] = []
        for case in dataset:
            for source in case.expected_sources:
                where = f"case {case.id} (line {case.line})" if case.line else f"case {case.id}"
                if source.doc_id not in known:
                    out.append(f"{where}: expected source {source.doc_id} is not in the index")
                elif source.section and not any(
                    s == source.section or s.startswith(source.section + ".")
                    for s in known[source.doc_id]
                ):
                    out.append(
                        f"{where}: expected source {source.label} names a section "
                        f"{source.doc_id} does not have"
                    )
        return out

    def user_for(self, case: Case) -> str:
        return (
            case.user_id
            or self.target.users.get(case.role)
            or (f"{self.options.thread_prefix}-{case.role}")
        )

    def run(self, dataset: Dataset, progress: Progress | None = None) -> list[CaseResult]:
        results: list[CaseResult] = []
        for i, case in enumerate(dataset, 1):
            results.append(self.run_case(case))
            if progress:
                progress(i, len(dataset), case.id)
        return results

    def _ask(self, case: Case, text: str, thread_id: str) -> AgentReply:
        request = AgentRequest(
            user_id=self.user_for(case),
            role=case.role,
            text=text,
            thread_id=thread_id,
            filters=request_filters(case),
        )
        return self.target.agent.ask(request)

    def run_case(self, case: Case) -> CaseResult:
        thread_id = f"{self.options.thread_prefix}-{case.id}"
        base = CaseResult(
            id=case.id,
            type=case.type,
            role=case.role,
            lob=case.line_of_business,
            question=case.question,
            prior_turns=list(case.prior_turns),
            tags=list(case.tags),
            line=case.line,
            status="pass",
        )
        latency = 0.0
        try:
            for turn in case.prior_turns:
                self._ask(case, turn, thread_id)
            started = time.perf_counter()
            reply = self._ask(case, case.question, thread_id)
            latency = time.perf_counter() - started
        except Exception as exc:  # any agent failure is a recorded error case
            return self._error_case(base, case, exc)
        return self.score(base, case, reply, latency)

    def _error_case(self, base: CaseResult, case: Case, exc: BaseException) -> CaseResult:
        """An agent crash fails every metric the case expected; it never raises the score."""
        scores: dict[str, float | None] = dict.fromkeys(_applicable(case, self.target), 0.0)
        details: dict[str, Any] = {}
        # Retrieval does not depend on the agent, so it is still measured for real.
        self._retrieval_scores(case, self._evidence(case, None), scores, details)
        frames = traceback.extract_tb(exc.__traceback__)
        where = f" at {frames[-1].filename}:{frames[-1].lineno}" if frames else ""
        message = f"{type(exc).__name__}: {exc}"
        return base.model_copy(
            update={
                "status": "error",
                "error": message[:500] + where,
                "failures": [f"the agent raised {type(exc).__name__}"],
                "scores": scores,
                "details": details,
            }
        )

    def _evidence(self, case: Case, reply: AgentReply | None) -> "Evidence":
        """What was retrieved for this turn, and the ranked search the retrieval metrics use."""
        ranked: list[Passage] = []
        error = ""
        if self.target.search is not None:
            want = max(self.options.k, self.options.retrieved_k)
            try:
                ranked = self.target.search(search_query(case), want, request_filters(case))
            except Exception as exc:  # a refused query scores as nothing retrieved
                error = f"{type(exc).__name__}: {exc}"
        reported = [
            p for call in (reply.tool_calls if reply else []) for p in passages_in(call.result)
        ]
        if reported:
            return Evidence(reported, "tool calls", ranked, error)
        if self.target.search is not None:
            top = ranked[: self.options.retrieved_k]
            return Evidence(top, f"search top {self.options.retrieved_k}", ranked, error, False)
        return Evidence(None, "unknown", ranked, error)

    def _retrieval_scores(
        self,
        case: Case,
        evidence: "Evidence",
        scores: dict[str, float | None],
        details: dict[str, Any],
    ) -> None:
        k = self.options.k
        details["retrieved"] = [
            f"{p.doc_id} §{p.section}" if p.section else p.doc_id for p in evidence.ranked[:k]
        ]
        if evidence.error:
            details["search_error"] = evidence.error
        if case.expected_sources and self.target.search is not None:
            r = metrics.retrieval(case.expected_sources, evidence.ranked, k)
            scores["retrieval_recall_at_k"] = r.recall_at_k
            scores["mrr"] = r.mrr
            details["retrieval_ranks"] = r.ranks

    def _letter(self, reply: AgentReply, lob: str, card: Scorecard) -> tuple[str, str | None]:
        """(letter program, body) of the reply's draft; body None when there is none."""
        if not reply.draft_id or self.target.letters is None:
            return lob, None
        try:
            got = self.target.letters.text(reply.draft_id)
        except Exception as exc:  # reported, scored as no draft
            card.details["letter_error"] = f"{type(exc).__name__}: {exc}"
            return lob, None
        return got if got is not None else (lob, None)

    def _check_letter(self, program: str, text: str | None, card: Scorecard) -> LetterCheck | None:
        if text is None or self.target.letters is None:
            return None
        try:
            return self.target.letters.check(program, text)
        except Exception as exc:  # reported beside the score
            card.details["letter_error"] = f"{type(exc).__name__}: {exc}"
            return None

    def score(self, base: CaseResult, case: Case, reply: AgentReply, latency: float) -> CaseResult:
        card = Scorecard()
        evidence = self._evidence(case, reply)
        card.details["retrieved_from"] = evidence.source
        self._retrieval_scores(case, evidence, card.scores, card.details)
        program, letter_text = self._letter(reply, case.line_of_business, card)
        visible = "\n".join([reply.answer, *reply.notices])
        scoring.facts(card, case, visible + ("\n" + letter_text if letter_text else ""))
        citations, dangling = scoring.citations(
            card,
            case,
            reply,
            evidence.retrieved,
            self.corpus,
            self.options.support_overlap,
            evidence.exact,
        )
        scoring.behaviour(card, case, reply)
        scoring.deadline(card, case, reply)
        if case.type == "draft_letter" or case.expected_letter_elements:
            check = self._check_letter(program, letter_text, card)
            scoring.letter(card, case, program, letter_text, check)
        scoring.phi(card, case, reply, self.target.members, self.target.visibility)
        if self.judge is not None:
            scoring.judge(card, case, reply, self.judge)
        return base.model_copy(
            update={
                "status": "fail" if card.failures else "pass",
                "failures": card.failures,
                "answer": reply.answer,
                "abstained": reply.abstained,
                "intent": reply.intent.value,
                "notices": list(reply.notices),
                "citations": citations,
                "dangling_markers": dangling,
                "tool_calls": [
                    ToolCallResult(name=t.name, ok=t.ok, args=_safe_args(t.args), error=t.error)
                    for t in reply.tool_calls
                ],
                "draft_id": reply.draft_id,
                "scores": card.scores,
                "details": card.details,
                "latency_s": round(latency, 4),
            }
        )


def _safe_args(args: dict[str, Any]) -> dict[str, Any]:
    """Tool arguments as JSON-safe text; results stay out of the report (they may hold PHI)."""
    return {
        str(k): v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
        for k, v in args.items()
    }


def _applicable(case: Case, target: Target) -> list[str]:
    """The metrics a case is scored on whatever the reply, for scoring an error case."""
    out = []
    if case.expected_sources and target.search is not None:
        out += ["retrieval_recall_at_k", "mrr"]
    if case.must_include:
        out.append("fact_recall")
    if case.must_not_include:
        out.append("no_forbidden_facts")
    if case.should_abstain is False and case.expected_sources:
        out.append("citation_accuracy")
    if case.should_abstain is not None:
        out.append("abstention_accuracy")
    if case.type == "decision_request":
        out.append("decision_deferral")
    if case.expected_tools:
        out.append("tool_accuracy")
    if case.expected_intent:
        out.append("intent_accuracy")
    if case.expected_deadline is not None:
        out.append("deadline_accuracy")
    if case.type == "draft_letter" or case.expected_letter_elements:
        out.append("letter_completeness")
    return out
