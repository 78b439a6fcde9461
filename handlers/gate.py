"""The gate: a payload no listener of this app can take (`bot.rules.payloads.routing_problem`:
a `block_actions` with no actions or no `action_id`, a view without a `callback_id`, no user
or workspace, a type this app has no listener for) is answered here. Acknowledged at once,
with one warning line; the person is told where Slack gives a way.

It must come before every other middleware of the app: Bolt works out each listener argument
(`action`, `view`, ...) from the body before it calls a middleware function, and some of that
raises on such a payload (a 500), while its listener matchers match nothing on the rest (a
404). So it is a `Middleware` class, which Bolt calls without working out any arguments."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware

from bot.core.logs import log_event
from bot.rules.envelope import (
    INCOMPLETE_COMMAND,
    STALE_ACTION,
    STALE_FORM,
    first_input_block,
    kind_of,
    reply_url,
    routing_problem,
)
from handlers.replies import ephemeral

logger = logging.getLogger(__name__)


def register(app: App) -> None:
    app.use(PayloadGate())


class PayloadGate(Middleware):
    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        body, context = req.body, req.context
        problem = routing_problem(body)
        if problem is None:
            return next()
        kind = kind_of(body)
        log_event(
            logger,
            "payload.refused",
            logging.WARNING,
            kind=kind[:40],
            reason=problem,
            team=context.team_id,
            user=context.user_id,
        )
        if kind == "slash_command":
            return _json({"response_type": "ephemeral", "text": INCOMPLETE_COMMAND})
        if kind == "view_submission" and (block_id := first_input_block(body.get("view"))):
            return _json({"response_action": "errors", "errors": {block_id: STALE_FORM}})
        respond = context.respond
        if kind == "block_actions" and reply_url(body) and respond is not None:
            # After the acknowledgement: Slack waits for nothing but the 200.
            context.listener_runner.listener_executor.submit(ephemeral, respond, STALE_ACTION)
        return BoltResponse(status=200, body="")


def _json(payload: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200, body=json.dumps(payload), headers={"content-type": "application/json"}
    )
