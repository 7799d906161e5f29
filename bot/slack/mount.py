"""Slack's HTTP endpoint on the FastAPI app: events, slash commands and interactivity.

The signature is checked here before the body is parsed, so a forged or stale request (more
than five minutes old) gets 401 and nothing else happens. Bolt's synchronous dispatch runs in
the thread pool, never on the event loop.
"""

import logging

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot.faces.errors import describe_exception, error_body
from bot.slack.app import build_bolt_app
from bot.slack.services import SlackServices

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def signed(verifier: SignatureVerifier, body: bytes, headers: dict[str, str]) -> bool:
    try:
        return verifier.is_valid_request(body, headers)
    except ValueError:  # a timestamp that is not a number, a body that is not UTF-8
        return False


def mount_slack(app: FastAPI, svc: SlackServices) -> App:
    bolt = build_bolt_app(svc)
    secret = svc.settings.slack_signing_secret
    verifier = SignatureVerifier(secret.get_secret_value() if secret else "")

    @app.post(EVENTS_PATH, include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        body = await request.body()
        if not signed(verifier, body, dict(request.headers)):
            return JSONResponse(
                error_body("invalid_signature", "the Slack signature or timestamp is not valid"),
                status_code=401,
            )
        try:
            bolt_request = BoltRequest(
                body=body.decode("utf-8"),
                query=str(request.url.query),
                headers=dict(request.headers),
            )
        except ValueError:
            return JSONResponse(
                error_body("malformed_body", "the Slack payload could not be parsed"),
                status_code=400,
            )
        try:
            bolt_response = await run_in_threadpool(bolt.dispatch, bolt_request)
        except Exception as exc:
            log.error("Slack dispatch failed: %s", describe_exception(exc))
            return JSONResponse(error_body("internal_error", "Slack request failed"), 500)
        return Response(
            status_code=bolt_response.status,
            content=bolt_response.body,
            headers=bolt_response.first_headers_without_set_cookie(),
        )

    return bolt
