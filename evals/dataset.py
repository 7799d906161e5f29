"""Eval datasets: YAML or JSONL files of cases, validated against the published JSON Schema.

A file with any problem raises DatasetError listing every problem with its file, line and field;
nothing runs on a dataset that is partly wrong.
"""

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from fnmatch import fnmatchcase
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError, best_match

from evals.errors import DatasetError, Problem
from evals.settings import PACKAGE_DIR

SCHEMA_PATH = PACKAGE_DIR / "schema" / "dataset.schema.json"
DEFAULT_ROLE = "um_reviewer"
# "UM-104", "UM-104 §3.2", and doc ids with inner spaces: "42 CFR 438.408", "NCD 240.4".
SOURCE_RE = re.compile(r"^(?P<doc>[^\s§]+(?: [^\s§]+)*)(?: §(?P<section>[\d.]+))?$")


@dataclass(frozen=True)
class Fact:
    """One expected phrase; any of its spellings counts."""

    spellings: tuple[str, ...]

    @property
    def label(self) -> str:
        return " | ".join(self.spellings)


@dataclass(frozen=True)
class Source:
    doc_id: str
    section: str | None = None

    @property
    def label(self) -> str:
        return f"{self.doc_id} §{self.section}" if self.section else self.doc_id

    def matches(self, doc_id: str, section: str) -> bool:
        """A section matches itself and its subsections: §3 is satisfied by a §3.2 passage."""
        if doc_id != self.doc_id:
            return False
        if not self.section:
            return True
        return section == self.section or section.startswith(self.section + ".")


@dataclass(frozen=True)
class Filters:
    lob: str | None = None
    doc_type: str | None = None
    as_of: date | None = None


@dataclass(frozen=True)
class ExpectedDeadline:
    due_at: datetime | None = None
    due_date: date | None = None


@dataclass(frozen=True)
class Case:
    id: str
    question: str
    type: str
    role: str = DEFAULT_ROLE
    user_id: str | None = None
    lob: str | None = None
    filters: Filters = field(default_factory=Filters)
    prior_turns: tuple[str, ...] = ()
    must_include: tuple[Fact, ...] = ()
    must_not_include: tuple[Fact, ...] = ()
    expected_sources: tuple[Source, ...] = ()
    expected_tools: tuple[str, ...] = ()
    expected_intent: str | None = None
    expected_deadline: ExpectedDeadline | None = None
    expected_letter_elements: tuple[str, ...] = ()
    expect_abstention: bool | None = None
    search_query: str | None = None
    model_reply: str | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""
    line: int | None = None

    @property
    def line_of_business(self) -> str:
        """What the case is aggregated under: its own lob, its filter's, or 'any'."""
        return self.lob or self.filters.lob or "any"

    @property
    def should_abstain(self) -> bool | None:
        """True/False when abstention is scored for this case, None when it is not."""
        if self.expect_abstention is not None:
            return self.expect_abstention
        if self.type == "unanswerable":
            return True
        if self.type in ("answerable", "follow_up"):
            return False
        return None


@dataclass(frozen=True)
class Environment:
    """The clock and seeded data the cases were written against."""

    now: datetime | None = None
    seed: int = 1
    members: int = 300


@dataclass(frozen=True)
class Dataset:
    path: str
    name: str
    cases: tuple[Case, ...]
    environment: Environment = field(default_factory=Environment)
    sha256: str = ""

    def __len__(self) -> int:
        return len(self.cases)

    def __iter__(self) -> Iterator[Case]:
        return iter(self.cases)

    def subset(self, patterns: list[str]) -> "Dataset":
        """The cases whose id matches any of the glob patterns, in dataset order."""
        keep = tuple(c for c in self.cases if any(fnmatchcase(c.id, p) for p in patterns))
        return replace(self, cases=keep)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema())
    return cls(schema(), format_checker=cls.FORMAT_CHECKER)


