"""Citation accuracy: each cited passage exists, was retrieved this turn, and supports the text
that cites it.

"Supports" is concrete and deterministic. The claim of citation [n] is every answer sentence
carrying the marker [n]; a marker also covers the unmarked sentences since the previous marker
(a citation closing a paragraph vouches for the paragraph). A claim is supported when
  1. at least `overlap` of its content words (normalised, stopwords removed) occur in the
     passages that sentence cites, taken together,
  2. every quantity it states (7, 72, 14, 95 ...) occurs in those passages: in UM work a right
     sentence with the wrong number is the most dangerous error, and word overlap alone would
     pass "14 calendar days" cited to a passage that says 7, and
  3. passage [n] itself contributes at least half of that overlap on its own, so a citation
     cannot ride on a neighbour that carries the claim.
When the sentence carrying the marker is not supported (say a closing "verify before use"), the
marker is read as covering its paragraph: the citation holds when at least half of the claims
made since the previous marker are supported, provided the marked sentence states no quantity
the sources lack. An answer without any [n] marker is checked sentence by sentence
against each citation: the citation is supported when some sentence is supported by it alone.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.schemas import Citation
from evals import normalize
from evals.target import Passage

MARKER_RE = re.compile(r"\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")
# Sentences end at . ! ? or an ellipsis, and also after a citation marker followed by a new
# capitalised sentence: composers often trim a passage ("... The … [1] Next passage").
SENTENCE_RE = re.compile(r"(?<=[.!?…])\s+(?=\S)|(?<=\])\s+(?=[A-Z])|\n+")
# Anchors name a passage rather than state a fact: their digits are not quantities.
ANCHOR_RE = re.compile(
    r"\b\d{1,2}\s*C\.?F\.?R\.?\s*(?:§+\s*)?\d{1,4}\.\d{1,4}(?:-\d+)?(?:\([a-z0-9]{1,4}\))*"
    r"|§+\s*\d{1,3}(?:\.\d{1,3})*"
    r"|\b[A-Z]{2,4}-\d{2,4}\b"
    r"|\b\d{2}\s+FR\s+\d+",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Claim:
    """One answer sentence, the citation numbers it carries, and the unmarked sentences before
    it since the previous marker."""

    text: str
    cites: tuple[int, ...]
    context: tuple[str, ...] = ()


@dataclass
class CitationVerdict:
    n: int
    citation: str
    doc_id: str
    exists: bool
    retrieved: bool | None  # None: the reply does not say what it retrieved, so unconfirmed
    supported: bool
    claims: list[str] = field(default_factory=list)
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.exists and self.retrieved is not False and self.supported


@dataclass
class CitationScore:
    accuracy: float | None
    verdicts: list[CitationVerdict]
    dangling: list[int]
    note: str = ""

    @property
    def checked(self) -> int:
        return len(self.verdicts) + len(self.dangling)


def split_claims(answer: str) -> list[Claim]:
    """Sentences with their markers; a marker opening a sentence belongs to the one before it
    ("... 72 hours. [1] The plan ...")."""
    pieces = [p.strip() for p in SENTENCE_RE.split(answer) if p and p.strip()]
    claims: list[Claim] = []
    for piece in pieces:
        lead = re.match(r"^((?:\[\d{1,3}(?:\s*[,;]\s*\d{1,3})*\]\s*)+)(.*)$", piece, re.DOTALL)
        if lead and claims:
            prev = claims[-1]
            claims[-1] = Claim(
                prev.text + " " + lead.group(1).strip(), prev.cites + _numbers(lead.group(1))
            )
            piece = lead.group(2).strip()
            if not piece:
                continue
        claims.append(Claim(piece, _numbers(piece)))
    return _with_context(claims)


def _with_context(claims: list[Claim]) -> list[Claim]:
    out: list[Claim] = []
    pending: list[str] = []
    for claim in claims:
        if claim.cites:
            out.append(Claim(claim.text, claim.cites, tuple(pending)))
            pending = []
        else:
            out.append(claim)
            pending.append(claim.text)
    return out


def _numbers(text: str) -> tuple[int, ...]:
    out: list[int] = []
    for group in MARKER_RE.findall(text):
        for part in re.split(r"[,;]", group):
            n = int(part.strip())
            if n not in out:
                out.append(n)
    return tuple(out)


def claim_text(text: str) -> str:
    """The sentence without its markers: what it asserts."""
    return MARKER_RE.sub(" ", text)


def _quantities(text: str) -> set[str]:
    # "1" is left out: "one" is as often a pronoun ("a standard one", "one of the following")
    # as a quantity, and flagging it would fail correct sentences.
    return normalize.numbers(ANCHOR_RE.sub(" ", claim_text(text))) - {"1"}


def passage_words(citation: Citation) -> tuple[set[str], set[str]]:
    """Content words and quantities of a cited passage, with its anchor and title: a sentence
    naming "UM-104 §3.2" or the policy title is not claiming anything the passage lacks."""
    full = " ".join((citation.text, citation.title, citation.citation))
    return normalize.content_words(full), normalize.numbers(citation.text)


def support(claim: str, words: set[str], quantities: set[str]) -> tuple[float | None, set[str]]:
    """Share of the claim's content words found in `words` (None when, anchors aside, it says
    nothing: "(42 CFR 422.572)." is a pointer, not a claim), and its quantities not found."""
    said = normalize.content_words(ANCHOR_RE.sub(" ", claim_text(claim)))
    if not said:
        return None, set()
    overlap = len(said & words) / len(said)
    return overlap, _quantities(claim) - quantities


def _same_passage(citation: Citation, passage: Passage) -> bool:
    if not passage.text:
        # Evidence that names passages only by their anchor ("UM-104 §3.2").
        return bool(passage.citation) and passage.citation == citation.citation
    if citation.doc_id != passage.doc_id:
        return False
    a = " ".join(citation.text.split())
    b = " ".join(passage.text.split())
    if not a:
        return False
    return a == b or a in b or (len(b) > 40 and b in a)


def found_in(citation: Citation, passages: Iterable[Passage]) -> bool:
    return any(_same_passage(citation, p) for p in passages)


def check_citations(
    answer: str,
    citations: list[Citation],
    retrieved: list[Passage] | None,
    corpus: list[Passage] | None,
    overlap: float = 0.5,
    exact: bool = True,
) -> CitationScore:
    """Verdict per citation and the share of citations (and dangling markers) that hold up.

    `retrieved` None means "unknown": the retrieved check is skipped rather than guessed;
    `corpus` None likewise skips the existence check. `exact` False means `retrieved` is the
    harness's own search standing in for what the reply did not report: a citation outside it
    is unconfirmed (None), not a failure.
    """
    claims = split_claims(answer)
    by_n = {c.n: c for c in citations}
    marked = any(c.cites for c in claims)
    dangling = sorted({n for c in claims for n in c.cites if n not in by_n})
    prepared = {c.n: passage_words(c) for c in citations}
    verdicts: list[CitationVerdict] = []
    for cit in citations:
        exists = True if corpus is None else found_in(cit, corpus)
        was_retrieved: bool | None = True if retrieved is None else found_in(cit, retrieved)
        if not was_retrieved and not exact:
            was_retrieved = None
        words, quantities = prepared[cit.n]
        if marked:
            mine = [c for c in claims if cit.n in c.cites]
            supported, reason = _supported_marked(mine, cit, prepared, overlap)
        else:
            mine = [c for c in claims if (support(c.text, words, quantities)[0] or 0) >= overlap]
            ok = [c for c in mine if not support(c.text, words, quantities)[1]]
            supported = bool(ok)
            mine = ok or mine
            reason = "" if supported else "no sentence of the answer is supported by it"
        if not exists:
            reason = "no such passage in the index"
        elif was_retrieved is False:
            reason = "not among the passages retrieved for this question"
        verdicts.append(
            CitationVerdict(
                n=cit.n,
                citation=cit.citation,
                doc_id=cit.doc_id,
                exists=exists,
                retrieved=was_retrieved,
                supported=supported,
                claims=[c.text for c in mine],
                reason=reason,
            )
        )
    total = len(verdicts) + len(dangling)
    if total == 0:
        return CitationScore(None, [], [], note="no citations")
    good = sum(v.ok for v in verdicts)
    return CitationScore(good / total, verdicts, dangling)


def is_reference(text: str, citation: Citation) -> bool:
    """ "Criteria cited: MP-207 §2.3 [1]; ...": a marker beside its own citation's anchor, in a
    sentence that otherwise says next to nothing, labels a reference rather than a claim. It is
    accurate when the anchor it sits beside is the citation's."""
    anchor = re.escape(" ".join(citation.citation.split()))
    flat = " ".join(text.split())
    beside = rf"{anchor}\s*(?:,[^\[\]]{{0,120}})?\[{citation.n}\]|\[{citation.n}\]\s*{anchor}"
    if not anchor or not re.search(beside, flat):
        return False
    rest = normalize.content_words(ANCHOR_RE.sub(" ", claim_text(flat)))
    rest -= normalize.content_words(citation.title)
    return len(rest) <= 3


