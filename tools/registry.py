"""The tool catalogue: one spec per tool, and the bindings an agent uses to call them.

Tools are plain functions `tool(ctx, input) -> output`. An agent binds a ToolContext (who is
asking, why, through which channel) and hands the model only the tools the caller's role may
use, each with its pydantic input model as the argument schema and its docstring as the
description.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from tools.cases import CaseList, CaseRecord, GetCaseInput, ListCasesInput, get_case, list_cases
from tools.context import ToolContext
from tools.criteria import CriteriaResult, FindCriteriaInput, find_criteria
from tools.deadlines import DeadlineRequest, DeadlineResult, compute_decision_deadline
from tools.errors import ToolError
from tools.members import (
    FindMembersInput,
    LookupMemberInput,
    MemberCandidates,
    MemberRecord,
    find_members,
    lookup_member,
)
from tools.providers import (
    ContractTermsInput,
    ContractTermsResult,
    NetworkStatusInput,
    NetworkStatusResult,
    check_network_status,
    get_contract_terms,
)
from tools.roles import Principal, ToolName, can_call

if TYPE_CHECKING:
    from langchain_core.tools import StructuredTool


@dataclass(frozen=True)
class ToolSpec:
    name: ToolName
    func: Callable[[ToolContext, Any], BaseModel]
    input_model: type[BaseModel]
    output_model: type[BaseModel]

    @property
    def description(self) -> str:
        return " ".join((inspect.getdoc(self.func) or "").split())


TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(ToolName.lookup_member, lookup_member, LookupMemberInput, MemberRecord),
    ToolSpec(ToolName.find_members, find_members, FindMembersInput, MemberCandidates),
    ToolSpec(ToolName.get_case, get_case, GetCaseInput, CaseRecord),
    ToolSpec(ToolName.list_cases, list_cases, ListCasesInput, CaseList),
    ToolSpec(
        ToolName.check_network_status,
        check_network_status,
        NetworkStatusInput,
        NetworkStatusResult,
    ),
    ToolSpec(
        ToolName.get_contract_terms, get_contract_terms, ContractTermsInput, ContractTermsResult
    ),
    ToolSpec(
        ToolName.compute_decision_deadline,
        compute_decision_deadline,
        DeadlineRequest,
        DeadlineResult,
    ),
    ToolSpec(ToolName.find_criteria, find_criteria, FindCriteriaInput, CriteriaResult),
)
BY_NAME = {spec.name.value: spec for spec in TOOLS}


def tools_for(principal: Principal) -> list[ToolSpec]:
    """The tools this caller's role may use: an agent should offer the model no others."""
    return [spec for spec in TOOLS if can_call(principal, spec.name)]


def bind(spec: ToolSpec, ctx: ToolContext) -> Callable[..., dict[str, Any]]:
    """A keyword-argument callable returning JSON-ready output, for agent frameworks."""

    def call(**kwargs: Any) -> dict[str, Any]:
        return spec.func(ctx, kwargs).model_dump(mode="json")

    call.__name__ = spec.name.value
    call.__doc__ = spec.description
    return call


def langchain_tools(ctx: ToolContext) -> list["StructuredTool"]:
    """LangChain StructuredTools for the caller's role. A ToolError (not found, invalid input,
    permission denied) comes back to the model as an error message, not an exception."""
    from langchain_core.tools import StructuredTool, ToolException

    def as_tool(spec: ToolSpec) -> StructuredTool:
        bound = bind(spec, ctx)

        def run(**kwargs: Any) -> dict[str, Any]:
            try:
                return bound(**kwargs)
            except ToolError as exc:
                raise ToolException(f"{type(exc).__name__}: {exc}") from exc

        return StructuredTool.from_function(
            func=run,
            name=spec.name.value,
            description=spec.description,
            args_schema=spec.input_model,
            handle_tool_error=True,
        )

    return [as_tool(spec) for spec in tools_for(ctx.principal)]
