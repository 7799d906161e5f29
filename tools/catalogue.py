"""The tool catalogue: every tool, declared where it is defined, with its policy.

A tool module declares each tool with `@tool(name, input_model, output_model, discloses=...,
agent=...)`. The declaration says what the tool takes and returns, whether its output holds
member or case data, and whether an agent may be given it (signing never is). The decorator
returns the ToolSpec, which is what callers call: it checks the caller's role against the access
table (tools.roles.ACCESS), validates the input, then runs the tool body, which reads and writes
the audit record in one transaction. The offline engine, the LLM engine and the faces' privacy
decisions all derive from this one declaration and the access table.
"""

import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from tools.context import ToolContext, parse_input
from tools.errors import ToolError
from tools.roles import ACCESS, Principal, Role, ToolName, can_call, require_tool

if TYPE_CHECKING:
    from langchain_core.tools import StructuredTool

I = TypeVar("I", bound=BaseModel)  # noqa: E741
O = TypeVar("O", bound=BaseModel)  # noqa: E741

# The modules whose import registers the tools (each declares its own).
TOOL_MODULES = (
    "tools.members",
    "tools.cases",
    "tools.providers",
    "tools.deadlines",
    "tools.criteria",
    "tools.drafts",
    "tools.draft_kinds",
    "tools.signoff",
    "tools.audit",
    "tools.report_um",
    "tools.report_cms",
)
# Only a person signs, through a face that calls sign_draft itself.
NEVER_AGENT = frozenset({ToolName.sign_draft})


@dataclass(frozen=True)
class ToolSpec(Generic[I, O]):
    """One tool and its policy. Calling the spec is calling the tool."""

    name: ToolName
    body: Callable[..., O]
    input_model: type[I]
    output_model: type[O]
    discloses: bool
    agent: bool
    # A check of the caller made before the access table's, where it gives a plainer refusal.
    admit: Callable[[Principal], None] | None = None

    @property
    def __name__(self) -> str:
        # Callers treat a tool as the function it was declared as.
        return self.name.value

    @property
    def description(self) -> str:
        return " ".join((inspect.getdoc(self.body) or "").split())

    def check(self, principal: Principal) -> None:
        """May this caller use the tool? PermissionDenied if not. Every call runs it first; a
        face that must refuse before it has parsed the request (an HTTP 403 before a 422) runs
        this same check rather than keeping its own table."""
        if self.admit is not None:
            self.admit(principal)
        require_tool(principal, self.name)

    def __call__(self, ctx: ToolContext, request: I | Mapping[str, Any], **extra: Any) -> O:
        self.check(ctx.principal)
        return self.body(ctx, parse_input(self.input_model, request), **extra)


_REGISTERED: dict[ToolName, ToolSpec[Any, Any]] = {}


def tool(
    name: ToolName,
    input_model: type[I],
    output_model: type[O],
    *,
    discloses: bool,
    agent: bool,
    admit: Callable[[Principal], None] | None = None,
) -> Callable[[Callable[..., O]], ToolSpec[I, O]]:
    """Declare a tool: `discloses` when its output holds member or case data (ids included),
    `agent` when an agent may be offered it. The body takes (ctx, parsed input)."""
    if agent and name in NEVER_AGENT:
        raise ValueError(f"{name.value} is never an agent tool")

    def register(body: Callable[..., O]) -> ToolSpec[I, O]:
        if name in _REGISTERED:
            raise ValueError(f"tool {name.value} is declared twice")
        spec = ToolSpec(name, body, input_model, output_model, discloses, agent, admit)
        _REGISTERED[name] = spec
        return spec

    return register


@dataclass(frozen=True)
class Catalogue:
    specs: tuple[ToolSpec[Any, Any], ...]

    def __post_init__(self) -> None:
        check_policy(self.specs)

    def __getitem__(self, name: ToolName | str) -> ToolSpec[Any, Any]:
        return self.by_name[ToolName(name)]

    @property
    def by_name(self) -> dict[ToolName, ToolSpec[Any, Any]]:
        return {spec.name: spec for spec in self.specs}

    @property
    def by_value(self) -> dict[str, ToolSpec[Any, Any]]:
        return {spec.name.value: spec for spec in self.specs}

    def for_agent(self, principal: Principal) -> list[ToolSpec[Any, Any]]:
        """The tools an agent acting for this caller may be offered: agent tools the role's
        grant allows, never signing."""
        return [s for s in self.specs if s.agent and can_call(principal, s.name)]

    def discloses(self, name: str) -> bool:
        """True when a call of this tool returns member or case data. Names outside the
        catalogue (the engines' document search) disclose none."""
        spec = self.by_value.get(name)
        return spec is not None and spec.discloses


def check_policy(specs: tuple[ToolSpec[Any, Any], ...]) -> None:
    """A role the access table gives no member or case fields is granted no tool that
    discloses them: the table and the declarations must not disagree."""
    disclosing = {s.name for s in specs if s.discloses}
    for role, grant in ACCESS.items():
        if grant.member_fields or grant.case_fields:
            continue
        leaked = sorted(t.value for t in grant.tools & disclosing)
        if leaked:
            raise ValueError(f"role {Role(role).value} has no data fields but may call {leaked}")


@cache
def catalogue() -> Catalogue:
    """Every declared tool, in ToolName order (the tool modules are imported to register)."""
    for module in TOOL_MODULES:
        importlib.import_module(module)
    return Catalogue(tuple(_REGISTERED[n] for n in ToolName if n in _REGISTERED))


def langchain_tool(
    spec: ToolSpec[Any, Any], call: Callable[[dict[str, Any]], BaseModel]
) -> "StructuredTool":
    """A LangChain StructuredTool running `call` with the model's arguments. A ToolError (not
    found, invalid input, permission denied) comes back to the model as an error message."""
    from langchain_core.tools import StructuredTool, ToolException

    def run(**kwargs: Any) -> dict[str, Any]:
        try:
            return call(kwargs).model_dump(mode="json")
        except ToolError as exc:
            raise ToolException(f"{type(exc).__name__}: {exc}") from exc

    return StructuredTool.from_function(
        func=run,
        name=spec.name.value,
        description=spec.description,
        args_schema=spec.input_model,
        handle_tool_error=True,
    )
