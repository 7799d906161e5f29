"""CLI commands for the service: `users ...` (staff, API tokens, Slack links), `serve`, `slack`."""

import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from bot.cli_errors import fail
from tools.roles import Role

if TYPE_CHECKING:
    from tools.db import Database

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

users_app = typer.Typer(
    help="Staff users, their API tokens and their Slack accounts.", no_args_is_help=True
)

UserArg = Annotated[str, typer.Argument(help="Staff user id, e.g. cm.alex")]
DaysOpt = Annotated[
    int | None, typer.Option("--days", min=1, help="Token lifetime in days (default 90)")
]
LabelOpt = Annotated[str, typer.Option("--label", help="What the token is for")]


def database() -> "Database":
    """The staff directory's database, migrated (users commands may run before `seed`)."""
    # Imported here, like every heavy dependency in this module, to keep `--help` fast.
    from bot.cli_runtime import runtime

    return runtime().db


def show_token(user_id: str, token: str, expires: datetime | None) -> None:
    until = f"until {expires:%Y-%m-%d}" if expires else "with no expiry"
    console.print(f"API token for {user_id} ({until}). It is shown only now; store it safely:")
    print(token)


@users_app.command("add")
def users_add(
    user_id: UserArg,
    role: Annotated[Role, typer.Option("--role", help="The staff role")],
    name: Annotated[str, typer.Option("--name", help="Display name")],
    credentials: Annotated[
        str | None, typer.Option("--credentials", help="e.g. MD, RN (clinicians sign with it)")
    ] = None,
    slack: Annotated[
        str | None, typer.Option("--slack", help="Link this Slack user id (e.g. U024BE7LH)")
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Change the role or name of an existing user")
    ] = False,
    token: Annotated[bool, typer.Option(help="Issue an API token")] = True,
    days: DaysOpt = None,
    label: LabelOpt = "",
) -> None:
    """Add a staff user (or update one with --update), optionally with a token and a Slack link."""
    from bot.faces.links import link
    from bot.faces.tokens import TokenStore
    from bot.settings import BotSettings
    from tools.users import add_user

    db = database()
    created = add_user(db, user_id, role, name, credentials, update)
    console.print(f"{'Added' if created else 'Updated'} {user_id} as {role.value}.")
    if slack:
        link(db, user_id, slack)
        console.print(f"Linked Slack user {slack.upper()} to {user_id}.")
    if token:
        issued = TokenStore(db).issue(user_id, label, days or BotSettings().api_token_days)
        show_token(issued.user_id, issued.token, issued.expires_at)


@users_app.command("token")
def users_token(user_id: UserArg, days: DaysOpt = None, label: LabelOpt = "") -> None:
    """Issue another API token for an existing staff user."""
    from bot.faces.tokens import TokenStore
    from bot.settings import BotSettings

    issued = TokenStore(database()).issue(user_id, label, days or BotSettings().api_token_days)
    show_token(issued.user_id, issued.token, issued.expires_at)


@users_app.command("list")
def users_list(
    tokens: Annotated[bool, typer.Option("--tokens", help="List every token too")] = False,
) -> None:
    """Staff users with their role, active tokens and linked Slack accounts."""
    from bot.faces.staff import list_staff
    from bot.faces.tokens import TokenStore
    from tools.context import utc_now

    db = database()
    staff = list_staff(db)
    issued = TokenStore(db).list() if tokens else []
    table = Table()
    for col in ("user", "role", "name", "credentials", "active", "tokens", "slack"):
        table.add_column(col)
    for u in staff:
        table.add_row(
            u.user_id,
            u.role.value,
            u.display_name,
            u.credentials or "",
            "yes" if u.active else "no",
            str(u.active_tokens),
            ", ".join(u.slack_user_ids),
        )
    console.print(table)
    if tokens:
        now = utc_now()
        listing = Table()
        for col in ("token id", "user", "label", "created", "expires", "status"):
            listing.add_column(col)
        for t in issued:
            listing.add_row(
                t.token_id,
                t.user_id,
                t.label,
                f"{t.created_at:%Y-%m-%d}",
                f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "never",
                t.status(now),
            )
        console.print(listing)


@users_app.command("revoke")
def users_revoke(
    user_id: UserArg,
    token_id: Annotated[
        str | None, typer.Option("--token", help="Revoke only this token id (see list --tokens)")
    ] = None,
    deactivate_user: Annotated[
        bool, typer.Option("--deactivate", help="Also deactivate the staff user")
    ] = False,
) -> None:
    """Revoke a user's API tokens and Slack links (or one token with --token).

    Every worker stops accepting a revoked token within CAREASSIST_API_TOKEN_CACHE_S seconds.
    """
    from bot.faces.links import unlink
    from bot.faces.tokens import TokenStore
    from tools.users import deactivate

    db = database()
    count = TokenStore(db).revoke(user_id, token_id)
    console.print(f"Revoked {count} token(s) of {user_id}.")
    if token_id is None:
        links = unlink(db, user_id=user_id)
        console.print(f"Removed {links} Slack link(s).")
    if deactivate_user:
        deactivate(db, user_id)
        console.print(f"Deactivated {user_id}.")


