"""Plain text and Markdown: front matter, or a page saved as text (source and navigation lines,
a breadcrumb, a `§` heading, designated paragraphs) turned into the Markdown contract."""

import re
from pathlib import Path

from retrieval.documents import split_front_matter
from retrieval.formats.base import (
    DESIGNATION_RE,
    SECTION_HEADING_RE,
    Extracted,
    Furniture,
    Markdown,
    clean,
    decode,
)
from retrieval.metadata import meta_fields

# "4.1 Standard requests", "3. Coverage criteria", "4 Timeframes": short, capitalised, no period.
# A ";" inside the title may join two phrases ("2. Items affected; drugs excluded"); "89 FR
# 8758" and "42 CFR Part 438" open with a volume or title number, not a section number. A CMS
# manual sets a dash after the number ("50.1 - Who May Request a Reconsideration").
NUMBERED_HEADING_RE = re.compile(
    r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?(?:\s+[-–—])?\s+(?!(?:CFR|U\.S\.C|FR)\b)"
    r"([A-Z](?:[^.:;]|;(?=\s+[a-z])){1,90})$"
)
LETTERED_HEADING_RE = re.compile(r"^([A-Z])\.\s+([A-Z][^.:;]{2,90})$")
PART_HEADING_RE = re.compile(r"^(?:PART|Part|SUBPART|Subpart)\s+[\dA-Z]{1,5}\s*[—–-]")
BULLET_RE = re.compile(r"^(\s*)(?:[-*•◦▪‣–]|o(?=\s))\s+(\S.*)$")
NUMBERED_ITEM_RE = re.compile(r"^(\s*)(\d{1,2}|[a-z])[.)]\s+(\S.*)$")
MD_HEADING_RE = re.compile(r"^#{1,6}\s+\S")


def numbered_heading_level(text: str) -> int | None:
    """Markdown level of a numbered heading line ("4.1 Standard requests" -> 3), else None."""
    m = NUMBERED_HEADING_RE.match(text)
    if not m or len(text) > 100:
        return None
    return min(m.group(1).rstrip(".").count(".") + 2, 6)


def _looks_like_heading(text: str) -> bool:
    """An unnumbered heading of a page saved as text: a short capitalised line standing alone,
    without closing punctuation ("Who the rule applies to")."""
    return (
        len(text) <= 120
        and text[0].isupper()
        and not text.endswith((".", ":", ";", ",", "?", "!", "—", "-"))
        and not DESIGNATION_RE.match(text)
        and not meta_fields(text)
        and len(text.split()) <= 16
    )


def _section_heading(stripped: str) -> bool:
    """ "§ 164.528 Accounting of disclosures ...": a section number and a capitalised title. A
    line the wrap opened with a cross-reference ("§ 164.502 provides;", "§ 164.512(k)(5);")
    goes on with the sentence before it."""
    m = SECTION_HEADING_RE.match(stripped)
    if not m or len(stripped) > 250 or stripped.endswith((";", ",")):
        return False
    return not m.group(2) or m.group(2)[0].isupper()


# "6.2 Nurses and physician reviewers take ... every year.": a policy's numbered paragraph.
NUMBERED_PARAGRAPH_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2}){1,3}\s+[A-Z]")


def _starts_unit(line: str) -> bool:
    stripped = line.strip()
    return bool(
        DESIGNATION_RE.match(stripped)
        or NUMBERED_PARAGRAPH_RE.match(stripped)
        or BULLET_RE.match(line)
        or NUMBERED_ITEM_RE.match(line)
        or MD_HEADING_RE.match(line)
        or _section_heading(stripped)
        or meta_fields(stripped)
    )


# "(c)(1) of this section:" at the start of a line is a cross-reference the line wrap moved
# there, not a paragraph: designations followed by a lower-case word that goes on the sentence.
WRAPPED_REFERENCE_RE = re.compile(
    r"^(?:\((?:[a-z]{1,5}|\d{1,3}|[A-Z]{1,3})\))+(?:,?\s+(?:of|and|or|through|to|is|are|that|"
    r"in|does|do|must|may|shall|applies|apply)\b"
    # ... or that ends the sentence: "as determined under § 149.110(b)(3)(ii) and" / "(iii)."
    r"|[.,;)]*$)"
)


