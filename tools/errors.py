"""Errors raised by tools; the CLI, API and Slack faces convert them at the edge.

Messages name ids and fields, never names, dates of birth or clinical text: faces may show them
and logs may record them.
"""


class ToolError(Exception):
    """Base class for every tool failure a caller can act on."""

    #: Exit status the CLI uses and the HTTP status the API maps this error to.
    exit_code = 1
    http_status = 500


class NotFound(ToolError):
    exit_code = 2
    http_status = 404


class MemberNotFound(NotFound):
    def __init__(self, member_id: str) -> None:
        super().__init__(f"no member with id {member_id}")
        self.member_id = member_id


class CaseNotFound(NotFound):
    def __init__(self, case_id: str) -> None:
        super().__init__(f"no case with id {case_id}")
        self.case_id = case_id


class ProviderNotFound(NotFound):
    def __init__(self, npi: str) -> None:
        super().__init__(f"no provider with NPI {npi}")
        self.npi = npi


class PlanNotFound(NotFound):
    def __init__(self, plan_id: str) -> None:
        super().__init__(f"no plan with id {plan_id}")
        self.plan_id = plan_id


class ContractNotFound(NotFound):
    """No contract between a provider and a plan in force on the date asked about."""


class UserNotFound(NotFound):
    def __init__(self, user_id: str) -> None:
        super().__init__(f"no staff user with id {user_id}")
        self.user_id = user_id


class InvalidInput(ToolError, ValueError):
    """Malformed ids, naive timestamps, dates out of order, unknown enum values.

    Also a ValueError, so pydantic validators can raise it and callers that validate tool
    arguments (LangChain does) see an ordinary ValidationError carrying this message.
    """

    exit_code = 2
    http_status = 422


class PermissionDenied(ToolError):
    """The caller's role may not use this tool or see this field (minimum necessary)."""

    exit_code = 2
    http_status = 403


class DeadlineRuleNotFound(ToolError):
    """No verified timeframe exists for this combination; the engine refuses to guess."""

    exit_code = 2
    http_status = 422


class ServiceUnavailable(ToolError):
    """A dependency (the document index, the database) is not there to answer."""

    exit_code = 2
    http_status = 503


class StoreNotInitialised(ServiceUnavailable):
    """The database has no schema or no plan data yet."""


class DraftNotFound(NotFound):
    def __init__(self, draft_id: str) -> None:
        super().__init__(f"no draft with id {draft_id}")
        self.draft_id = draft_id


class SignOffRefused(ToolError):
    """A draft cannot be signed as it stands: incomplete, already signed or superseded."""

    exit_code = 2
    http_status = 409


class DraftConflict(ToolError):
    """A change aimed at a draft version that a newer version has replaced."""

    exit_code = 2
    http_status = 409
