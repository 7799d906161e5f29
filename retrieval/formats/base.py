"""What every format reader returns, a Markdown writer, and the boilerplate they all drop."""

import re
from dataclasses import dataclass, field, replace

from retrieval.errors import DocumentSkipped


@dataclass
class Extracted:
    """One document read from a file: Markdown text, metadata hints, and what went wrong."""

    text: str
    # Metadata read from the document's own structure: title, source_url, version_warning,
    # cfr_title, doc_type... (front matter and manifests win over these).
    hints: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    front: dict[str, object] | None = None


# Two hyphens after a word are a typed em dash ("(b) Exception--(1) In general.", "which
# are--"): read as one, a run-in heading and a lead-in are found as they are after "—".
TYPED_DASH_RE = re.compile(r"(?<=[A-Za-z.,;)])--(?=[\sA-Za-z(]|$)")


def clean(text: str) -> str:
    """Collapse whitespace (including non-breaking spaces) to single spaces."""
    return TYPED_DASH_RE.sub("\u2014", " ".join(text.replace("\u00a0", " ").split()))


class Markdown:
    """Builds the Markdown contract the chunker reads: blocks separated by blank lines,
    list items and table rows one per line (a row is a list item)."""

    def __init__(self) -> None:
        self.blocks: list[tuple[str, str]] = []  # (kind, line)
        self.tables = 0

    def heading(self, level: int, text: str) -> None:
        text = clean(text)
        if text:
            self.blocks.append(("h", "#" * max(1, min(level, 6)) + " " + text))

    def para(self, text: str) -> None:
        text = clean(text)
        if text:
            self.blocks.append(("p", text))

    def item(self, text: str, depth: int = 0, marker: str = "-") -> None:
        text = clean(text)
        if text:
            self.blocks.append(("li", "  " * max(0, depth) + f"{marker} {text}"))

    def table(self, rows: list[list[str]], header: bool | None = None) -> None:
        """A table as a list, one item per row that names its columns ("Urgent (pre-service) —
        Decision time: 72 hours; Extension: none"), so a row read alone still says what its
        numbers are. The header row is no item of its own: its words travel in every row.
        `header=None` guesses: a first row without digits above rows with them is a header."""
        rows = [cells for cells in ([clean(c) for c in r] for r in rows) if any(cells)]
        if not rows:
            return
        if header is None:
            header = (
                len(rows) > 1
                and not any(re.search(r"\d", c) for c in rows[0])
                and any(re.search(r"\d", c) for r in rows[1:] for c in r)
            )
        heads = rows[0] if header and len(rows) > 1 else None
        self.tables += 1  # two tables in a row are two lists
        for cells in rows[1:] if heads else rows:
            self.blocks.append((f"tr{self.tables}", f"- {row_text(cells, heads)}"))

    def __len__(self) -> int:
        return len(self.blocks)

    def render(self) -> str:
        out: list[str] = []
        previous = ""
        for kind, line in self.blocks:
            # Items of one list (rows of one table) stay on consecutive lines; a table and a
            # list beside it are apart.
            if out and not (kind == previous and (kind == "li" or kind.startswith("tr"))):
                out.append("")
            out.append(line)
            previous = kind
        return "\n".join(out) + "\n" if out else ""


def row_text(cells: list[str], heads: list[str] | None) -> str:
    """One table row as a sentence-like line: "first cell — Head: cell; Head: cell"."""
    while cells and not cells[-1]:
        cells = cells[:-1]
    if heads and len(cells) >= 2:
        named = [
            f"{heads[i]}: {c}" if i < len(heads) and heads[i] else c
            for i, c in enumerate(cells[1:], 1)
            if c
        ]
        return f"{cells[0]} — {'; '.join(named)}" if named else cells[0]
    if len(cells) == 2:
        return f"{cells[0]}: {cells[1]}"
    return "; ".join(c for c in cells if c)


def decode(raw: bytes, name: str) -> str:
    """UTF-8 text, or DocumentSkipped saying why not."""
    if b"\x00" in raw[:8192]:
        raise DocumentSkipped("binary content, not text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentSkipped(
            f"not UTF-8 text (invalid byte at offset {exc.start}); re-save {name} as UTF-8"
        ) from exc


