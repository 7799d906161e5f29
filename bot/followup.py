"""Resolve an elliptical follow-up ("and for Medicaid?") against the thread's previous turn."""

import re
from dataclasses import replace

from bot.router import LOB_PATTERNS, Route, detect_as_of
from bot.schemas import Intent

LOB_WORDS = {
    "medicare_advantage": "Medicare Advantage",
    "medicaid": "Medicaid managed care",
    "commercial": "commercial ERISA",
}
FOLLOW_UP_LEAD_RE = re.compile(
    r"^\s*(and|what about|how about|same (question )?for|and for|what if it'?s|for)\s+", re.I
)


def resolve(route: Route, previous: dict[str, object] | None) -> tuple[Route, str]:
    """Return the route and the text to act on; a follow-up inherits the previous question."""
    if not route.follow_up or not previous:
        return route, route.text
    prev_text = str(previous.get("effective_text") or "")
    if not prev_text:
        return route, route.text
    text = prev_text
    if route.lob:
        for _, rx in LOB_PATTERNS:
            text = rx.sub("", text)
        text = re.sub(r"\s{2,}", " ", text).strip(" ?") + f" for {LOB_WORDS[route.lob]}"
    if route.as_of:
        text = re.sub(r"\b(in|during|as of|before|prior to)\s+20\d{2}\b", "", text).strip(" ?")
        text += f" as of {route.as_of.isoformat()}"
    extra = FOLLOW_UP_LEAD_RE.sub("", route.text).strip(" ?")
    if not route.lob and not route.as_of and extra:
        text = f"{text} {extra}"
    intent = Intent(str(previous.get("intent") or route.intent))
    prev_lob = previous.get("lob")
    merged = replace(
        route,
        intent=intent,
        text=text,
        lob=route.lob or (str(prev_lob) if prev_lob else None),
        as_of=route.as_of or detect_as_of(text),
        case_ids=route.case_ids or tuple(previous.get("case_ids") or ()),  # type: ignore[arg-type]
        codes=route.codes or tuple(previous.get("codes") or ()),  # type: ignore[arg-type]
    )
    return merged, text