def _wrapped_reference(previous: str, line: str) -> bool:
    """The line goes on with the previous one: that one stops mid-sentence and this one opens
    with a paragraph reference that reads on ("under paragraph" / "(c)(1) of this section")."""
    return not previous.rstrip().endswith((".", ":", ";", "—", "-")) and bool(
        WRAPPED_REFERENCE_RE.match(line)
    )


def _leaves_item(unit: str, line: str) -> bool:
    """A line that starts left of a finished list item's text is the paragraph after the list
    ("- the member leaves Fairmont or dies." then "The coordinator sends ..."), not the item's
    wrapped continuation."""
    item = BULLET_RE.match(unit) or NUMBERED_ITEM_RE.match(unit)
    if item is None or not unit.rstrip().endswith((".", ";", "!", "?")):
        return False
    indent = len(line) - len(line.lstrip())
    return indent < item.start(item.lastindex or 0) and line.strip()[:1].isupper()


def _title_above(line: str, following: str) -> bool:
    """A short heading line right above a long wrapped sentence ("NCD - Vagus Nerve Stimulation
    (VNS) (160.18)" over "Printer-friendly version generated from the ... Links")."""
    text, nxt = line.strip(), following.strip()
    return (
        _looks_like_heading(text)
        and len(nxt) >= 60
        and len(text) <= 0.6 * len(nxt)
        and nxt[:1].isupper()
    )


def _unit_lines(block: list[str]) -> list[str]:
    """One block of consecutive lines -> its units: separate lines when they start units
    (designations, list items, headings, metadata lines), else one wrapped paragraph."""
    if len(block) > 1 and (_heading_line(block[0], block[1]) or _title_above(block[0], block[1])):
        return [block[0].rstrip(), *_unit_lines(block[1:])]
    # "5.2 Requests that meet criteria are ..." opens a numbered paragraph of its own.
    if len(block) == 1 or not any(
        _starts_unit(line) or numbered_heading_level(line.strip()) for line in block
    ):
        return [" ".join(line.strip() for line in block)]
    units: list[str] = []
    for line in block:
        stripped = line.strip()
        starts_unit = _starts_unit(line) or numbered_heading_level(stripped)
        if starts_unit and units and _wrapped_reference(units[-1], stripped):
            starts_unit = None
        if units and not starts_unit and _leaves_item(units[-1], line):
            starts_unit = True
        if units and not starts_unit and not units[-1].endswith(":"):
            units[-1] = units[-1].rstrip() + " " + stripped  # a wrapped continuation
        else:
            units.append(line.rstrip())
    return units


def _heading_line(line: str, following: str) -> bool:
    """ "4.1 Health risk screening" on the line right above its text: a section number with a
    dot inside ("4.1", "3.2.1") never numbers a list item, and a plain "4." heading is followed
    by text that is not the list's next item."""
    text = line.strip()
    if LETTERED_HEADING_RE.match(text) and len(text) <= 70:
        # "A. General" over its text; "A. Hospitals" over "B. Pharmacies" is a list.
        nxt = following.strip()
        return nxt[:1].isupper() and not LETTERED_HEADING_RE.match(nxt)
    m = NUMBERED_HEADING_RE.match(text)
    # A wrapped numbered paragraph ("5.1 Referrals arrive in the ... from the HRS system,") is
    # a long first line whose sentence goes on below.
    # ... unless that line is the first item of a list ("a) The record documents ...").
    lettered = NUMBERED_ITEM_RE.match(following)
    lower = following.strip()[:1].islower() and not (lettered and lettered.group(2).isalpha())
    if not m or len(text) > 70 or text.endswith(",") or lower:
        return False
    # "3. Definitions" over "a) Session: ..." heads a lettered list; over "4. ..." it is an item.
    item = NUMBERED_ITEM_RE.match(following)
    return "." in m.group(1).rstrip(".") or not item or not item.group(2).isdigit()


def _starts_item(unit: str) -> bool:
    return bool(BULLET_RE.match(unit) or NUMBERED_ITEM_RE.match(unit))


def _heads(units: list[str], at: int) -> bool:
    """The unit is a numbered heading above the next one (`_heading_line`): the block's first,
    or one right under another heading ("4. Review criteria", "4.1 Cardiac rehabilitation")."""
    if at + 1 >= len(units) or not _heading_line(units[at], units[at + 1]):
        return False
    return at == 0 or _heads(units, at - 1)


def _titles(units: list[str], at: int) -> bool:
    """The block's first unit is a short heading above a wrapped sentence (`_title_above`)."""
    return at == 0 and len(units) > 1 and _title_above(units[0], units[1])


