"""The floor for ack latency: a Bolt app whose only listeners ack every slash command and
every block_actions, configured as the AOR app is (bot/app.py: the same Web API client
settings, the same listener thread pool) and served by gunicorn the same way:

    SLACK_SIGNING_SECRET=... SLACK_BOT_TOKEN=xoxb-... SLACK_API_URL=... \\
        gunicorn --worker-class gthread -w 2 --threads 8 bench.bare_app:app
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

EVENTS_PATH = "/slack/events"


def build_bare_app() -> App:
    client = WebClient(
        token=os.environ.get("SLACK_BOT_TOKEN", ""),
        base_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/"),
    )
    bolt = App(
        client=client,
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        token_verification_enabled=False,
        ignoring_self_events_enabled=True,
        listener_executor=ThreadPoolExecutor(max_workers=64, thread_name_prefix="bare-listener"),
    )

    def just_ack(ack: Ack) -> None:
        ack()

    bolt.command(re.compile(r".*"))(just_ack)
    bolt.action(re.compile(r".*"))(just_ack)
    return bolt


def make_wsgi(bolt: App) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    slack = SlackRequestHandler(bolt, path=EVENTS_PATH)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":  # as bot.web answers, minus the database
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        return slack(environ, start_response)

    return wsgi


app = make_wsgi(build_bare_app())
