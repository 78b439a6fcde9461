"""The composition root: builds the Bolt app and the runtime its listeners share."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from functools import partial
from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine

from bot.core.config import Settings, reveal
from bot.core.errors import ConfigError
from bot.core.installs import Installs
from bot.core.logs import log_event, redact
from bot.core.metrics import watch_pool
from bot.core.runtime import Runtime
from bot.delivery.batch import prepare
from bot.delivery.client import make_web_client
from bot.delivery.outbox import LEASE, deliver
from bot.delivery.sending import send_batch
from bot.services.workspaces import build_oauth_flow, note_workspace
from storage.db import Database

logger = logging.getLogger(__name__)

OTHER_WORKSPACE = (
    "This AOR bot works only in the Slack workspace it was installed in, and that is not "
    "this one: nothing was done. Ask your Slack admin to install the AOR bot here."
)

# auth.test errors that mean the token itself is wrong, not that Slack is having a bad minute.
_TOKEN_REFUSED = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)


def build_runtime(settings: Settings, engine: Engine, client: WebClient | None = None) -> Runtime:
    """Token mode: one client with SLACK_BOT_TOKEN. OAuth mode: each workspace's client from
    its installation (`rt.client_for(team)`); `rt.client` then has no token."""
    token = "" if settings.oauth_mode else reveal(settings.slack_bot_token)
    api_url = settings.slack_api_url
    client = client or make_web_client(token=token, base_url=api_url)
    db = Database(engine)
    watch_pool(engine)
    rt = Runtime(settings=settings, db=db, client=client, quick_client=_quick(token, api_url))
    if settings.oauth_mode:
        rt.installs = Installs(
            settings=settings,
            db=db,
            make_client=lambda token, quick: (
                _quick(token, api_url) if quick else make_web_client(token=token, base_url=api_url)
            ),
        )
    # Every committed outbox entry goes out at once, from the process that wrote it.
    rt.deliver = partial(send_batch, rt)
    rt.deliver_claimed = partial(deliver, rt)
    rt.db.prepare = partial(prepare, rt)
    rt.db.lease_new = LEASE
    return rt


def _quick(token: str, api_url: str) -> WebClient:
    """For the few Slack calls made before acknowledging a modal: one try, a short wait."""
    return make_web_client(token=token, base_url=api_url, timeout=2, retries=False)


def build_app(settings: Settings, engine: Engine, *, runtime: Runtime | None = None) -> App:
    """The Bolt app with every listener registered. Listeners get `rt` (the Runtime) and
    `request_id` injected by name. Token mode asks Slack which workspace the bot token belongs
    to (`auth.test`) and serves that one only (ConfigError when Slack cannot say); OAuth mode
    serves every installed workspace, each request with its own workspace's token."""
    import handlers  # only the composition root knows the listeners

    rt = runtime or build_runtime(settings, engine)
    # Bolt's default pool has 5 threads; a listener only acks once it has a thread, so a
    # burst of clicks would queue past Slack's 3 s. After its ack a listener waits for one of
    # the runtime's few work slots (`WORK_SLOTS`), so threads here are mostly waiting.
    executor = ThreadPoolExecutor(max_workers=64, thread_name_prefix="aor-listener")
    common: dict[str, Any] = {
        "client": rt.client,
        "signing_secret": reveal(settings.slack_signing_secret),
        "ignoring_self_events_enabled": True,
        "listener_executor": executor,
    }
    if settings.oauth_mode:
        app = App(oauth_flow=build_oauth_flow(rt), **common)
        serving: Callable[[BoltContext], str | None] = partial(_installed_team, rt)
    else:
        team_id = own_team(rt.client, api_url=settings.slack_api_url)
        app = App(token_verification_enabled=False, **common)
        serving = lambda _context: team_id  # noqa: E731
    # First: Bolt reads a payload to inject listener arguments before each middleware
    # function, and raises on some malformed ones (handlers.gate).
    handlers.register_gate(app)
    app.use(_one_workspace(serving, executor))
    app.use(_inject(rt))
    handlers.register(app)
    return app