# A regulation paragraph designation at the start of a line: "(a)", "(1)", "(iv)", "(A)".
DESIGNATION_RE = re.compile(r"^\((?:[a-z]{1,5}|\d{1,3}|[A-Z]{1,3})\)")
# A CFR section heading: "§ 438.408 Resolution and notification..." or "§ 2560.503-1 Claims...".
# A CFR section's sign: "§ 422.582", or "Sec. 422.582" as GPO's plain-text editions print it
# (a part of two to four digits, so a policy's "Sec. 4.1" stays a policy section).
SECTION_SIGN = r"(?:§|Sec\.(?=\s*\d{2,4}\.\d))"
SECTION_HEADING_RE = re.compile(
    rf"^{SECTION_SIGN}\s*(\d{{1,4}}\.\d{{1,4}}[a-z]?(?:-\d{{1,3}})?)\b\.?\s*(.*)$"
)
SOURCE_LINE_RE = re.compile(
    r"^(?:source(?: url)?|url|retrieved from|saved from|original(?: url)?)\s*:?\s*"
    r"<?(https?://\S+?)>?\.?$",
    re.IGNORECASE,
)
DATE_TEXT = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4}|[A-Za-z]{3,9}\.? \d{1,2}(?:st|nd|rd|th)?,? "
    r"\d{4}|\d{1,2} [A-Za-z]{3,9}\.? \d{4})"
)
RETRIEVED_LINE_RE = re.compile(
    r"^(?:retrieved|accessed|downloaded|printed|saved|captured|last (?:accessed|retrieved))"
    rf"(?: on| at)?\s*:?\s*{DATE_TEXT}\b.{{0,40}}$",
    re.IGNORECASE,
)
# "Title 42 › Chapter IV › Subchapter B › Part 422 › Subpart M › § 422.568".
BREADCRUMB_RE = re.compile(r"^(?:home|title \d+|ecfr)\b.*(?:›|»|>|/|\|).*$", re.IGNORECASE)
BREADCRUMB_SEPARATORS_RE = re.compile(r"\s(?:›|»|>|/|\|)\s")
NAV_WORDS = {
    "table of contents",
    "contents",
    "previous",
    "prev",
    "next",
    "up",
    "previous section",
    "next section",
    "details",
    "print",
    "print this page",
    "pdf",
    "enhanced content",
    "back to top",
    "top",
    "return to top",
    "home",
    "search",
    "menu",
    "skip to main content",
    "skip to content",
    "reports",
    "downloads",
    "expand all",
    "collapse all",
    "share",
    "subscribe",
    "timeline",
    "cross reference",
    "published edition",
    "developer tools",
    "view table of contents",
    "display table of contents",
    "go to",
    "close",
    "site map",
    "sitemap",
    "help",
    "contact us",
    "privacy policy",
    "accessibility",
    "disclaimers",
    "foia",
    "related documents",
    "reader aids",
    "email",
    "download",
    "print/pdf",
    "cancel",
    "feedback",
    "view the current version",
    "view current version",
    "go to the current version",
    "view the most recent version",
    "compare versions",
    "view history",
    "ecfr content",
    "using the ecfr point-in-time system",
    "privacy",
    "terms of use",
    "about",
    "about us",
    "legal",
    "site policies",
    "related pages",
    "related links",
    "related content",
    "nondiscrimination notice",
    "freedom of information act",
    "no fear act",
    "inspector general",
    "plain writing",
    # The banner every .gov page opens with.
    "an official website of the united states government",
    "here's how you know",
    "browse",
    "recent changes",
    "download pdf",
    "back to search results",
    "sign in",
    "log in",
    "federal register",
    "the daily journal of the united states government",
}
NAV_SPLIT_RE = re.compile(r"\s*(?:[|·•/›»]|\s{2,}|:\s)\s*")
# A banner about the version shown that is no warning ("*** Version information *** You are
# viewing the version of this section currently in force ..."): one paragraph of furniture.
BANNER_RE = re.compile(
    r"^(?:\*{2,}\s*version information\b|you are viewing (?:the|a) (?:current |most recent )?"
    r"version\b(?!.*\b(?:historical|not (?:the )?current|superseded|no longer)\b))",
    re.IGNORECASE,
)
VERSION_WARNING_RE = re.compile(
    r"\b(?:historical version|not the current (?:version|one)|is not current|no longer (?:in "
    r"effect|current)|out of date|superseded version|outdated version|was in effect (?:until|from)"
    r"|not yet in effect|future version|a version that is not)\b",
    re.IGNORECASE,
)
VERSION_SUBJECT_RE = re.compile(
    r"\b(?:version|this (?:section|page|content|document|policy))\b", re.IGNORECASE
)
DISCLAIMER_RE = re.compile(
    r"^(?:the )?(?:e-?cfr|electronic code of federal regulations)\b.{0,300}\b(?:content|snapshot|"
    r"unofficial|authoritative|editorial compilation|not an official|point-in-time|updated daily|"
    r"maintained by the office of the federal register)",
    re.IGNORECASE,
)
FOOTER_RE = re.compile(
    r"^(?:©|\(c\)\s*(?:19|20)\d\d\b|copyright\b|all rights reserved|questions\?\s+contact\b"
    # The masthead a government page is saved with: "CMS.gov  Centers for Medicare & ...".
    r"|(?:cms|medicare|hhs|ecfr)\.gov\b"
    r"|last (?:updated|modified|reviewed)\s*:?|page last (?:updated|modified|reviewed)"
    r"|this page (?:was )?last"
    # eCFR's own footer, and what a browser adds when a page is printed or saved.
    r"|a service of the (?:office of the federal register|u\.?s\.? government publishing)"
    r"|page saved from\b)",
    re.IGNORECASE,
)
# A site's note that its text is no official edition, wherever a wrapped footer line puts it.
EDITION_NOTICE_RE = re.compile(
    r"\b(?:(?:is )?not an official legal edition"
    r"|(?:content|text) is provided for reference only)\b",
    re.IGNORECASE,
)
# What a saved eCFR page says of itself: "Displaying title 42, up to date as of 10/01/2026.",
# "Title 42 was last amended 9/28/2026.", and its window title "eCFR :: 42 CFR 438.56 -- ...".
CURRENCY_RE = re.compile(
    r"^(?:displaying title \d{1,2}\b.{0,80}\bup to date as of\b"
    r"|title \d{1,2} (?:was )?last amended\b|content as of \d|e-?cfr\s*::\s)",
    re.IGNORECASE,
)
# "[65 FR 70265, Nov. 21, 2000, as amended at 81 FR 92340, Dec. 19, 2016]": a section's history.
CITATION_NOTE_RE = re.compile(r"^\[\s*\d+ FR \d+[^\]]*\]$")
# A rule drawn with characters ("-----", "= = = =") parts a saved page; it says nothing.
RULE_LINE_RE = re.compile(r"^(?:[-=_*~]\s?){4,}$")
# The heading block a Federal Register document opens with: its docket in brackets
# ("[CMS-0057-F]"), the CFR parts it amends ("42 CFR Parts 422, 431, and 438"), its RIN and the
# department. Metadata, never headings: read as one, "45 CFR Part 156" numbered a section "§45".
DOCKET_LINE_RE = re.compile(r"^\[([A-Z]{2,8}-\d{2,5}(?:-[A-Z0-9]{1,4})*)\]$")
HEADING_BLOCK_RE = re.compile(
    r"^(?:\d{1,2}\s+CFR\s+Parts?\s+\d[\d,\s]*(?:,?\s*and\s+\d+)?|RIN:?\s+\d{4}-[A-Z]{2}\d{2}"
    r"|DEPARTMENT OF [A-Z ,&]+)$"
)
PAGE_NUMBER_RE = re.compile(r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE)