@users_app.command("link-slack")
def users_link_slack(
    user_id: UserArg,
    slack_user: Annotated[str, typer.Argument(help="Slack member id, e.g. U024BE7LH")],
    team: Annotated[
        str | None, typer.Option("--team", help="Only from this Slack workspace (T…)")
    ] = None,
) -> None:
    """Let a Slack account act as a staff user (member data needs it)."""
    from bot.faces.links import link

    link(database(), user_id, slack_user, team)
    console.print(f"Slack user {slack_user.upper()} now acts as {user_id}.")


@users_app.command("unlink-slack")
def users_unlink_slack(
    slack_user: Annotated[str, typer.Argument(help="Slack member id, e.g. U024BE7LH")],
) -> None:
    """Remove a Slack account's link; it gets policy answers only from then on."""
    from bot.faces.links import unlink

    count = unlink(database(), slack_user=slack_user)
    if not count:
        raise fail(f"Slack user {slack_user.upper()} was not linked")
    console.print(f"Slack user {slack_user.upper()} unlinked.")


def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Worker processes")] = 1,
    index: Annotated[Path | None, typer.Option("--index", help="Index directory")] = None,
) -> None:
    """Run the HTTP API (and the Slack app at /slack/events when Slack tokens are set)."""
    import uvicorn

    from bot.cli_runtime import runtime
    from bot.faces.logs import LOG_CONFIG
    from bot.server import slack_enabled
    from retrieval.index import IndexStore
    from tools.db import safe_url

    if index is not None:
        # The workers are separate processes that read their settings from the environment.
        os.environ["CAREASSIST_INDEX_DIR"] = str(index)
    rt = runtime()
    tools, retrieval = rt.tools, rt.retrieval
    # Migrate once here, so N workers do not race to do it at start-up.
    rt.db  # noqa: B018 - built migrated
    rt.close()
    if IndexStore(retrieval).current_name() is None:
        err_console.print(
            f"[yellow]warning:[/] no index at {retrieval.index_dir}; /readyz stays 503 until "
            "`careassist ingest corpus` builds one",
            highlight=False,
        )
    base = f"http://{host}:{port}"
    slack = "on at /slack/events" if slack_enabled(rt.bot) else "off (no Slack tokens)"
    err_console.print(
        f"careassist API on {base} ({workers} worker(s), database {safe_url(tools.database_url)}, "
        f"Slack {slack}).\n"
        f"  docs:   {base}/docs\n"
        "  token:  careassist users token cm.alex   (or: careassist users add ...)\n"
        f'  ask:    curl -s {base}/v1/ask -H "Authorization: Bearer $TOKEN" '
        "-H 'Content-Type: application/json' "
        '-d \'{"text": "How fast must an expedited Medicare Advantage request be decided?"}\'',
        highlight=False,
    )
    uvicorn.run(
        "bot.server:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_config=LOG_CONFIG,
        proxy_headers=False,
        timeout_graceful_shutdown=15,
        # A worker loading the model on a busy machine can miss uvicorn's 5 s health ping and
        # be killed and restarted in a loop; give start-up room.
        timeout_worker_healthcheck=120,
    )


def slack(
    socket: Annotated[
        bool, typer.Option("--socket", help="Connect to Slack over Socket Mode")
    ] = False,
) -> None:
    """Run the Slack app in Socket Mode (HTTP mode runs inside `careassist serve`)."""
    import logging.config

    from bot.faces.logs import LOG_CONFIG
    from bot.runtime import Runtime
    from bot.settings import BotSettings
    from bot.slack.services import build_slack_services
    from bot.slack.socket import run_socket_mode
    from retrieval.settings import RetrievalSettings
    from tools.settings import ToolsSettings

    if not socket:
        raise fail(
            "HTTP mode runs inside `careassist serve` at /slack/events; "
            "use `careassist slack --socket` for Socket Mode"
        )
    bot = BotSettings()
    if bot.slack_app_token is None or bot.slack_bot_token is None:
        raise fail("Socket Mode needs SLACK_APP_TOKEN (xapp-…) and SLACK_BOT_TOKEN (xoxb-…)")
    logging.config.dictConfig(LOG_CONFIG)
    runtime = Runtime(bot, RetrievalSettings(), ToolsSettings()).start()
    err_console.print("careassist Slack app connecting over Socket Mode (Ctrl-C to stop)")
    run_socket_mode(build_slack_services(runtime, bot), bot.slack_app_token.get_secret_value())


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
    app.command("serve")(serve)
    app.command("slack")(slack)
