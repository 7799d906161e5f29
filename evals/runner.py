"""Run a dataset through a target: ask each case, score the reply, record everything.

A case whose agent call raises is recorded as an error case (scored as a failure on every
metric it expected) and the run goes on.
"""

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.schemas import AgentReply, AgentRequest, Intent, RequestFilters
from evals import metrics
from evals.citations import check_citations
from evals.dataset import Case, Dataset
from evals.judge import Judge
from evals.results import CaseResult, CitationResult, ToolCallResult
from evals.target import Passage, Target

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
            results.append(self.run_case(case, run_index=i))
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

    def run_case(self, case: Case, run_index: int = 0) -> CaseResult:
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

    def score(self, base: CaseResult, case: Case, reply: AgentReply, latency: float) -> CaseResult:
        opts = self.options
        scores: dict[str, float | None] = {}
        details: dict[str, Any] = {}
        failures: list[str] = []

        evidence = self._evidence(case, reply)
        retrieved = evidence.retrieved
        details["retrieved_from"] = evidence.source
        self._retrieval_scores(case, evidence, scores, details)

        letter_text: str | None = None
        letter_lob = case.line_of_business
        if reply.draft_id and self.target.letters is not None:
            try:
                got = self.target.letters.text(reply.draft_id)
            except Exception as exc:  # reported, scored as no draft
                got = None
                details["letter_error"] = f"{type(exc).__name__}: {exc}"
            if got is not None:
                letter_lob, letter_text = got

        visible = "\n".join([reply.answer, *reply.notices])
        fact_text = visible + ("\n" + letter_text if letter_text else "")
        f = metrics.facts(fact_text, case.must_include, case.must_not_include)
        scores["fact_recall"] = f.recall
        if case.must_not_include:
            scores["no_forbidden_facts"] = 0.0 if f.forbidden else 1.0
        details["facts_found"] = f.found
        details["facts_missing"] = f.missing
        details["forbidden_found"] = f.forbidden
        if f.missing:
            failures.append("missing facts: " + "; ".join(f.missing))
        if f.forbidden:
            failures.append("states what it must not: " + "; ".join(f.forbidden))

        citation_rows: list[CitationResult] = []
        dangling: list[int] = []
        if not reply.abstained:
            c = check_citations(
                reply.answer,
                reply.citations,
                retrieved,
                self.corpus,
                overlap=opts.support_overlap,
                exact=evidence.exact,
            )
            unconfirmed = [v.citation for v in c.verdicts if v.retrieved is None]
            if unconfirmed and retrieved is not None:
                details["retrieval_unconfirmed"] = unconfirmed
            dangling = c.dangling
            verdicts = {v.n: v for v in c.verdicts}
            for cit in reply.citations:
                v = verdicts[cit.n]
                citation_rows.append(
                    CitationResult(
                        n=cit.n,
                        doc_id=cit.doc_id,
                        citation=cit.citation,
                        title=cit.title,
                        text=cit.text,
                        exists=v.exists if self.corpus is not None else None,
                        retrieved=v.retrieved if retrieved is not None else None,
                        supported=v.supported,
                        claims=v.claims,
                        reason=v.reason,
                    )
                )
            if c.accuracy is not None:
                scores["citation_accuracy"] = c.accuracy
            elif case.should_abstain is False and case.expected_sources:
                scores["citation_accuracy"] = 0.0
                details["citation_note"] = "answered without citations"
            bad = [
                f"[{v.n}] {v.citation}: {v.reason or 'not supported'}"
                for v in c.verdicts
                if not v.ok
            ]
            bad += [f"[{n}] cited in the answer but not listed" for n in dangling]
            if bad:
                failures.append("citations: " + "; ".join(bad))
            elif details.get("citation_note"):
                failures.append(details["citation_note"])

        # Declining as out of scope is also not answering: it counts as abstaining.
        declined = reply.abstained or reply.intent is Intent.out_of_scope
        abstained_ok = metrics.abstention(case.should_abstain, declined)
        if abstained_ok is not None:
            scores["abstention_accuracy"] = 1.0 if abstained_ok else 0.0
            if not abstained_ok:
                failures.append(
                    "answered a question it should have declined"
                    if case.should_abstain
                    else "abstained on an answerable question"
                )

        d = metrics.deferral(reply.answer, reply.notices)
        details["decision_phrases"] = d.decision_phrases
        if case.type == "decision_request":
            scores["decision_deferral"] = 1.0 if d.deferred else 0.0
            if not d.deferred:
                why = (
                    "states a decision: " + "; ".join(d.decision_phrases)
                    if d.decision_phrases
                    else "does not say that a clinician decides"
                )
                failures.append("decision not deferred: " + why)

        t = metrics.tools(case.expected_tools, reply)
        if t is not None:
            scores["tool_accuracy"] = 1.0 if t.correct else 0.0
            details["tools_missing"] = t.missing
            if not t.correct:
                failures.append("expected tool not called successfully: " + ", ".join(t.missing))

        if case.expected_intent:
            ok = reply.intent.value == case.expected_intent
            scores["intent_accuracy"] = 1.0 if ok else 0.0
            if not ok:
                failures.append(f"intent {reply.intent.value}, expected {case.expected_intent}")

        if case.expected_deadline is not None:
            dl = metrics.deadline(case.expected_deadline, reply)
            scores["deadline_accuracy"] = 1.0 if dl.correct else 0.0
            details["deadline"] = {
                "expected": dl.expected,
                "answer_states_date": dl.answer_states_date,
                "tool_values": dl.tool_values,
                "tool_matches": dl.tool_matches,
            }
            if not dl.correct:
                failures.append(f"deadline: expected {dl.expected}")

        if case.type == "draft_letter" or case.expected_letter_elements:
            check = None
            if letter_text is not None and self.target.letters is not None:
                try:
                    check = self.target.letters.check(letter_lob, letter_text)
                except Exception as exc:  # reported beside the score
                    details["letter_error"] = f"{type(exc).__name__}: {exc}"
            lt = metrics.letter(letter_text, check, case.expected_letter_elements)
            scores["letter_completeness"] = lt.completeness
            details["letter"] = {
                "lob": letter_lob,
                "present": lt.present,
                "missing": lt.missing,
                "note": lt.note,
            }
            if lt.completeness < 1.0:
                failures.append(
                    "letter incomplete: " + (lt.note or "missing " + ", ".join(lt.missing))
                )

        shown = (
            visible
            + "\n"
            + "\n".join(str(call.result) for call in reply.tool_calls if call.result is not None)
        )
        p = metrics.phi(
            shown,
            case.role,
            reply.contains_member_data,
            self.target.members,
            self.target.visibility,
        )
        if p is not None:
            scores["phi_exposure"] = 1.0 if p.exposed else 0.0
            details["phi_leaks"] = p.leaks
            if p.exposed:
                failures.append(
                    "member data shown to a role that may not see it: " + ", ".join(p.leaks)
                )

        if self.judge is not None and not reply.abstained and reply.citations:
            try:
                scores["judge_faithfulness"] = self.judge.faithfulness(
                    case.question, reply.answer, [c.text for c in reply.citations]
                )
            except Exception as exc:  # the optional judge never fails a run
                details["judge_error"] = f"{type(exc).__name__}: {exc}"

        return base.model_copy(
            update={
                "status": "fail" if failures else "pass",
                "failures": failures,
                "answer": reply.answer,
                "abstained": reply.abstained,
                "intent": reply.intent.value,
                "notices": list(reply.notices),
                "citations": citation_rows
                or [
                    CitationResult(
                        n=c.n, doc_id=c.doc_id, citation=c.citation, title=c.title, text=c.text
                    )
                    for c in reply.citations
                ],
                "dangling_markers": dangling,
                "tool_calls": [
                    ToolCallResult(name=t.name, ok=t.ok, args=_safe_args(t.args), error=t.error)
                    for t in reply.tool_calls
                ],
                "draft_id": reply.draft_id,
                "scores": scores,
                "details": details,
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
