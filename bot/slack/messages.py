"""What the assistant says in Slack when it will not or cannot answer. No PHI, ever: these
texts are fixed or come from error classes whose messages name ids only."""

from bot.errors import BotError
from retrieval.errors import BadQuery, RetrievalError
from tools.errors import NotFound, PermissionDenied, ServiceUnavailable, ToolError

UNLINKED = (
    "I can answer policy, criteria and regulation questions here, but member and case details "
    "need your Slack account linked to a staff user. Ask a careassist admin to run "
    "`careassist users link-slack <your staff id> <your Slack member id>`."
)
NOT_ALLOWED = (
    "Your role does not include member or case details (minimum necessary), so I can't show "
    "them. A colleague whose role covers it can help."
)
ONLY_CLINICIANS = (
    "Only a clinician can sign a draft. The draft stays unsigned; ask a clinician colleague to "
    "review and sign it."
)


def polite_error(exc: BaseException, reference: str) -> str:
    """A message for the user; the full error goes to the log under the same reference."""
    if isinstance(exc, PermissionDenied):
        return NOT_ALLOWED
    if isinstance(exc, NotFound | BotError | BadQuery):
        return str(exc)
    if isinstance(exc, ServiceUnavailable | RetrievalError):
        return (
            "The document index or the database is not available right now, so I can't answer. "
            f"Please try again in a few minutes (reference {reference})."
        )
    if isinstance(exc, ToolError):
        return f"I couldn't do that: {exc}"
    return (
        "Sorry, something went wrong while answering. Please try again; if it keeps happening, "
        f"tell the careassist admins (reference {reference})."
    )