class _Loader(yaml.SafeLoader):
    """Dates stay text, so the schema (not the YAML resolver) decides what a date is."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _field_name(path: list[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _node_at(node: yaml.Node | None, path: list[str | int]) -> tuple[yaml.Node | None, int]:
    """The deepest YAML node on `path` and how many path parts it consumed."""
    depth = 0
    for part in path:
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        else:
            child = None
        if child is None:
            break
        node, depth = child, depth + 1
    return node, depth


def _key_node(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((k for k, _ in node.value if k.value == key), None)
    return None


def _leaf_errors(error: ValidationError) -> list[ValidationError]:
    """oneOf/anyOf errors list every alternative; report the one the author evidently meant
    (the branch whose type the value has), as a person would."""
    if not error.context:
        return [error]
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(int(sub.schema_path[0]), []).append(sub)
    meant = [
        errs
        for errs in branches.values()
        if not any(e.validator == "type" and not e.relative_path for e in errs)
    ]
    if len(meant) == 1:
        return [leaf for sub in meant[0] for leaf in _leaf_errors(sub)]
    best = best_match(error.context)
    return _leaf_errors(best) if best is not None else [error]


def _problems(data: Any, file: str, locate: Any, per_line: bool = False) -> list[Problem]:
    """Schema errors as problems; `locate(path, key)` gives a line number for a path.

    per_line: one case per line (JSONL), so the field is named from the case down.
    """
    problems: list[Problem] = []
    errors = sorted(_validator().iter_errors(data), key=lambda e: [str(p) for p in e.path])
    for top in errors:
        for error in _leaf_errors(top):
            path = list(error.absolute_path)
            key: str | None = None
            message = error.message
            # jsonschema types validator_value and schema loosely (Any, bool or Unset): narrow
            expected, schema = error.validator_value, error.schema
            if (
                error.validator == "required"
                and isinstance(error.instance, dict)
                and isinstance(expected, list)
            ):
                missing = [k for k in expected if k not in error.instance]
                if missing:
                    path = [*path, missing[0]]
                    message = "is required" + _type_hint(data, path)
            elif (
                error.validator == "additionalProperties"
                and isinstance(error.instance, dict)
                and isinstance(schema, Mapping)
            ):
                allowed = set(schema.get("properties", {}))
                extra = sorted(k for k in error.instance if k not in allowed)
                if extra:
                    key = extra[0]
                    path = [*path, key]
                    message = f"unknown field (allowed: {', '.join(sorted(allowed))})"
            elif error.validator == "enum" and isinstance(expected, list):
                message = f"{error.instance!r} is not one of {', '.join(map(str, expected))}"
            elif error.validator == "pattern":
                message = f"{error.instance!r} is not in the expected form"
            line = locate(path, key)
            shown = path[2:] if per_line and len(path) > 2 else path
            problems.append(Problem(file, line, _field_name(shown), message))
    return sorted(problems, key=lambda p: (p.line or 0, p.field))


def _type_hint(data: Any, path: list[str | int]) -> str:
    """Name the case type when a field is required because of it."""
    if len(path) >= 3 and path[0] == "cases" and isinstance(path[1], int):
        cases = data.get("cases") if isinstance(data, dict) else None
        if isinstance(cases, list) and path[1] < len(cases) and isinstance(cases[path[1]], dict):
            kind = cases[path[1]].get("type")
            if kind and path[2] != "type":
                return f" for a {kind} case"
    return ""


def _duplicate_keys(node: yaml.Node, file: str, path: list[str | int]) -> list[Problem]:
    """PyYAML keeps the last of two equal keys silently; a dataset author wants to know."""
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for k, v in node.value:
            if k.value in seen:
                problems.append(
                    Problem(
                        file,
                        k.start_mark.line + 1,
                        _field_name([*path, k.value]),
                        "appears twice in the same mapping",
                    )
                )
            seen.add(k.value)
            problems.extend(_duplicate_keys(v, file, [*path, k.value]))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            problems.extend(_duplicate_keys(item, file, [*path, i]))
    return problems


def _load_yaml(path: Path, text: str) -> tuple[dict[str, Any], dict[int, int]]:
    file = str(path)
    try:
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        reason = getattr(exc, "problem", None) or str(exc)
        raise DatasetError(
            [Problem(file, mark.line + 1 if mark else None, "", f"not valid YAML: {reason}")]
        ) from exc
    if root is None or data is None:
        raise DatasetError([Problem(file, 1, "", "the file is empty; it needs a `cases` list")])
    if isinstance(data, list):
        # A bare list of cases is accepted as shorthand for {cases: [...]}.
        data = {"cases": data}
        root = yaml.MappingNode(
            "tag:yaml.org,2002:map",
            [(yaml.ScalarNode("tag:yaml.org,2002:str", "cases"), root)],
            start_mark=root.start_mark,
            end_mark=root.end_mark,
        )
    problems = _duplicate_keys(root, file, [])

    def locate(field_path: list[str | int], key: str | None) -> int | None:
        node, depth = _node_at(root, field_path)
        if key is not None:
            parent, _ = _node_at(root, field_path[:-1])
            key_node = _key_node(parent, key)
            if key_node is not None:
                return key_node.start_mark.line + 1
        if node is not None and depth < len(field_path):
            # A required field that is missing: point at the mapping that lacks it.
            return node.start_mark.line + 1
        return node.start_mark.line + 1 if node is not None else None

    problems.extend(_problems(data, file, locate))
    if problems:
        raise DatasetError(problems)
    lines = {}
    cases_node, _ = _node_at(root, ["cases"])
    if isinstance(cases_node, yaml.SequenceNode):
        lines = {i: n.start_mark.line + 1 for i, n in enumerate(cases_node.value)}
    return data, lines


def _load_jsonl(path: Path, text: str) -> tuple[dict[str, Any], dict[int, int]]:
    file = str(path)
    cases: list[Any] = []
    lines: dict[int, int] = {}
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("//"):
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            problems.append(
                Problem(file, number, "", f"not valid JSON: {exc.msg} (column {exc.colno})")
            )
            continue
        lines[len(cases)] = number
        cases.append(record)
    if problems:
        raise DatasetError(problems)
    if not cases:
        raise DatasetError([Problem(file, 1, "", "the file has no cases (one JSON object a line)")])
    data = {"cases": cases}

    def locate(field_path: list[str | int], key: str | None) -> int | None:
        if len(field_path) >= 2 and field_path[0] == "cases" and isinstance(field_path[1], int):
            return lines.get(field_path[1])
        return None

    problems = _problems(data, file, locate, per_line=True)
    if problems:
        raise DatasetError(problems)
    return data, lines


def _fact(value: Any) -> Fact:
    if isinstance(value, dict):
        return Fact(tuple(value["any_of"]))
    return Fact((value,))


def _source(value: Any) -> Source:
    if isinstance(value, dict):
        return Source(value["doc_id"], value.get("section"))
    m = SOURCE_RE.match(value)
    assert m is not None  # the schema pattern guarantees the shape
    return Source(m.group("doc"), m.group("section"))


def _filters(value: dict[str, Any]) -> Filters:
    as_of = value.get("as_of")
    return Filters(
        lob=value.get("lob"),
        doc_type=value.get("doc_type"),
        as_of=date.fromisoformat(as_of) if as_of else None,
    )


def _deadline(value: dict[str, Any] | None) -> ExpectedDeadline | None:
    if not value:
        return None
    due_at = value.get("due_at")
    due_date = value.get("due_date")
    return ExpectedDeadline(
        due_at=datetime.fromisoformat(due_at.replace("Z", "+00:00")) if due_at else None,
        due_date=date.fromisoformat(due_date) if due_date else None,
    )


def _case(raw: dict[str, Any], defaults: dict[str, Any], line: int | None) -> Case:
    tools = raw.get("expected_tool", ())
    filters = {**defaults.get("filters", {}), **raw.get("filters", {})}
    return Case(
        id=raw["id"],
        question=raw["question"],
        type=raw["type"],
        role=raw.get("role", defaults.get("role", DEFAULT_ROLE)),
        user_id=raw.get("user_id", defaults.get("user_id")),
        lob=raw.get("lob", defaults.get("lob")),
        filters=_filters(filters),
        prior_turns=tuple(raw.get("prior_turns", ())),
        must_include=tuple(_fact(f) for f in raw.get("must_include", ())),
        must_not_include=tuple(_fact(f) for f in raw.get("must_not_include", ())),
        expected_sources=tuple(_source(s) for s in raw.get("expected_sources", ())),
        expected_tools=(tools,) if isinstance(tools, str) else tuple(tools),
        expected_intent=raw.get("expected_intent"),
        expected_deadline=_deadline(raw.get("expected_deadline")),
        expected_letter_elements=tuple(raw.get("expected_letter_elements", ())),
        expect_abstention=raw.get("expect_abstention"),
        search_query=raw.get("search_query"),
        model_reply=raw.get("model_reply"),
        tags=tuple(raw.get("tags", ())),
        notes=raw.get("notes", ""),
        line=line,
    )


def load_dataset(path: Path) -> Dataset:
    """Read and validate a dataset file; raises DatasetError naming file, line and field."""
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DatasetError([Problem(file, None, "", "no such file")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise DatasetError([Problem(file, None, "", f"cannot be read: {exc}")]) from exc
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        data, lines = _load_jsonl(path, text)
    elif path.suffix.lower() in (".yaml", ".yml"):
        data, lines = _load_yaml(path, text)
    else:
        raise DatasetError(
            [Problem(file, None, "", "unknown dataset format; use .yaml, .yml or .jsonl")]
        )
    defaults = data.get("defaults", {})
    cases = [_case(raw, defaults, lines.get(i)) for i, raw in enumerate(data["cases"])]
    problems: list[Problem] = []
    seen: dict[str, int | None] = {}
    for i, case in enumerate(cases):
        if case.id in seen:
            first = seen[case.id]
            problems.append(
                Problem(
                    file,
                    case.line,
                    f"cases[{i}].id",
                    f"'{case.id}' is already used by the case at line {first}",
                )
            )
        seen[case.id] = case.line
    if problems:
        raise DatasetError(problems)
    env = data.get("environment", {})
    now = env.get("now")
    return Dataset(
        path=file,
        name=data.get("name") or path.stem,
        cases=tuple(cases),
        environment=Environment(
            now=datetime.fromisoformat(now.replace("Z", "+00:00")) if now else None,
            seed=env.get("seed", 1),
            members=env.get("members", 300),
        ),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