COLUMN_GAP_RE = re.compile(r"(?<=[^\s:|])\s{3,}(?=[^\s:|])")


def _field_line(text: str) -> str:
    """A metadata line laid out in columns ("Manual Section Number       20.10") as "key:
    value", the form the metadata lines at the top of a document are read in."""
    if COLUMN_GAP_RE.search(text) and meta_fields(text):
        return COLUMN_GAP_RE.sub(": ", text, count=1)
    return text


def text_to_markdown(text: str, furniture: Furniture) -> str:
    """Structure plain text: headings, designated paragraphs, list items, no boilerplate."""
    md = Markdown()
    blocks: list[list[str]] = [[]]
    in_footer = False
    for line in text.splitlines():
        stripped = line.strip()
        # After "Back to top" a saved page has only its footer: short link labels.
        if in_footer and stripped and len(stripped) <= 200 and not stripped.endswith((".", ":")):
            continue
        in_footer = in_footer or stripped.lower() in ("back to top", "return to top", "top")
        # Page furniture is dropped line by line: a saved page puts it on consecutive lines.
        if not stripped:
            furniture.paragraph_break()
        if stripped and not furniture.drop_line(stripped):
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    titled = False
    previous = ""  # kind of the last unit written: "p:", "li", "h", "p"
    indents: list[int] = []
    for block in blocks:
        units = _unit_lines(block)
        for at, unit in enumerate(units):
            stripped = unit.strip()
            if not stripped or furniture.drop(stripped):
                continue
            if m := re.match(r"^(#{1,6})\s+(.+)$", stripped):
                md.heading(len(m.group(1)), m.group(2))
                titled = titled or len(m.group(1)) == 1
                previous = "h"
                continue
            if _section_heading(stripped):
                md.heading(2 if titled else 1, stripped)
                titled, previous = True, "h"
                continue
            bullet = BULLET_RE.match(unit)
            numbered = NUMBERED_ITEM_RE.match(unit)
            in_list = previous in ("li", "p:")
            alone = not in_list and len(units) == 1
            # "50.3 - Submitting Evidence" alone after a list: a number with a dot inside never
            # numbers the list's next item.
            sub_numbered = len(units) == 1 and re.match(r"^\d{1,2}\.\d", stripped)
            heads = alone or sub_numbered or _heads(units, at)
            level = numbered_heading_level(stripped) if heads else None
            lettered = LETTERED_HEADING_RE.match(stripped) or PART_HEADING_RE.match(stripped)
            heads_list = at == 0 and len(units) > 1 and _starts_item(units[1])
            if level is None and lettered and (alone or heads_list or _heads(units, at)):
                level = 2
            if (
                level is None
                and (heads_list or _titles(units, at))
                and _looks_like_heading(stripped)
            ):
                # "Indications and Limitations of Coverage" right above "1. ...".
                level = 2 if titled else 1
                titled = True
            standalone = len(units) == 1 and previous != "p:"
            if level is None and standalone and _looks_like_heading(stripped):
                level = 2 if titled else 1
                titled = True
            if level is not None:
                md.heading(level, stripped)
                previous = "h"
            elif item := bullet or (numbered if in_list or len(units) > 1 else None):
                indent = len(item.group(1).expandtabs(4))
                if previous not in ("li",):
                    indents = [indent]
                while indents and indent < indents[-1]:
                    indents.pop()
                if not indents or indent > indents[-1]:
                    indents.append(indent)
                depth = len(indents) - 1
                if bullet:
                    md.item(bullet.group(2), depth)
                else:
                    md.item(item.group(3), depth, f"{item.group(2)}.")
                previous = "li"
            else:
                md.para(_field_line(stripped))
                previous = "p:" if stripped.endswith((":", "—")) else "p"
    return md.render()


def read_text(raw: bytes, path: Path) -> list[Extracted]:
    """A .txt or .md file. Markdown with front matter is already in the contract's shape."""
    text = decode(raw, path.name)
    front, body = split_front_matter(text)
    if front is not None and path.suffix.lower() in (".md", ".markdown"):
        return [Extracted(text=body, front=front)]
    furniture = Furniture()
    out = text_to_markdown(body, furniture)
    return [Extracted(text=out, hints=furniture.hints, front=front)]


def plain_paragraphs(lines: list[str]) -> str:
    """The fallback for a document whose structure cannot be read: one paragraph per line."""
    md = Markdown()
    for line in lines:
        md.para(clean(line))
    return md.render()
