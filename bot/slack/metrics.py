"""`/careassist metrics`: this month's headline UM figures, privately, for roles that may read
the UM report. Aggregates only; the read is audited like any other (channel slack)."""

from bot.runtime import Runtime
from bot.slack.identity import SlackCaller
from bot.slack.messages import NOT_ALLOWED, UNLINKED
from tools.errors import PermissionDenied
from tools.report_html import show_count, show_rate
from tools.report_um import UmReport, um_report


def headline(report: UmReport) -> str:
    t, b = report.totals, report.backlog
    on_time = [r.on_time for r in report.turnaround if r.on_time.denominator]
    timely_n = sum(r.numerator or 0 for r in on_time)
    timely_d = sum(r.denominator or 0 for r in on_time)
    share = f"{100 * timely_n / timely_d:.1f}%" if timely_d >= 11 else "<11 decided"
    return (
        f"*UM this month* ({report.period_from} to {report.period_to}): "
        f"{show_count(t.cases)} cases received; approved {show_rate(t.approved)}, "
        f"partially approved {show_rate(t.partially_approved)}, denied {show_rate(t.denied)}, "
        f"overturned on appeal {show_rate(t.overturned_on_appeal)}; decided on time {share}. "
        f"Open now: {show_count(b.overdue)} overdue, {show_count(b.due_within_24h)} due within "
        f"24 hours. Cells under 11 cases are withheld; the full report is "
        "`careassist report um`."
    )


def metrics_text(runtime: Runtime, caller: SlackCaller) -> str:
    """The reply for one caller: the headline, or why they cannot have it."""
    if caller.principal is None:
        return UNLINKED
    ctx = runtime.tool_context(caller.principal, "slack", "UM metrics via Slack")
    today = ctx.today()
    try:
        report = um_report(ctx, {"start": today.replace(day=1), "end": today})
    except PermissionDenied:  # the catalogue's role check: nothing was read
        return NOT_ALLOWED
    return headline(report)
