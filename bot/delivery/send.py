"""The Slack call an outbox entry stands for: a DM posted, or updated where it landed, or an
App Home published."""

from __future__ import annotations

from typing import Any

from bot.core.runtime import Runtime
from bot.delivery.homes import homes_of
from bot.delivery.pacing import Pacer, sending
from bot.render.home import build_home
from storage.enums import OutboxKind
from storage.models import Outbox


def send(
    rt: Runtime,
    entry: Outbox,
    target: tuple[str, str] | None,
    *,
    view: dict[str, Any] | None = None,
    bulk: bool = False,
) -> tuple[str | None, str | None]:
    """Where the message is now (channel, ts); (None, None) for a Home. A Home's `view` is
    rendered here from the data current now when the caller has not rendered it. Paced per
    workspace (`bot.delivery.pacing`); `bulk` sends wait for their slot."""
    client = rt.client_for(entry.team_id)
    if entry.kind == OutboxKind.home:
        view = view or _render_home(rt, entry)
        if view is None:
            return None, None  # nobody to show it to any more
    payload: dict[str, Any] = entry.payload
    with sending(pacer_of(rt), entry.team_id, method_of(entry, target), bulk=bulk):
        if view is not None:
            client.views_publish(user_id=entry.user_id, view=view)
            return None, None
        if target is not None:
            channel, ts = target
            client.chat_update(
                channel=channel, ts=ts, text=payload["text"], blocks=payload.get("blocks")
            )
            return channel, ts
        response = client.chat_postMessage(
            channel=entry.user_id, text=payload["text"], blocks=payload.get("blocks")
        )
    return response["channel"], response["ts"]


def method_of(entry: Outbox, target: tuple[str, str] | None) -> str:
    """The Web API method an entry's send calls (each has its own rate limit)."""
    if entry.kind == OutboxKind.home:
        return "views.publish"
    return "chat.update" if target else "chat.postMessage"


def pacer_of(rt: Runtime) -> Pacer:
    if rt.pacer is None:
        rt.pacer = Pacer(rate=rt.settings.aor_send_rate)
    pacer: Pacer = rt.pacer
    return pacer


def _render_home(rt: Runtime, entry: Outbox) -> dict[str, Any] | None:
    with rt.db.transaction() as session:
        data = homes_of(rt, session, entry.team_id, [entry.user_id]).get(entry.user_id)
    return build_home(data) if data else None
