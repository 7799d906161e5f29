"""HTML pages (eCFR sections, coverage pages, saved intranet pages) to the Markdown contract:
headings, paragraphs, lists with their nesting, table rows; navigation and footers dropped."""

import re
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import Comment, Doctype, ProcessingInstruction

from retrieval.designations import ROMAN
from retrieval.formats.base import (
    SECTION_HEADING_RE,
    Extracted,
    Furniture,
    Markdown,
    clean,
    decode,
)

META_FIELDS = {
    "doc_id",
    "title",
    "doc_type",
    "line_of_business",
    "effective_date",
    "end_date",
    "version",
    "citation",
}
DROP_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "svg",
    "iframe",
    "select",
    "input",
    "menu",
    "head",
]
DROP_ROLES = {
    "navigation",
    "banner",
    "contentinfo",
    "search",
    "menu",
    "menubar",
    "toolbar",
    "tablist",
    "alertdialog",
}
# Class or id words of page chrome (matched per token, so "section-header" is not "header").
DROP_CLASSES = {
    "breadcrumb",
    "breadcrumbs",
    "nav",
    "navbar",
    "navigation",
    "menu",
    "footer",
    "site-footer",
    "site-header",
    "masthead",
    "branding",
    "site-name",
    "site-slogan",
    "logo",
    "site-logo",
    "skip-link",
    "skip-links",
    "skiplink",
    "sidebar",
    "toc",
    "back-to-top",
    "backtotop",
    "social",
    "share",
    "cookie",
    "cookies",
    "nav-tabs",
    "nav-pills",
    "tablist",
    "print-only",
    "sr-only",
    "visually-hidden",
}
NOTICE_CLASSES = {"alert", "warning", "notice", "banner", "callout", "version-warning", "usa-alert"}
BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "body",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "center",
    "fieldset",
    "details",
    "summary",
    "caption",
    "hr",
    "br",
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _tokens(tag: Tag) -> set[str]:
    classes: str | list[str] = tag.get("class") or []
    words = set(classes if isinstance(classes, list) else str(classes).split())
    ident = tag.get("id")
    if isinstance(ident, str):
        words.add(ident)
    return {w.lower() for w in words}


# A consent banner is named many ways ("cookie-banner", "cookie-consent", "cookieNotice").
CONSENT_RE = re.compile(r"^(?:cookie|consent|gdpr)", re.IGNORECASE)


def _chrome(tag: Tag) -> bool:
    role = tag.get("role")
    if isinstance(role, str) and role.lower() in DROP_ROLES:
        return True
    label = tag.get("aria-label")
    if isinstance(label, str) and CONSENT_RE.match(label):
        return True
    tokens = _tokens(tag)
    return bool(tokens & DROP_CLASSES) or any(CONSENT_RE.match(t) for t in tokens)


class _Walker:
    def __init__(self, furniture: Furniture) -> None:
        self.md = Markdown()
        self.furniture = furniture
        self.inline: list[str] = []
        self.heading_levels: list[tuple[int, int]] = []  # (index in md, html level)

    def flush(self) -> None:
        # Inline text is joined as a browser shows it: the spaces are the text's own, so
        # "<span>(</span>b<span>)</span>" reads "(b)", not "( b )".
        text = clean("".join(self.inline))
        self.inline = []
        if text and not self.furniture.drop(text):
            self.md.para(text)

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                self.inline.append(str(child) if child.strip() else " ")
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in HEADINGS:
                self.flush()
                text = clean(child.get_text(" "))
                if text and not self.furniture.drop(text):
                    self.heading_levels.append((len(self.md), int(name[1])))
                    self.md.heading(int(name[1]), text)
            elif name in ("ul", "ol"):
                self.flush()
                self.list(child, 0)
            elif name == "table":
                self.flush()
                self.table(child)
            elif name in ("br", "hr"):
                self.flush()
            elif name in BLOCKS or self._has_blocks(child):
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.inline.append(child.get_text(""))

    @staticmethod
    def _has_blocks(tag: Tag) -> bool:
        return any(
            isinstance(d, Tag) and d.name in BLOCKS | HEADINGS | {"ul", "ol", "table", "li"}
            for d in tag.descendants
        )

    def list(self, tag: Tag, depth: int) -> None:
        number = 0
        start = tag.get("start")
        if isinstance(start, str) and start.isdigit():
            number = int(start) - 1
        kind = str(tag.get("type") or "1")
        for li in tag.find_all("li", recursive=False):
            number += 1
            own: list[str] = []
            nested: list[Tag] = []
            for part in li.children:
                if isinstance(part, Tag) and part.name in ("ul", "ol"):
                    nested.append(part)
                elif isinstance(part, Tag):
                    own.append(part.get_text(" "))
                elif isinstance(part, NavigableString) and not isinstance(part, Comment):
                    own.append(str(part))
            text = " ".join(own)
            if tag.name != "ol":
                self.md.item(text, depth)
            elif kind in ("a", "A", "i", "I"):
                # The list's own labels: the text may refer to "criterion c".
                self.md.item(f"{_ol_label(kind, number)}. {clean(text)}", depth)
            else:
                self.md.item(text, depth, f"{number}.")
            for sub in nested:
                self.list(sub, depth + 1)

    def table(self, tag: Tag) -> None:
        caption = tag.find("caption")
        blocks = self.md.blocks
        introduced = bool(blocks) and blocks[-1][0] == "p" and blocks[-1][1].endswith((":", "—"))
        if caption and not introduced:
            # The caption introduces the rows (a lead-in of their own says it already).
            self.md.para(clean(caption.get_text(" ")).rstrip(":.") + ":")
        rows: list[list[str]] = []
        header: bool | None = None
        for tr in tag.find_all("tr"):
            if tr.find_parent("table") is not tag:
                continue  # a nested table's rows belong to its own cell
            cells = tr.find_all(["th", "td"], recursive=False)
            if not rows:
                header = True if cells and all(c.name == "th" for c in cells) else None
            rows.append([c.get_text(" ") for c in cells])
        self.md.table(rows, header if len(rows) > 1 and header else None)


