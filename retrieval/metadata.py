"""Metadata a document states about itself (when it has no front matter), and folder manifests."""

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import yaml

from retrieval.chunk import FR_RE
from retrieval.documents import DocMeta, DocType, LineOfBusiness
from retrieval.formats.base import SECTION_SIGN

MANIFEST_NAMES = ("careassist.yaml", "careassist.yml", "manifest.yaml", "manifest.yml")
MANIFEST_FIELDS = set(DocMeta.model_fields)

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        1,
    )
    for m in names
}
_ISO_RE = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
_US_RE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})\b")
_MDY_RE = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
_DMY_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})\b")


def parse_date(text: str) -> date | None:
    """The first date in `text`, in any common spelling ("January 1, 2026", "1/1/2026",
    "2026-01-01", "1 Jan 2026"); None when there is none."""
    candidates: list[tuple[int, date]] = []

    def add(pos: int, y: int, m: int, d: int) -> None:
        with contextlib.suppress(ValueError):  # "February 30" is not a date
            candidates.append((pos, date(y, m, d)))

    for m in _ISO_RE.finditer(text):
        add(m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3)))
    for m in _US_RE.finditer(text):
        year = int(m.group(3))
        add(m.start(), year + 2000 if year < 100 else year, int(m.group(1)), int(m.group(2)))
    for m in _MDY_RE.finditer(text):
        month = MONTHS.get(m.group(1).lower())
        if month:
            add(m.start(), int(m.group(3)), month, int(m.group(2)))
    for m in _DMY_RE.finditer(text):
        month = MONTHS.get(m.group(2).lower())
        if month:
            add(m.start(), int(m.group(3)), month, int(m.group(1)))
    return min(candidates)[1] if candidates else None


def line_of_business(text: str) -> LineOfBusiness | None:
    """ "Medicaid" -> medicaid; several named, or "All" -> all."""
    t = text.lower()
    found = set()
    if "medicare" in t:
        found.add(LineOfBusiness.medicare_advantage)
    if "medicaid" in t or "chip" in t:
        found.add(LineOfBusiness.medicaid)
    if re.search(r"\b(?:commercial|employer|erisa|exchange|marketplace|individual)\b", t):
        found.add(LineOfBusiness.commercial)
    if len(found) == 1:
        return found.pop()
    if found or re.search(r"\ball\b", t):
        return LineOfBusiness.all
    return None


# "Policy Number: UM-410", "**Effective Date:** January 1, 2026", "Version 3", "Policy ID | UM-410".
_KEYS: list[tuple[str, str]] = [
    ("doc_id", r"policy (?:number|no\.?|#|id)|document (?:number|no\.?|id)|policy identifier"),
    (
        "effective_date",
        r"effective(?: date| on| from)?(?: of this version)?|original effective date"
        r"|date effective",
    ),
    (
        "end_date",
        r"end date|end|expiration date|expires|expired|retired(?: on| date)?"
        r"|superseded(?: on| date| as of)?|termination date|terminated(?: on)?|sunset date",
    ),
    ("version", r"version(?: number| no\.?)?|revision|rev\.?"),
    ("line_of_business", r"lines? of business|lob|products?|product lines?|applies to"),
    # An NCD's number in the tracking lines of a coverage database page (the NCD manual's
    # section is the NCD); read as one only on a page about a national coverage determination.
    ("ncd_section", r"manual section number"),
    # "Manual Section Title": the name of an NCD in a coverage database's tracking lines.
    ("title", r"policy (?:title|name)|manual section title|title"),
    ("doc_type", r"document type|doc(?:ument)? type"),
    # Administrative lines that are not answer text and have no field of their own.
    (
        "ignored",
        r"(?:policy |document )?owner|department|approved by|approval date|approver"
        r"|(?:last |next )?review(?:ed)?(?: date| on)?|supersedes|replaces|policy status|status"
        r"|publication number|manual section|benefit category|transmittal number"
        r"|implementation date|tracking information",
    ),
]
_META_LINE_RE = re.compile(
    r"^\s*(?:[-*]\s+)?(?:\*\*|__)?(?P<key>"
    + "|".join(f"(?P<{name}>{rx})" for name, rx in _KEYS)
    + r")(?:\*\*|__)?(?P<sep>\s*[:：|]|\s{3,}(?=\S)|\s+(?=v?\d))"
    + r"\s*(?:\*\*|__)?\s*(?P<value>\S.*?)\s*$",
    re.IGNORECASE,
)
_DOC_ID_VALUE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,40}(?: [A-Za-z0-9][A-Za-z0-9._-]*)?$")
DOC_TYPE_WORDS = {t.value: t for t in DocType} | {
    "policies": DocType.policy,
    "medical policy": DocType.criteria,
    "clinical criteria": DocType.criteria,
    "coverage criteria": DocType.criteria,
    "regulations": DocType.regulation,
    "agreement": DocType.contract,
}


