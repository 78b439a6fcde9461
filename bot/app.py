"""The composition root: builds the Bolt app and the runtime its listeners share."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from slack_bolt import App, BoltContext
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.core.config import Settings
from bot.core.runtime import Runtime
from bot.delivery.client import make_web_client
from bot.delivery.outbox import deliver
from storage.db import Database


def build_runtime(settings: Settings, engine: Engine, client: WebClient | None = None) -> Runtime:
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else ""
    client = client or make_web_client(token=token, base_url=settings.slack_api_url)
    quick = WebClient(token=token, base_url=settings.slack_api_url, timeout=2)
    quick.retry_handlers = []
    rt = Runtime(settings=settings, db=Database(engine), client=client, quick_client=quick)
    rt.deliver = partial(deliver, rt)  # every committed outbox entry goes out at once
    return rt


def build_app(settings: Settings, engine: Engine, *, runtime: Runtime | None = None) -> App:
    """The Bolt app with every listener registered. Listeners get `rt` (the Runtime) and
    `request_id` injected by name."""
    import handlers  # only the composition root knows the listeners

    rt = runtime or build_runtime(settings, engine)
    secret = (
        settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else ""
    )
    app = App(
        client=rt.client,
        signing_secret=secret,
        token_verification_enabled=False,
        ignoring_self_events_enabled=True,
        # Bolt's default pool has 5 threads; a listener only acks once it has a thread, so a
        # burst of clicks would queue past Slack's 3 s. Listeners mostly wait on I/O.
        listener_executor=ThreadPoolExecutor(max_workers=32, thread_name_prefix="aor-listener"),
    )
    # First: Bolt reads a payload to inject listener arguments before each middleware
    # function, and raises on some malformed ones (handlers.gate).
    handlers.register_gate(app)
    app.use(_inject(rt))
    handlers.register(app)
    return app


def _inject(rt: Runtime) -> Callable[..., BoltResponse | None]:
    def middleware(
        req: BoltRequest, context: BoltContext, next: Callable[[], BoltResponse]
    ) -> BoltResponse:
        context["rt"] = rt
        context["request_id"] = uuid.uuid4().hex[:12]
        return next()

    return middleware