def own_team(client: WebClient, *, api_url: str) -> str:
    """The workspace the bot token belongs to, asked of Slack once at start."""
    try:
        team_id = client.auth_test()["team_id"]
    except SlackApiError as err:
        error, status = err.response.get("error"), err.response.status_code
        if error in _TOKEN_REFUSED:
            raise ConfigError(
                f"Slack refused SLACK_BOT_TOKEN (auth.test: {error}) — copy the Bot User OAuth "
                "Token (xoxb-…) from the app's OAuth & Permissions page"
            ) from None
        raise ConfigError(
            f"Slack did not say which workspace this is (auth.test: HTTP {status}, {error}) — "
            "try again in a minute"
        ) from None
    except (SlackClientError, OSError) as err:
        raise ConfigError(
            f"cannot reach Slack at {api_url} ({redact(str(err)) or type(err).__name__}) — "
            "check the network and SLACK_API_URL"
        ) from None
    if not isinstance(team_id, str) or not team_id:
        raise ConfigError("Slack's auth.test named no workspace for SLACK_BOT_TOKEN")
    log_event(logger, "workspace.serving", team=team_id)
    return team_id


def _installed_team(rt: Runtime, context: BoltContext) -> str | None:
    """OAuth mode: Bolt has found this workspace's installation (or refused the request
    already); every team the payload names must be that one. A Grid org-wide install serves
    each team of the org, recorded the first time it is seen."""
    team_id = context.team_id
    if team_id is not None and context.enterprise_id is not None:
        note_workspace(rt, team_id=team_id, enterprise_id=context.enterprise_id)
    return team_id


def _one_workspace(
    serving: Callable[[BoltContext], str | None], executor: Executor
) -> Callable[..., BoltResponse]:
    """Refuse anything from another workspace before any listener sees it: no row is written
    and the bot token never talks to that workspace's people. The person is told where Slack
    gives a way to answer: the command's ack, the click's response_url, the modal itself."""

    def middleware(
        req: BoltRequest, context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        body = req.body
        team_id = serving(context)
        if team_id is None and context.is_enterprise_install and _is_event(body):
            return next()  # an org-wide install's own events (app_uninstalled) name no team
        other = _other_team(body, context.team_id, team_id or "(none)")
        if other is None:
            return next()
        kind = body.get("type") or ("slash_command" if "command" in body else None)
        log_event(
            logger,
            "workspace.refused",
            logging.WARNING,
            team=other,
            serving=team_id,
            kind=str(kind),
            user=context.user_id,
        )
        if kind == "slash_command":
            return _json_ack({"response_type": "ephemeral", "text": OTHER_WORKSPACE})
        if kind == "view_submission":
            block_id = _first_input_block(body.get("view"))
            if block_id is not None:
                return _json_ack(
                    {"response_action": "errors", "errors": {block_id: OTHER_WORKSPACE}}
                )
        elif context.respond is not None:  # there is a response_url
            executor.submit(_answer_by_response_url, context.respond)
        return BoltResponse(status=200, body="")

    return middleware


def _is_event(body: dict[str, Any]) -> bool:
    return body.get("type") == "event_callback"


def _answer_by_response_url(respond: Respond) -> None:
    """After the ack: the refusal as an ephemeral where the person clicked."""
    try:
        respond(text=OTHER_WORKSPACE, response_type="ephemeral", replace_original=False)
    except (SlackClientError, OSError) as err:
        log_event(logger, "workspace.refusal_undelivered", logging.WARNING, error=repr(err))


def _other_team(body: dict[str, Any], context_team: str | None, team_id: str) -> str | None:
    """A team the request comes from that is not ours, or None. Bolt's context names the
    installation's team (a modal keeps the team that opened it); the payload also names the
    acting person's team, and both must be ours."""
    if context_team is None:
        return "(none)"
    named = (
        context_team,
        body.get("team_id"),
        _at(body, "team", "id"),
        _at(body, "user", "team_id"),
        _at(body, "view", "team_id"),
    )
    return next((str(team) for team in named if team is not None and team != team_id), None)


def _at(body: dict[str, Any], key: str, inner: str) -> Any:
    value = body.get(key)
    return value.get(inner) if isinstance(value, dict) else None


def _first_input_block(view: Any) -> str | None:
    blocks = view.get("blocks") if isinstance(view, dict) else None
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("type") == "input" and block.get("block_id"):
            return str(block["block_id"])
    return None


def _json_ack(payload: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200, body=json.dumps(payload), headers={"content-type": "application/json"}
    )


def _inject(rt: Runtime) -> Callable[..., BoltResponse | None]:
    def middleware(
        req: BoltRequest, context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        context["rt"] = rt
        context["request_id"] = uuid.uuid4().hex[:12]
        return next()

    return middleware