def _meta_field(line: str) -> tuple[str, object] | None:
    """(field, value) when `line` is a metadata line such as "Effective Date: January 1, 2026"."""
    m = _META_LINE_RE.match(line)
    if not m:
        return None
    name = next(n for n, _ in _KEYS if m.group(n))
    sep = m.group("sep")
    if name != "version" and not sep.strip() and len(sep) < 3:
        # Only "Version 3" may omit the colon, or a table of fields laid out in columns
        # ("Manual Section Number       20.10").
        return None
    if name == "ignored":
        return (name, None) if len(m.group("value")) <= 120 else None
    value = m.group("value").strip().strip("*_").strip()
    if name == "doc_id":
        value = value.split()[0].rstrip(".,;") if " " in value and "-" in value else value
        return (name, value) if _DOC_ID_VALUE_RE.match(value) else None
    if name in ("effective_date", "end_date"):
        when = parse_date(value)
        if when is not None:
            return name, when
        # "Superseded by UM-410 version 3": still a metadata line, with no date to keep.
        return (name, None) if name == "end_date" else None
    if name == "version":
        v = re.match(r"^v?(\d+(?:\.\d+)*[a-z]?)\b", value, re.IGNORECASE)
        return (name, v.group(1)) if v else None
    if name == "line_of_business":
        lob = line_of_business(value)
        return (name, lob) if lob else None
    if name == "doc_type":
        t = DOC_TYPE_WORDS.get(value.lower().rstrip("."))
        return (name, t) if t else None
    return (name, value) if len(value) <= 200 else None


def meta_fields(line: str) -> list[tuple[str, object]] | None:
    """Every metadata field of a line, which may hold several ("Version: 3 | Effective: ...");
    None unless the whole line is metadata."""
    parts = [p for p in re.split(r"\s+\|\s+|\s{3,}|\t|;\s+(?=[A-Z])", line.strip()) if p]
    found = [_meta_field(p) for p in parts]
    if all(found):
        return [f for f in found if f]
    pair = _meta_field(line)  # "Policy Number | UM-410": a table row of key and value
    return [pair] if pair else None


_NUMBERED_HEADING_RE = re.compile(r"^#{2,6}\s+(?:§\s*)?\d")


def strip_meta_lines(body: str, max_lines: int = 40) -> tuple[str, dict[str, object]]:
    """Remove the metadata lines at the top of a document (before its first numbered heading)
    and return them as fields: they describe the document, they are not answer text."""
    fields: dict[str, object] = {}
    lines = body.splitlines()
    kept: list[str] = []
    seen = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if seen >= max_lines or _NUMBERED_HEADING_RE.match(stripped):
            kept.extend(lines[i:])
            break
        if stripped:
            seen += 1
        found = None if stripped.startswith("#") or not stripped else meta_fields(stripped)
        if found:
            for name, value in found:
                if value is not None:
                    fields.setdefault(name, value)
            continue
        kept.append(line)
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip("\n")
    return (text + "\n" if text else ""), fields


