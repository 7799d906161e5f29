"""The shapes documents and passages take inside retrieval, and front-matter parsing."""

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from retrieval.errors import DocumentSkipped

log = logging.getLogger(__name__)


class DocType(StrEnum):
    policy = "policy"
    contract = "contract"
    regulation = "regulation"
    criteria = "criteria"


class LineOfBusiness(StrEnum):
    medicare_advantage = "medicare_advantage"
    medicaid = "medicaid"
    commercial = "commercial"
    all = "all"


# Folder names that imply a doc_type when a file carries no front matter.
FOLDER_DOC_TYPES = {
    "policies": DocType.policy,
    "policy": DocType.policy,
    "contracts": DocType.contract,
    "contract": DocType.contract,
    "regulations": DocType.regulation,
    "regulation": DocType.regulation,
    "criteria": DocType.criteria,
}

# "UM-410", "CMS-0057-F", and the citable names of public documents with single inner spaces:
# "42 CFR 438.408", "29 CFR 2560.503-1", "NCD 240.4", "LCD L33797".
DOC_ID_RE = re.compile(r"^(?=.{1,64}$)[A-Za-z0-9][A-Za-z0-9._-]*(?: [A-Za-z0-9][A-Za-z0-9._-]*)*$")


class DocMeta(BaseModel):
    """Front matter of a corpus document, validated on load."""

    model_config = ConfigDict(extra="ignore", use_enum_values=False)

    doc_id: str
    title: str
    doc_type: DocType = DocType.policy
    line_of_business: LineOfBusiness = LineOfBusiness.all
    effective_date: date | None = None
    end_date: date | None = None
    version: str = "1"
    # The citable name the chunker appends pinpoints to ("42 CFR 438.408" -> "42 CFR 438.408(b)").
    citation: str | None = Field(None, min_length=1, max_length=120)
    source_url: str | None = Field(None, max_length=2000)
    # "This is a historical version of this section..." as the page said it; shown with answers.
    version_warning: str | None = Field(None, max_length=500)

    @field_validator("doc_id")
    @classmethod
    def _doc_id_shape(cls, value: str) -> str:
        if not DOC_ID_RE.match(value):
            raise ValueError(
                "doc_id must be 1-64 letters, digits, '.', '_' or '-', words separated by one space"
            )
        return value

    @field_validator("citation", "source_url", "version_warning", mode="before")
    @classmethod
    def _one_line(cls, value: object) -> object:
        return (" ".join(value.split()) or None) if isinstance(value, str) else value

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: object) -> str:
        return str(value)

    @model_validator(mode="after")
    def _dates_ordered(self) -> "DocMeta":
        if self.effective_date and self.end_date and self.end_date < self.effective_date:
            raise ValueError("end_date is before effective_date")
        return self