ROMAN_LABELS = {value: numeral for numeral, value in ROMAN.items()}


def _ol_label(kind: str, n: int) -> str:
    """The label an `<ol type=...>` shows for item n: a, b, ... / i, ii, ... (or capitals)."""
    if kind in ("a", "A"):
        label = ""
        while n > 0:
            n, r = divmod(n - 1, 26)
            label = chr(ord("a") + r) + label
    else:
        label = ROMAN_LABELS.get(n, str(n))
    return label.upper() if kind.isupper() else label


def _normalise_headings(walker: _Walker) -> None:
    """h1 is the title (level 1); the shallowest other heading level becomes `##`. A page with
    no h1 whose first heading is a CFR section heading gets that heading as its title."""
    md = walker.md
    levels = [lvl for _, lvl in walker.heading_levels]
    if not levels:
        return
    has_h1 = 1 in levels
    first_index, _ = walker.heading_levels[0]
    first_text = md.blocks[first_index][1].lstrip("#").strip()
    promote = not has_h1 and bool(SECTION_HEADING_RE.match(first_text))
    rest = [
        lvl
        for i, (_, lvl) in enumerate(walker.heading_levels)
        if lvl > 1 and not (promote and i == 0)
    ]
    base = min(rest) if rest else 2
    titled = False
    for i, (index, lvl) in enumerate(walker.heading_levels):
        text = md.blocks[index][1].lstrip("#").strip()
        if (lvl == 1 and not titled) or (promote and i == 0):
            level, titled = 1, True
        else:
            level = min(max(lvl - base + 2, 2), 6)
        md.blocks[index] = ("h", "#" * level + " " + text)


def read_html(raw: bytes, path: Path) -> list[Extracted]:
    soup = BeautifulSoup(decode(raw, path.name), "html.parser")
    front: dict[str, object] = {}
    hints: dict[str, object] = {}
    for meta in soup.find_all("meta"):
        name, content = meta.get("name"), meta.get("content")
        prop = meta.get("property")
        if isinstance(name, str) and isinstance(content, str) and name in META_FIELDS:
            front[name] = content
        if prop == "og:url" and isinstance(content, str):
            hints.setdefault("source_url", content)
    canonical = soup.find("link", rel="canonical")
    if isinstance(canonical, Tag) and isinstance(canonical.get("href"), str):
        hints["source_url"] = canonical["href"]
    if soup.title and clean(soup.title.get_text()):
        hints["page_title"] = clean(soup.title.get_text())
    furniture = Furniture()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.decomposed:
            continue
        if tag.name in DROP_TAGS or _chrome(tag):
            furniture.drop(clean(tag.get_text(" ")))  # keeps a breadcrumb's title number
            tag.decompose()
        elif _tokens(tag) & NOTICE_CLASSES:
            text = clean(tag.get_text(" "))
            if furniture.drop(text):
                tag.decompose()
    walker = _Walker(furniture)
    walker.walk(soup.body or soup)
    walker.flush()
    _normalise_headings(walker)
    hints.update({k: v for k, v in furniture.hints.items() if k not in hints})
    h1 = next((t for k, t in walker.md.blocks if k == "h" and re.match(r"^# ", t)), None)
    if h1:
        hints["title"] = h1[2:]
    elif "page_title" in hints:
        hints["title"] = re.sub(r"^eCFR\s*::\s*", "", str(hints["page_title"]))
    return [Extracted(text=walker.md.render(), hints=hints, front=front or None)]