CFR_IN_TEXT_RE = re.compile(r"\b(\d{1,2})\s*C\.?\s?F\.?\s?R\.?\b")
TITLE_URL_RE = re.compile(r"/title-(\d{1,2})(?:/|\b)")
HEADING_RE = re.compile(r"^(#{1,6})\s+(.+?)\s*$")
SECTION_RE = re.compile(
    rf"^{SECTION_SIGN}\s*(\d{{1,4}})\.(\d{{1,4}}[a-z]?(?:-\d{{1,3}})?)\b\.?\s*(.*)$"
)
CFR_PREFIX_RE = re.compile(r"^\d{1,2}\s*C\.?\s?F\.?\s?R\.?\s*(?:§+\s*)?(?=\d)")
NCD_TITLE_RE = re.compile(r"\((\d{1,3}\.\d{1,3}(?:\.\d{1,2})?)\)\s*$")
NCD_ID_RE = re.compile(r"\bNCD\s*#?\s*(\d{1,3}\.\d{1,3}(?:\.\d{1,2})?)\b")
LCD_ID_RE = re.compile(r"\b(?:LCD\s*#?\s*|\()?(L\d{5})\b")
# The tracking lines of a coverage database page: "NCD ID: 190.11", "NCD Number 240.4",
# "Manual Section Number: 160.18" (the NCD manual's section is the NCD's number).
NCD_FIELD_RE = re.compile(
    r"\b(?:NCD\s*(?:ID|#|number)|manual section number)\s*[:—–|]?\s*"
    r"(\d{1,3}\.\d{1,3}(?:\.\d{1,2})?)\b",
    re.IGNORECASE,
)
# The site a window title ends with: "... (160.24) | Medicare Coverage Database".
SITE_SUFFIX_RE = re.compile(r"\s+[|–—]\s+[^|–—()]{2,60}$")
# A page heading that only names the kind of document: the title is the heading after it.
KIND_ONLY_TITLE_RE = re.compile(
    r"^(?:national|local) coverage determination(?: \((?:NCD|LCD)\))?$", re.IGNORECASE
)
LCD_NAME_RE = re.compile(r"\bLCD\b|local coverage determination", re.IGNORECASE)
# A policy titled by its number, as plan policies often are ("UM-1210 Integrated D-SNP Appeals
# Desk Procedures", "MP.045 Bariatric Surgery"). Three digits at least, unless the file name
# starts with the same token: "COVID-19 testing" or "ICD-10 coding" names a subject, not a policy.
POLICY_NUMBER_TITLE_RE = re.compile(
    r"^([A-Z]{1,6}(?:[-.][A-Z]{1,6})*[-.]\d{2,6}(?:[-.]\d{1,4})?)(?=\s+[A-Za-z])"
)
COVERAGE_HEADING_RE = re.compile(
    r"indications and limitations of coverage|(?:nationally )?(?:non-?)?covered indications"
    r"|nationally non-?covered|coverage indications|national coverage determination"
    r"|local coverage determination",
    re.IGNORECASE,
)
# Parts whose title number is unambiguous for health-plan work, used only when a file never
# states its title (an eCFR XML excerpt without DIV1): 42 CFR chapter IV (CMS), 45 CFR
# subchapters B and C (ACA and HIPAA), 29 CFR chapter XXV (ERISA claims).
KNOWN_PART_TITLES = ((400, 699, 42), (140, 199, 45), (2509, 2590, 29))
# The product a CFR part governs, so a Medicaid question is not answered from the MA rules:
# 42 CFR 422 (Medicare Advantage) and 423 (Part D, offered with MA-PD plans); 42 CFR 431, 438
# and 457 (Medicaid and CHIP managed care); 29 CFR 2560 (ERISA plans) and 45 CFR 147
# (group and individual market coverage). Other parts apply to every product.
CFR_PART_LOB = {
    (42, "422"): LineOfBusiness.medicare_advantage,
    (42, "423"): LineOfBusiness.medicare_advantage,
    (42, "431"): LineOfBusiness.medicaid,
    (42, "438"): LineOfBusiness.medicaid,
    (42, "457"): LineOfBusiness.medicaid,
    (29, "2560"): LineOfBusiness.commercial,
    (45, "147"): LineOfBusiness.commercial,
}


def _headings(body: str) -> list[tuple[int, str]]:
    out = []
    for line in body.splitlines():
        m = HEADING_RE.match(line)
        if m:
            out.append((len(m.group(1)), m.group(2)))
    return out