@dataclass(frozen=True)
class Document:
    meta: DocMeta
    text: str
    source_path: str
    warnings: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Identity of one version of one document."""
        return f"{self.meta.doc_id}@{self.meta.version}"


@dataclass(frozen=True)
class Unit:
    """A paragraph or list item: the smallest piece an answer quotes, with its pinpoint."""

    index: int
    kind: str  # "para" | "item"
    text: str
    label: str  # designation path, "(b)(2)", or "" for undesignated text
    citation: str  # the pinpoint a reviewer checks: "42 CFR 438.408(b)(2)", "UM-105 §4.1"
    parent: int  # index of the lead-in or paragraph this unit belongs to, -1 for none
    lead_in: bool  # ends in ":" or "—": the units below it complete it
    refs: tuple[str, ...] = ()  # citations this unit points to
    # How many units this one introduces in the whole document: a list split across chunks
    # holds only some of them, and an answer must not present those as the whole list.
    items: int = 0


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_key: str
    meta: DocMeta
    source_path: str
    section: str
    heading_path: tuple[str, ...]
    citation: str
    text: str
    extra: dict[str, str] = field(default_factory=dict)
    units: tuple[Unit, ...] = ()
    # Lead-ins above this chunk's units that live in another chunk: they travel with it.
    context: tuple[Unit, ...] = ()

    def embedding_text(self) -> str:
        """Title, heading path and lead-ins travel with the text: chunks are retrieved alone."""
        lead = "".join(u.text + "\n" for u in self.context)
        # A CFR section never names the product its part governs ("Medicaid" for part 438):
        # its line of business travels with it. Documents written for the plan name it.
        lob = self.meta.line_of_business
        cfr = bool(self.meta.citation and " CFR " in self.meta.citation)
        scope = f" ({lob.value.replace('_', ' ')})" if cfr and lob is not LineOfBusiness.all else ""
        return f"{self.meta.title}{scope} | {' > '.join(self.heading_path)}\n{lead}{self.text}"


class _FrontMatterLoader(yaml.SafeLoader):
    """Leaves dates as text so pydantic validates them and names the field in its error."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def split_front_matter(text: str) -> tuple[dict[str, object] | None, str]:
    """Return (front matter mapping or None, body). Raises DocumentSkipped on bad YAML."""
    match = FRONT_MATTER_RE.match(text)
    if not match:
        return None, text
    try:
        data = yaml.load(match.group(1), Loader=_FrontMatterLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark else ""
        raise DocumentSkipped(f"front matter is not valid YAML{where}") from exc
    if not isinstance(data, dict):
        raise DocumentSkipped("front matter must be a YAML mapping of fields")
    return data, text[match.end() :]


def first_heading(body: str) -> str | None:
    """The text of the first `# Title` line, if any."""
    for line in body.splitlines():
        m = re.match(r"^#\s+(.+?)\s*#*\s*$", line)
        if m:
            return m.group(1)
    return None


def _any_heading(body: str) -> str | None:
    for line in body.splitlines():
        m = re.match(r"^#{1,6}\s+(.+?)\s*#*\s*$", line)
        if m:
            return m.group(1)
    return None


def _origin(name: str, layers: list[tuple[str, dict[str, object]]]) -> str:
    for label, layer in layers:
        if name in layer:
            return label
    return "metadata"


def build_meta(
    front: dict[str, object] | None,
    body: str,
    path: Path,
    inferred: dict[str, object] | None = None,
    overrides: dict[str, object] | None = None,
) -> tuple[DocMeta, list[str]]:
    """Validate metadata: a manifest's `overrides` win over front matter, which wins over what
    was `inferred` from the document; the folder and file name fill what is still missing."""
    warnings: list[str] = []
    inferred = dict(inferred or {})
    layers: list[tuple[str, dict[str, object]]] = [
        ("manifest", dict(overrides or {})),
        ("front matter", dict(front or {})),
    ]
    merged: dict[str, object] = {**inferred}
    for _, layer in reversed(layers):
        merged.update(layer)
    folder_type = FOLDER_DOC_TYPES.get(path.parent.name.lower())
    if "doc_type" not in merged:
        merged["doc_type"] = folder_type or DocType.policy
    if "doc_id" not in merged:
        stated = merged["doc_type"]
        doc_type = DocType(stated) if isinstance(stated, str) and stated in set(DocType) else None
        fallback = re.sub(r"[^A-Za-z0-9._-]", "-", path.stem)[:64] or "document"
        why = "no front matter" if front is None else "no doc_id in its front matter"
        warnings.append(
            f"{path.name}: {why}; doc_id '{fallback}', doc_type "
            f"'{doc_type.value if doc_type else merged['doc_type']}'"
            + (
                " (from its folder)"
                if folder_type and "doc_type" not in inferred
                else " (from the document)"
                if "doc_type" in inferred
                else " (default)"
            )
        )
        merged["doc_id"] = fallback
    merged.setdefault("title", first_heading(body) or _any_heading(body) or merged.get("doc_id"))
    while True:
        try:
            return DocMeta.model_validate(merged), warnings
        except ValidationError as exc:
            err = exc.errors()[0]
            field_name = ".".join(str(p) for p in err["loc"])
            origin = _origin(field_name, layers) if field_name else "metadata"
            guessed = field_name and field_name in inferred and origin == "metadata"
            if not guessed and not field_name and inferred:
                # A cross-field rule (dates out of order) failed: blame the guessed dates first.
                guessed_dates = [k for k in ("end_date", "effective_date") if k in inferred]
                stated = any(k in layer for k in guessed_dates for _, layer in layers)
                if guessed_dates and not stated:
                    field_name, guessed = guessed_dates[0], True
            if guessed:
                warnings.append(
                    f"{path.name}: ignored {field_name} read from the document "
                    f"({inferred[field_name]!r}): {err['msg']}"
                )
                merged.pop(field_name, None)
                inferred.pop(field_name, None)
                continue
            label = "front matter" if origin == "metadata" else origin
            raise DocumentSkipped(f"bad {label}: {field_name or label}: {err['msg']}") from exc
