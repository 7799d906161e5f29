"""Paragraph designations of regulation text: "(b)(2)(i)" -> a depth for each marker.

CFR paragraphs nest (a) > (1) > (i) > (A) > (1) > (i); "(i)" may be the letter after "(h)" or the
first roman numeral, "(v)" the letter after "(u)" or roman five. As eregs' regparser does (with a
constraint solver there; a greedy rule here), a marker is read as the level that continues the
current path: it is the next value of a level already open, or the first value of the level that
comes right below the innermost open one, and the deeper reading wins when both fit: "(i)" under
"(h)(1)" opens the roman level, while "(i)" right after "(h)" can only continue the letters (the
level below a letter is a number).
"""

import re
from dataclasses import dataclass

# The order of levels in CFR text; after the sixth the cycle does not repeat in practice.
LEVELS = ("lower", "digit", "roman", "upper", "digit2", "roman2")
# Roman numerals run to five letters ("xviii"); "(viii)" is as common as "(vii)".
MARKER_RE = re.compile(r"\(([a-z]{1,5}|[A-Z]{1,2}|\d{1,3})\)")
LEADING_RE = re.compile(r"^\s*((?:\([a-zA-Z0-9]{1,5}\)\s*)+)")
ROMAN = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
    "xi": 11,
    "xii": 12,
    "xiii": 13,
    "xiv": 14,
    "xv": 15,
    "xvi": 16,
    "xvii": 17,
    "xviii": 18,
    "xix": 19,
    "xx": 20,
    "xxi": 21,
    "xxii": 22,
    "xxiii": 23,
    "xxiv": 24,
    "xxv": 25,
}


def _letters(value: str) -> int | None:
    """a=1 .. z=26, aa=27 (the CFR doubles letters after z)."""
    if len(set(value)) != 1:
        return None
    return (ord(value[0].lower()) - 96) + 26 * (len(value) - 1)


def readings(marker: str) -> dict[str, int]:
    """Every (level kind -> ordinal) a bare marker like "i" or "12" can stand for."""
    out: dict[str, int] = {}
    if marker.isdigit():
        out["digit"] = out["digit2"] = int(marker)
    elif marker.islower():
        if (n := _letters(marker)) is not None:
            out["lower"] = n
        if marker in ROMAN:
            out["roman"] = out["roman2"] = ROMAN[marker]
    elif marker.isupper() and (n := _letters(marker)) is not None:
        out["upper"] = n
    return out


@dataclass
class Path:
    """The open levels: (kind, ordinal, marker) from the outermost paragraph in."""

    levels: list[tuple[str, int, str]]

    def labels(self) -> str:
        return "".join(f"({m})" for _, _, m in self.levels)


# "(c) Extension of timeframes. (1) The MCO may ...", "(c) Filing—(1) Authority. (i) ...",
# "(c) Coverage and payment: Emergency services—(1) ...": a paragraph heading (a colon may sit
# inside it), then the first child of the next level.
INLINE_CHILD_RE = re.compile(r"^([A-Z][^.()—]{0,90}?(?:\.|—|:))\s*\(([a-zA-Z0-9]{1,5})\)\s")
FIRST_VALUES = ("1", "i", "A", "a")


def leading_markers(text: str) -> tuple[list[str], str]:
    """("(b)(2) Text" -> (["b", "2"], "Text")); no markers -> ([], text)."""
    markers, rest, _ = _leading(text)
    return markers, rest


def _leading(text: str) -> tuple[list[str], str, int]:
    """leading_markers, and where the text after the last marker it read begins."""
    m = LEADING_RE.match(text)
    if not m:
        return [], text, 0
    markers = MARKER_RE.findall(m.group(1))
    rest = text[m.end() :]
    probe, consumed = rest, m.end()
    while (inline := INLINE_CHILD_RE.match(probe)) and inline.group(2) in FIRST_VALUES:
        markers.append(inline.group(2))
        probe = probe[inline.end() :]
        consumed += inline.end()
    return markers, rest, consumed


# A designation inside a paragraph, after the end of a sentence, clause or lead-in, opening a
# capitalised sentence: "... apart from (a)(3). (2) For a PAHP, ...", "... has to — (i) Meet
# ...; and (ii) Have ...". A cross-reference ("paragraph (c)(1) of this section") follows a
# word, and the next marker must continue the paragraph tree in sequence.
INLINE_DESIGNATION_RE = re.compile(
    r"(?:[.;:—]|;\s+(?:and|or))\s*(?=\((?:[a-z]{1,5}|\d{1,3}|[A-Z]{1,2})\)\s+[A-Z\"'“])"
)