def _title_number(body: str, hints: dict[str, object]) -> int | None:
    """The CFR title number the document states: XML DIV1, a breadcrumb, the source URL, or
    "42 CFR" in the title or text."""
    if isinstance(stated := hints.get("cfr_title"), int):
        return stated
    url = hints.get("source_url")
    if isinstance(url, str) and (m := TITLE_URL_RE.search(url)):
        return int(m.group(1))
    title = f"{hints.get('title') or ''} {hints.get('page_title') or ''}"
    if m := CFR_IN_TEXT_RE.search(title):
        return int(m.group(1))
    counts: dict[int, int] = {}
    for m in CFR_IN_TEXT_RE.finditer(body):
        counts[int(m.group(1))] = counts.get(int(m.group(1)), 0) + 1
    if counts:
        return max(counts, key=lambda k: counts[k])
    if m := re.search(r"\bTitle\s+(\d{1,2})\b", body[:2000]):
        return int(m.group(1))
    return None


UNTIL_RE = re.compile(r"\b(?:until|through|ended on|ending)\s+(.{6,40})", re.IGNORECASE)
FROM_RE = re.compile(r"\b(?:from|since|effective|beginning)\s+(.{6,40})", re.IGNORECASE)
POINT_IN_TIME_RE = re.compile(r"/on/(\d{4}-\d{2}-\d{2})(?:/|$)")


def _version_dates(f: dict[str, object]) -> None:
    """A page that says "this version was in effect until 2025-12-31" is a superseded version:
    its end date keeps it out of answers for later dates, and its own version label (the
    point-in-time date of its URL, else the end date) keeps it apart from the current one."""
    warning = str(f.get("version_warning") or "")
    url = str(f.get("source_url") or "")
    until = UNTIL_RE.search(warning)
    since = FROM_RE.search(warning)
    end = parse_date(until.group(1)) if until else None
    start = parse_date(since.group(1)) if since else None
    if end:
        f["end_date"] = end
    if start and (end is None or start <= end):
        f["effective_date"] = start
    point = POINT_IN_TIME_RE.search(url)
    if point:
        f["version"] = point.group(1)
    elif end:
        f["version"] = f"until-{end.isoformat()}"


# A Federal Register document: its heading block ("AGENCY: ...", "ACTION: Final rule.") names
# the rule by its docket line ("[CMS-0057-F]") and its page ("89 FR 8758"), its title printed
# above ("Medicare and Medicaid Programs; Patient Protection and ...").
FR_HEADING_RE = re.compile(r"^AGENCY:\s.*?^ACTION:\s", re.M | re.S)
DOCKET_RE = re.compile(
    r"^\[([A-Z]{2,8}-\d{2,5}(?:-[A-Z0-9]{1,4})*)\]\s*$|^(?:Agency/)?Docket (?:Number|No\.?)s?:\s*"
    r"([A-Z]{2,8}-\d{2,5}(?:-[A-Z0-9]{1,4})*)\s*$",
    re.M | re.IGNORECASE,
)
FR_TITLE_RE = re.compile(r"^([A-Z][^;\n]{3,80}Programs?;[^\n]{10,})$", re.M)
FR_TITLE_CHARS = 160


def _hint(hints: dict[str, object], key: str) -> str | None:
    value = hints.get(key)
    return value if isinstance(value, str) else None


def federal_register_rule(
    body: str, docket_line: str | None = None
) -> tuple[str, str | None] | None:
    """(doc_id, title) of a Federal Register rule: its docket id (a "Docket Number:" line, or
    the bracketed docket line dropped from the text as furniture), else its first page."""
    head = FR_HEADING_RE.search(body)
    if head is None:
        return None
    before = body[: head.end()]
    docket = DOCKET_RE.search(before)
    page = FR_RE.search(body[: head.end() + 4000])
    doc_id = (docket.group(1) or docket.group(2)) if docket else docket_line
    if doc_id is None and page is not None:
        doc_id = f"{page.group(1)} FR {page.group(2)}"
    if doc_id is None:
        return None
    named = FR_TITLE_RE.search(before)
    title = named.group(1).lstrip("# ").strip() if named else None
    if title and len(title) > FR_TITLE_CHARS:
        title = title[: title.rfind(" ", 0, FR_TITLE_CHARS)] + " …"
    return doc_id, title


