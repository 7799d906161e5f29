"""Resolve an elliptical follow-up ("and for Medicaid?") against the thread's previous turn.

A turn's memory (`Remembered`) is the text it acted on (its ids, codes, dates and urgency
included) plus the route fields the agent stores; the previous route is rebuilt from both, so a
follow-up keeps the member, case and codes the earlier turn resolved unless it names new ones.
"""

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from pydantic import BaseModel

from bot.router import (
    CASE_ID_RE,
    LOB_PATTERNS,
    MEMBER_ID_RE,
    RECEIVED_RE,
    URGENT_RE,
    Route,
    detect_as_of,
    detect_codes,
)
from bot.schemas import Intent

LOB_WORDS = {
    "medicare_advantage": "Medicare Advantage",
    "medicaid": "Medicaid managed care",
    "commercial": "commercial ERISA",
}
FOLLOW_UP_LEAD_RE = re.compile(
    r"^\s*(same (question )?for|what about|how about|what if it'?s|and for|and|for)\b\s*", re.I
)
YEAR_PHRASE_RE = re.compile(r"\b(in|during|as of|before|prior to)\s+20\d{2}\b", re.I)


class Remembered(BaseModel):
    """What a thread keeps of one turn: what was asked, what it acted on, what was shown."""

    text: str
    effective_text: str = ""
    intent: Intent = Intent.question
    lob: str | None = None
    case_ids: list[str] = []
    codes: list[str] = []
    answer: str = ""


def remembered(entry: Remembered | Mapping[str, Any]) -> Remembered:
    """A thread's memory entry; threads written before memory was typed hold mappings."""
    if isinstance(entry, Remembered):
        return entry
    try:
        intent = Intent(str(entry.get("intent") or Intent.question.value))
    except ValueError:
        intent = Intent.question  # memory written by an older version
    return Remembered(
        text=str(entry.get("text") or ""),
        effective_text=str(entry.get("effective_text") or ""),
        intent=intent,
        lob=str(entry["lob"]) if entry.get("lob") else None,
        case_ids=[str(c) for c in entry.get("case_ids") or []],
        codes=[str(c) for c in entry.get("codes") or []],
        answer=str(entry.get("answer") or ""),
    )


def previous_route(entry: Remembered | Mapping[str, Any]) -> Route | None:
    """The route the previous turn resolved, or None when the thread has no usable memory."""
    previous = remembered(entry)
    text = previous.effective_text
    if not text:
        return None
    return Route(
        intent=previous.intent,
        text=text,
        # Member ids are not stored: the text the turn acted on holds them.
        member_ids=tuple(dict.fromkeys(MEMBER_ID_RE.findall(text))),
        case_ids=tuple(previous.case_ids) or tuple(dict.fromkeys(CASE_ID_RE.findall(text))),
        codes=tuple(previous.codes) or detect_codes(text),
        lob=previous.lob if previous.lob in LOB_WORDS else None,
        as_of=detect_as_of(text),
        urgency="expedited" if URGENT_RE.search(text) else None,
        mentions_received=bool(RECEIVED_RE.search(text)),
    )


def _swap(text: str, rx: re.Pattern[str], new: tuple[str, ...]) -> str:
    """The text with its ids of one kind replaced by the follow-up's (kept when it names none)."""
    if not new:
        return text
    if not rx.search(text):
        return f"{text} {' '.join(new)}"
    first = rx.search(text)
    assert first is not None
    head, tail = text[: first.start()], rx.sub("", text[first.end() :])
    return f"{head}{' '.join(new)}{tail}"


def resolve(route: Route, previous: Remembered | Mapping[str, Any] | None) -> tuple[Route, str]:
    """Return the route and the text to act on; a follow-up inherits the previous turn's route."""
    if not route.follow_up or not previous:
        return route, route.text
    prior = previous_route(previous)
    if prior is None:
        return route, route.text
    text = prior.text
    if route.lob:
        for _, rx in LOB_PATTERNS:
            text = rx.sub("", text)
        text = re.sub(r"\s{2,}", " ", text).strip(" ?") + f" for {LOB_WORDS[route.lob]}"
    if route.as_of:
        text = YEAR_PHRASE_RE.sub("", text).strip(" ?")
        text += f" as of {route.as_of.isoformat()}"
    text = _swap(text, MEMBER_ID_RE, route.member_ids)
    text = _swap(text, CASE_ID_RE, route.case_ids)
    # What the follow-up adds beyond a lead word and the ids already swapped in.
    extra = FOLLOW_UP_LEAD_RE.sub("", route.text)
    extra = CASE_ID_RE.sub("", MEMBER_ID_RE.sub("", extra)).strip(" ?,.")
    if not route.lob and not route.as_of and extra:
        text = f"{text} {extra}"
    text = re.sub(r"\s{2,}", " ", text).strip()
    merged = replace(
        route,
        intent=prior.intent,
        text=text,
        member_ids=route.member_ids or prior.member_ids,
        case_ids=route.case_ids or prior.case_ids,
        codes=route.codes or prior.codes,
        lob=route.lob or prior.lob,
        as_of=route.as_of or detect_as_of(text),
        urgency=route.urgency or prior.urgency,
        mentions_received=route.mentions_received or prior.mentions_received,
    )
    return merged, text