# A menu bar: "Menu: Browse | Search | Reader Aids", "Navigate by: Previous Section (164.526) |
# Next Section (164.530) | Table of Contents": a label, then short links between bars.
MENU_LABEL_RE = re.compile(r"^[A-Z][A-Za-z ]{1,20}:\s+\S")


# A pager: "< Previous: 40 - Organization Determinations", "Next: 50.2 Timeframes >",
# "‹ § 422.616 | § 422.619 ›".
PAGER_RE = re.compile(
    r"^[<‹«]\s*(?:previous|prev|back)\b.{0,100}$|^(?:next|forward)\b.{0,100}[>›»]$"
    r"|^[<‹«]\s*§\s*[\d.]+\s*\|\s*§\s*[\d.]+\s*[>›»]$",
    re.IGNORECASE,
)


def is_navigation(text: str) -> bool:
    """A line made only of navigation words ("Previous | Next | Top", "Print"), a pager, or a
    menu bar."""
    words = [w for w in NAV_SPLIT_RE.split(text.strip().lower()) if w]
    if bool(words) and len(text) <= 120 and all(w.strip(" :.»«›‹<>") in NAV_WORDS for w in words):
        return True
    if PAGER_RE.match(text.strip()):
        return True
    links = [p.strip() for p in text.split("|")]
    if len(links) < 3 or len(text) > 200 or text.lstrip().startswith("|"):
        return False
    if not all(0 < len(p.split()) <= 5 and not p.endswith(".") for p in links):
        return False
    # A labelled menu ("Menu: Browse | Search"), or bars of links most of which are nav words.
    known = sum(p.lower().strip(" :") in NAV_WORDS for p in links)
    # Three links, two of them nav words: "Print | Share | Download full guidance (PDF)".
    return MENU_LABEL_RE.match(text) is not None or (
        (len(links) >= 4 and known * 5 >= 2 * len(links)) or (len(links) == 3 and known >= 2)
    )


