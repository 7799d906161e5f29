"""Text normalisation shared by every textual metric, so "seven" and "7" or "72-hour" and
"72 hours" are the same fact to the harness.

The rules are deliberately small and symmetric: the same function runs on the expected fact and
on the reply, so a rule can only make two spellings of one fact meet, never invent a match.
"""

import re
from functools import lru_cache

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000}
NUMBER_WORDS = UNITS.keys() | TENS.keys() | SCALES.keys()

# Abbreviations staff write for the units that timeframes are stated in.
SYNONYMS = {"hrs": "hour", "hr": "hour", "yrs": "year", "yr": "year", "wks": "week", "%": "percent"}

DASHES_RE = re.compile(r"[\u2010-\u2015\u2212]")
THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
CENTS_RE = re.compile(r"(?<=\d)\.00(?!\d)")
# Doc ids (UM-104, MP-201, CON-105) and codes (E0601, M54.16, 422.568) stay one token each.
TOKEN_RE = re.compile(
    r"[a-z]{1,4}-\d{2,4}(?:-v\d+)?"
    r"|[a-z]\d[0-9a-z]*(?:\.[0-9a-z]+)?"
    r"|\d+(?:\.\d+)*"
    r"|[a-z][a-z']*"
    r"|%"
)
NUMERIC_RE = re.compile(r"^\d+(?:\.\d+)?$")

STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each either few for
    from further had has have having he her here hers him his how i if in into is it its itself
    just may me might more most must my no nor not of off on once only or other our ours out over
    own per same shall she should so some such than that the their theirs them then there these
    they this those through to too under until up upon very was we were what when where which
    while who whom why will with within would you your yours
    """.split()
)


def _stem(token: str) -> str:
    """Fold the plurals that distinguish "72 hours" from "72-hour"; nothing more aggressive."""
    if not token.isalpha() or len(token) <= 3:
        return token
    if token.endswith("ies") and len(token) > 4:
        return token[:-3] + "y"
    if token.endswith(("ss", "us", "is")):
        return token
    if token.endswith("s"):
        return token[:-1]
    return token


def _fold_numbers(tokens: list[str]) -> list[str]:
    """Replace runs of number words by digits: "one hundred eighty" -> "180"."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i] not in NUMBER_WORDS or tokens[i] in SCALES:
            out.append(tokens[i])
            i += 1
            continue
        total, current, j = 0, 0, i
        while j < len(tokens):
            word = tokens[j]
            if word in UNITS:
                current += UNITS[word]
            elif word in TENS:
                current += TENS[word]
            elif word in SCALES:
                current = max(current, 1) * SCALES[word]
                if word == "thousand":
                    total, current = total + current, 0
            elif word == "and" and j + 1 < len(tokens) and tokens[j + 1] in NUMBER_WORDS:
                pass
            else:
                break
            j += 1
        out.append(str(total + current))
        i = j
    return out


def _collapse_repeats(tokens: list[str]) -> list[str]:
    """ "fourteen (14)" reads as 14 14 once folded; a number repeated in place is one number."""
    out: list[str] = []
    for token in tokens:
        if out and token == out[-1] and NUMERIC_RE.match(token):
            continue
        out.append(token)
    return out


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """Normalised tokens: case folded, numbers as digits, units singular, punctuation gone."""
    low = DASHES_RE.sub("-", text.casefold())
    low = THOUSANDS_RE.sub("", low)
    low = CENTS_RE.sub("", low)
    raw = [SYNONYMS.get(t, t) for t in TOKEN_RE.findall(low)]
    # "member's" and "members" are one word to a fact check; other apostrophes just go.
    raw = [(t[:-2] if t.endswith("'s") else t).replace("'", "") for t in raw]
    folded = _collapse_repeats(_fold_numbers(raw))
    return tuple(_stem(t) for t in folded if t)


def normalize(text: str) -> str:
    """The normalised form as one string, for display and for set membership."""
    return " ".join(tokens(text))


def contains(haystack: str, needle: str) -> bool:
    """True when the normalised needle occurs as a whole-token run inside the haystack."""
    want = tokens(needle)
    if not want:
        return False
    have = tokens(haystack)
    n = len(want)
    first = want[0]
    return any(have[i] == first and have[i : i + n] == want for i in range(len(have) - n + 1))


def content_words(text: str) -> set[str]:
    """Tokens that carry meaning: stopwords and lone letters removed."""
    return {t for t in tokens(text) if t not in STOPWORDS and (len(t) > 1 or t.isdigit())}


def numbers(text: str) -> set[str]:
    """The quantities a text states (7, 72, 14, 95), as normalised digit strings."""
    return {t for t in tokens(text) if NUMERIC_RE.match(t)}