@dataclass
class Inferred:
    fields: dict[str, object] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _ncd_number(value: object) -> str | None:
    m = re.fullmatch(r"\d{1,3}\.\d{1,3}(?:\.\d{1,2})?", str(value or "").strip())
    return m.group(0) if m else None


def infer(
    body: str,
    hints: dict[str, object],
    name: str,
    stated: dict[str, object] | None = None,
) -> Inferred:
    """Metadata from the document itself: CFR section, NCD/LCD, policy lines, title.
    `stated` holds the metadata lines taken off its top (`strip_meta_lines`)."""
    out = Inferred()
    f = out.fields
    for key in ("source_url", "version_warning"):
        if hints.get(key):
            f[key] = hints[key]
    _version_dates(f)
    every = _headings(body)
    headings = [(lvl, h) for lvl, h in every if not KIND_ONLY_TITLE_RE.match(h)]
    title = hints.get("title") or next((h for lvl, h in headings if lvl == 1), None)
    if not title and headings:
        title = headings[0][1]
    kind_at = next((i for i, (_, h) in enumerate(every) if KIND_ONLY_TITLE_RE.match(h)), None)
    if not hints.get("title") and kind_at is not None and kind_at + 1 < len(every):
        title = every[kind_at + 1][1]  # "National Coverage Determination (NCD)", then its name
    page = _hint(hints, "page_title")
    if title and KIND_ONLY_TITLE_RE.match(str(title)) and page:
        # The page's heading only names the kind: its window title names the NCD ("NCD - Deep
        # Brain Stimulation ... (160.24) | Medicare Coverage Database").
        title = SITE_SUFFIX_RE.sub("", page)
    sections = [(lvl, h, m) for lvl, h in headings if (m := SECTION_RE.match(h))]
    if not sections and title and (m := SECTION_RE.match(CFR_PREFIX_RE.sub("§ ", str(title)))):
        # A legal-information site titles the page "42 CFR § 422.590 - Timeframes ...".
        sections = [(1, str(title), m)]
    hinted = hints.get("section")
    if sections or hinted:
        if hinted:
            part, rest = str(hinted).split(".", 1)
            heading = str(hints.get("title") or f"§ {hinted}")
        else:
            _, heading, m = sections[0]
            part, rest = m.group(1), m.group(2)
        number = _title_number(body, hints)
        if number is None:
            number = next((t for lo, hi, t in KNOWN_PART_TITLES if lo <= int(part) <= hi), None)
            if number is not None:
                out.warnings.append(
                    f"{name}: the CFR title number is not stated; assumed {number} CFR from "
                    f"part {part} (state it in a manifest entry if that is wrong)"
                )
        f["doc_type"] = DocType.regulation
        if number is not None and (number, part) in CFR_PART_LOB:
            f["line_of_business"] = CFR_PART_LOB[(number, part)]
        distinct = {(s[2].group(1), s[2].group(2)) for s in sections}
        if len(distinct) > 1 and not hinted:
            if number is not None:
                f["doc_id"] = f"{number} CFR Part {part}"
        elif number is not None:
            f["doc_id"] = f["citation"] = f"{number} CFR {part}.{rest}"
            title = heading
        else:
            out.warnings.append(
                f"{name}: § {part}.{rest} has no CFR title number; doc_id from the file name"
            )
            title = heading
    elif title or headings:
        texts = [str(title or "")] + [h for _, h in headings]
        ncd = NCD_ID_RE.search(texts[0]) or (
            NCD_TITLE_RE.search(texts[0])
            if re.search(r"\bNCD\b|national coverage", texts[0] + body[:3000], re.I)
            else None
        )
        ncd_id = ncd.group(1) if ncd else None
        if ncd_id is None and re.search(r"national coverage", body[:3000], re.I):
            tracked = NCD_FIELD_RE.search(body[:3000])
            section = (stated or {}).get("ncd_section")
            ncd_id = tracked.group(1) if tracked else _ncd_number(section)
        lcd = None if ncd_id else LCD_ID_RE.search(texts[0])
        if lcd is None and not ncd_id and LCD_NAME_RE.search(body[:3000]):
            lcd = LCD_ID_RE.search(body[:3000])
        if ncd_id:
            f["doc_id"] = f["citation"] = f"NCD {ncd_id}"
            f["doc_type"] = DocType.criteria
        elif lcd:
            f["doc_id"] = f["citation"] = f"LCD {lcd.group(1)}"
            f["doc_type"] = DocType.criteria
        elif any(COVERAGE_HEADING_RE.search(t) for t in texts):
            f["doc_type"] = DocType.criteria
    if "doc_id" not in f and (rule := federal_register_rule(body, _hint(hints, "docket"))):
        f["doc_id"] = f["citation"] = rule[0]
        f["doc_type"] = DocType.regulation
        title = rule[1] or title
    unnamed = "doc_id" not in f and not (stated or {}).get("doc_id")
    if unnamed and title and (policy_no := policy_number(str(title), name)):
        f["doc_id"] = f["citation"] = policy_no
        f.setdefault("doc_type", DocType.policy)
    if hints.get("doc_id"):
        f["doc_id"] = f["citation"] = hints["doc_id"]
    if title:
        f["title"] = str(title)
    if hints.get("doc_type") and "doc_type" not in f:
        f["doc_type"] = hints["doc_type"]
    return out