def is_breadcrumb(text: str) -> bool:
    """A trail like "Title 42 › Chapter IV › Part 438" (two or more separators, short parts), or
    "MCD Home > Search > NCD Results" (short link labels between ">")."""
    parts = BREADCRUMB_SEPARATORS_RE.split(text.strip())
    if len(parts) < 3 or len(text) > 300:
        return False
    if re.search(r"\s>\s", text) and all(0 < len(p.split()) <= 5 for p in parts):
        return not any(p.rstrip().endswith((".", ";", ",")) for p in parts)
    return all(len(p) <= 80 for p in parts) and bool(
        re.search(r"(?:›|»)", text) or BREADCRUMB_RE.match(text)
    )


def is_version_warning(text: str) -> bool:
    """A notice about the page's version, never a regulation paragraph that mentions dates."""
    return (
        len(text) <= 300
        and not DESIGNATION_RE.match(text)
        and bool(VERSION_WARNING_RE.search(text))
        and bool(VERSION_SUBJECT_RE.search(text))
    )


def boilerplate(text: str) -> str | None:
    """Why `text` is page furniture rather than answer text, or None when it is content."""
    t = clean(text)
    if not t:
        return "empty"
    if SOURCE_LINE_RE.match(t):
        return "source"
    if RETRIEVED_LINE_RE.match(t):
        return "retrieved"
    # Links set apart by spaces alone ("Search    Reports    Help") are only apart before
    # `clean` joins the spaces.
    if is_navigation(t) or is_navigation(text.strip()):
        return "navigation"
    if is_breadcrumb(t):
        return "breadcrumb"
    if DISCLAIMER_RE.match(t):
        return "disclaimer"
    if FOOTER_RE.match(t) and len(t) <= 200:
        return "footer"
    if EDITION_NOTICE_RE.search(t) and len(t) <= 200:
        return "disclaimer"
    if CITATION_NOTE_RE.match(t):
        return "citation"
    if CURRENCY_RE.match(t) and len(t) <= 250:
        return "currency"
    if is_version_warning(t):
        return "version"
    if BANNER_RE.match(t):
        return "banner"
    if RULE_LINE_RE.match(t):
        return "rule"
    if DOCKET_LINE_RE.match(t):
        return "docket"
    if HEADING_BLOCK_RE.match(t):
        return "heading block"
    return None


def breadcrumb_title_number(text: str) -> int | None:
    """42 from "Title 42 › Chapter IV › ..."."""
    m = re.search(r"\btitle\s+(\d{1,2})\b", text, re.IGNORECASE)
    return int(m.group(1)) if m else None


def source_url(text: str) -> str | None:
    m = SOURCE_LINE_RE.match(clean(text))
    return m.group(1) if m else None


class Furniture:
    """Collects what boilerplate lines say that is worth keeping (source URL, version warning,
    title number from a breadcrumb, a Federal Register docket) while they are dropped from the
    text."""

    def __init__(self) -> None:
        self.hints: dict[str, object] = {}
        self.in_banner = False
        self.open_crumb = False

    def paragraph_break(self) -> None:
        """A blank line: whatever banner was being dropped has ended."""
        self.in_banner = self.open_crumb = False

    def drop_line(self, text: str) -> bool:
        """`drop` for one line of a page saved as text, where a banner drops the rest of its
        paragraph too (the lines up to the next blank one: see `paragraph_break`), and a
        breadcrumb that ends in its separator the short line it wrapped onto ("... (Part C) >",
        then "Guidance")."""
        wrapped = self.open_crumb and len(text.split()) <= 4
        kind = None if wrapped else self._drop(text)
        self.in_banner = self.in_banner or kind == "banner"
        self.open_crumb = kind == "breadcrumb" and text.rstrip().endswith((">", "›", "»"))
        return wrapped or kind is not None or self.in_banner

    def drop(self, text: str) -> bool:
        """True when `text` is boilerplate; remembers its metadata."""
        return self._drop(text) is not None

    def _drop(self, text: str) -> str | None:
        """What kind of boilerplate `text` is (see `boilerplate`), its metadata remembered."""
        kind = boilerplate(text)
        if kind is None:
            return None
        t = clean(text)
        if kind == "source":
            self.hints.setdefault("source_url", source_url(t))
        elif kind == "breadcrumb":
            number = breadcrumb_title_number(t)
            if number:
                self.hints.setdefault("cfr_title", number)
        elif kind == "version":
            self.hints.setdefault("version_warning", t)
        elif kind == "docket":
            docket = DOCKET_LINE_RE.match(t)
            if docket:
                self.hints.setdefault("docket", docket.group(1))
        return kind