def split_inline(paragraphs: list[str | None]) -> list[list[str]]:
    """Each paragraph cut where a later designation of the tree begins inside it: text saved
    from a PDF or a site that runs "(1) ... (2) ... — (i) ...; (ii) ..." into one paragraph.
    None (a list item, not a paragraph) passes as [] and leaves the tree where it was."""
    path = Path([])
    out: list[list[str]] = []
    for text in paragraphs:
        if text is None:
            out.append([])
            continue
        markers, _, consumed = _leading(text)
        new: Path | None = path
        for marker in markers:
            new = place(new, marker) if new is not None else None
        if not markers or new is None:
            out.append([text])
            continue
        pieces, start = [], 0
        for m in INLINE_DESIGNATION_RE.finditer(text, consumed):
            found = MARKER_RE.match(text, m.end())
            options = placements(new, found.group(1), jumps=False) if found else []
            if not options:
                continue
            pieces.append(text[start : m.end()].rstrip())
            start, new = m.end(), options[0]
        pieces.append(text[start:])
        path = new
        out.append(pieces)
    return out


def placements(path: Path, marker: str, jumps: bool = True) -> list[Path]:
    """Every path reading `marker` below or beside `path` can give, likeliest first."""
    options = readings(marker)
    if not options:
        return []
    levels = path.levels
    out: list[Path] = []
    if levels:
        inner = LEVELS.index(levels[-1][0])
        deeper = LEVELS[inner + 1] if inner + 1 < len(LEVELS) else None
    else:
        # A section normally opens with (a); some open with (1).
        deeper = "lower" if "lower" in options else "digit"
    if deeper is not None and options.get(deeper) == 1:
        out.append(Path([*levels, (deeper, 1, marker)]))
    elif not levels and deeper in options:
        out.append(Path([(deeper, options[deeper], marker)]))  # an excerpt that starts at (c)
    for depth in range(len(levels) - 1, -1, -1):
        kind, ordinal, _ = levels[depth]
        if options.get(kind) == ordinal + 1:
            out.append(Path([*levels[:depth], (kind, ordinal + 1, marker)]))
            break
    if not out and jumps:
        # Excerpts skip paragraphs ((a), (b), (e)): a forward jump on an open level.
        for depth in range(len(levels) - 1, -1, -1):
            kind, ordinal, _ = levels[depth]
            if options.get(kind, 0) > ordinal:
                out.append(Path([*levels[:depth], (kind, options[kind], marker)]))
                break
        # ... or an excerpt that opens a level past its first paragraph ("paragraphs (c)(2)
        # through (c)(4) only": "(c)" then "(2)"; "(iii)" then "(C)").
        if not out and deeper is not None and deeper in options:
            out.append(Path([*levels, (deeper, options[deeper], marker)]))
    return out


def place(path: Path, marker: str, following: str | None = None) -> Path | None:
    """The path after `marker`; when two readings fit ("(i)" after "(h)(4)": roman one or the
    letter after h), the one under which the next paragraph's marker fits in sequence wins."""
    options = placements(path, marker)
    if len(options) > 1 and following is not None:
        fitting = [p for p in options if placements(p, following, jumps=False)]
        if len(fitting) == 1:
            return fitting[0]
    return options[0] if options else None


def designate(paragraphs: list[str]) -> list[tuple[str, Path | None]]:
    """Give each paragraph its designation path; None for paragraphs without markers."""
    firsts = [leading_markers(text)[0] for text in paragraphs]
    path = Path([])
    out: list[tuple[str, Path | None]] = []
    for i, (text, markers) in enumerate(zip(paragraphs, firsts, strict=True)):
        if not markers:
            out.append((text, None))
            continue
        following = next((m[0] for m in firsts[i + 1 :] if m), None)
        new: Path | None = path
        for j, marker in enumerate(markers):
            assert new is not None
            after = markers[j + 1] if j + 1 < len(markers) else following
            new = place(new, marker, after)
            if new is None:
                break
        if new is None:
            out.append((text, None))
            continue
        path = new
        out.append((text, Path(list(path.levels))))
    return out