def policy_number(title: str, file_name: str) -> str | None:
    """The policy number a title opens with, if it reads as one (see POLICY_NUMBER_TITLE_RE)."""
    m = POLICY_NUMBER_TITLE_RE.match(title)
    if m is None:
        return None
    token = m.group(1)
    digits = sum(c.isdigit() for c in token)
    return token if digits >= 3 or file_name.upper().startswith(token.upper()) else None


def apply_policy_lines(found: dict[str, object], inferred: Inferred) -> None:
    """Fields from "Policy Number: ..." style lines (they describe a policy unless the document
    said otherwise)."""
    f = inferred.fields
    for key, value in found.items():
        if key == "doc_id":
            f.setdefault("doc_id", value)
            f.setdefault("citation", value)
            f.setdefault("doc_type", DocType.policy)
        elif key == "title":
            f["title"] = value  # a "Title:" line says it; a first heading only suggests it
        elif key == "ncd_section":
            continue  # read by `infer`, on an NCD page only
        else:
            f[key] = value


@dataclass
class Manifest:
    """A folder's careassist.yaml: file name -> field overrides."""

    path: Path
    entries: dict[str, dict[str, object]]
    problems: list[str]
    error: str | None = None


def _manifest_loader() -> type[yaml.SafeLoader]:
    from retrieval.documents import _FrontMatterLoader

    return _FrontMatterLoader


@lru_cache(maxsize=256)
def _read_manifest(path: Path, stamp: tuple[int, int]) -> Manifest:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_manifest_loader())
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        return Manifest(path, {}, [], f"manifest is not valid YAML{where}; it was not applied")
    if data is None:
        return Manifest(path, {}, [])
    if not isinstance(data, dict):
        return Manifest(path, {}, [], "manifest must map file names to fields; it was not applied")
    files = data.get("files", data) if isinstance(data.get("files"), dict) else data
    entries: dict[str, dict[str, object]] = {}
    problems: list[str] = []
    for key, value in files.items():
        if not isinstance(value, dict):
            problems.append(f"{path.name}: entry '{key}' must be a mapping of fields; ignored")
            continue
        unknown = sorted(str(k) for k in value if k not in MANIFEST_FIELDS)
        if unknown:
            problems.append(
                f"{path.name}: entry '{key}': unknown field(s) {', '.join(unknown)} ignored"
            )
        entries[str(key)] = {str(k): v for k, v in value.items() if k in MANIFEST_FIELDS}
        if not (path.parent / str(key)).exists():
            problems.append(f"{path.name}: entry '{key}' names no file in {path.parent}")
    return Manifest(path, entries, problems)


def folder_manifest(folder: Path) -> Manifest | None:
    """The manifest of `folder` (careassist.yaml or manifest.yaml), read once per change."""
    for name in MANIFEST_NAMES:
        path = folder / name
        try:
            st = path.stat()
        except OSError:
            continue
        return _read_manifest(path, (st.st_mtime_ns, st.st_size))
    return None


def is_manifest(path: Path) -> bool:
    return path.name.lower() in MANIFEST_NAMES