_MD_HEADING_RE = re.compile(r"^#{1,6}\s+(.+)$")


# A section heading with fewer words than this before the next one is an entry of a table of
# contents or a "Next: § 438.110 ..." link, not a section: a subpart's page lists every section
# of it, and a file of two sections would otherwise hold eight, six of them empty (and the
# empty "§ 438.114" would stand in for the real one read from another file).
MIN_SECTION_WORDS = 5
MIN_RUN_WORDS = 40
_WORD_RE = re.compile(r"[A-Za-z0-9]{2,}")


def _section_headings(lines: list[str]) -> tuple[list[tuple[int, str, str]], list[int]]:
    """(line, section number, heading) of each CFR section heading in Markdown lines, and the
    lines of section headings that head no text (`MIN_SECTION_WORDS`)."""
    found: list[tuple[int, str, str]] = []
    for i, line in enumerate(lines):
        h = _MD_HEADING_RE.match(line)
        m = SECTION_HEADING_RE.match(h.group(1)) if h else None
        if h and m:
            found.append((i, m.group(1), h.group(1)))
    starts: list[tuple[int, str, str]] = []
    empty: list[int] = []
    for k, (i, number, heading) in enumerate(found):
        end = found[k + 1][0] if k + 1 < len(found) else len(lines)
        words = sum(len(_WORD_RE.findall(line)) for line in lines[i + 1 : end])
        # The last entry of a table of contents heads whatever follows the list (a footer):
        # after an entry, a heading over a few words and no designated paragraph is one too.
        listed = bool(empty) and empty[-1] == found[k - 1][0] and words < MIN_RUN_WORDS
        if len(found) > 1 and (
            words < MIN_SECTION_WORDS
            or (listed and not any(DESIGNATION_RE.match(x.strip()) for x in lines[i + 1 : end]))
        ):
            empty.append(i)
        elif not starts or starts[-1][1] != number:
            starts.append((i, number, heading))
    return starts, empty


def _section_starts(lines: list[str]) -> list[tuple[int, str, str]]:
    return _section_headings(lines)[0]


def split_sections(part: Extracted) -> list[Extracted]:
    """A page saved with several CFR sections on it ("§§ 422.620 - 422.622") as one document
    per section, as the eCFR XML reader gives them: each is cited by its own number. Text above
    the first section's heading stays with it (see `without_preamble`). A table of contents'
    entries are dropped: navigation, not text, and as headings they would name documents."""
    if part.front is not None:
        return [part]
    lines = part.text.split("\n")
    starts, empty = _section_headings(lines)
    if empty:
        for i in empty:
            lines[i] = ""
        part = replace(part, text="\n".join(lines))
    if len(starts) < 2:
        return [part]
    # The page's own title and section name the first section only.
    shared = {k: v for k, v in part.hints.items() if k not in ("title", "page_title", "section")}
    out = []
    for k, (start, _, heading) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else len(lines)
        out.append(
            Extracted(
                text="\n".join(lines[0 if k == 0 else start : end]).strip() + "\n",
                hints={**shared, "title": heading},
                warnings=list(part.warnings) if k == 0 else [],
            )
        )
    return out


def without_preamble(text: str) -> str:
    """A CFR section's text from its heading on. What stands above it on a saved page is the
    site's banner, toolbar and breadcrumb (the source, date and version warning in it were
    read as metadata already): not answer text. Kept when a designated paragraph is there."""
    lines = text.split("\n")
    starts = _section_starts(lines)
    if not starts or any(DESIGNATION_RE.match(line) for line in lines[: starts[0][0]]):
        return text
    return "\n".join(lines[starts[0][0] :])