def _supported_marked(
    mine: list[Claim],
    citation: Citation,
    prepared: dict[int, tuple[set[str], set[str]]],
    overlap: float,
) -> tuple[bool, str]:
    n = citation.n
    if not mine:
        return False, "listed but never cited in the answer"
    for claim in mine:
        if is_reference(claim.text, citation):
            continue
        cited = [m for m in claim.cites if m in prepared]
        words = set().union(*(prepared[m][0] for m in cited))
        quantities = set().union(*(prepared[m][1] for m in cited))
        why = _sentence_verdict(claim.text, words, quantities, prepared[n], overlap)
        if not why:
            continue
        if "states" in why:
            return False, why
        # Read as covering its paragraph: at least half of the paragraph's claims must hold.
        verdicts = [
            _sentence_verdict(text, words, quantities, prepared[n], overlap)
            for text in claim.context
            if support(text, words, quantities)[0] is not None
        ]
        held = sum(not v for v in verdicts)
        if not verdicts or held * 2 < len(verdicts):
            return False, why + f"; {held} of {len(verdicts)} sentences before it are supported"
    return True, ""


def _sentence_verdict(
    text: str,
    words: set[str],
    quantities: set[str],
    own: tuple[set[str], set[str]],
    overlap: float,
) -> str:
    """Why one sentence is not supported by its sources (and by passage n), or ""."""
    share, unsupported_numbers = support(text, words, quantities)
    if unsupported_numbers:
        return (
            "claim states " + ", ".join(sorted(unsupported_numbers)) + " which its sources do not"
        )
    if share is None:
        return "the cited sentence makes no claim of its own"
    if share < overlap:
        return f"claim shares only {share:.0%} of its content words with its sources"
    alone, _ = support(text, own[0], own[1])
    if alone is None or alone < overlap / 2:
        return f"the passage itself carries only {alone or 0:.0%} of the claim"
    return ""
