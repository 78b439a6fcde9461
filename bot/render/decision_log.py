"""The decision log as sentences a person reads at a coaching meeting (pure): who did what,
to what, when, with people's stored names instead of Slack ids (a file shows no mentions).

The CSV keeps the raw JSON for spreadsheets; this is the Markdown export's reading copy."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.rules.parsing import format_minutes
from bot.rules.tiers import TIERS


@dataclass(frozen=True)
class EventRow:
    """An audit event detached from the session (same field names as AuditEvent)."""

    id: int
    at: datetime
    actor_id: str
    action: str
    subject_type: str
    subject_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


Names = Mapping[str, str]
_TIER_WORDS = {t.tier.value: t.in_sentence for t in TIERS}


def name_of(user_id: object, names: Names) -> str:
    """The person's stored name; an id only when the bot never learnt one."""
    text = str(user_id or "")
    return names.get(text) or text or "someone"


def _work(snap: Mapping[str, Any]) -> str:
    title = snap.get("title") or "an item"
    minutes = snap.get("minutes")
    if not isinstance(minutes, int):
        return f"“{title}”"
    cadence = f" {snap['cadence']}" if snap.get("cadence") else ""
    return f"“{title}” ({format_minutes(minutes)}{cadence})"


def _tier(snap: Mapping[str, Any]) -> str:
    """`at first priority`, `as outside-the-role work`."""
    if snap.get("tier") == "outside":
        return "as outside-the-role work"
    return f"at {_TIER_WORDS.get(str(snap.get('tier')), 'a tier')}"


def _assignment(verb: str) -> Callable[[EventRow, Names], str]:
    def sentence(e: EventRow, names: Names) -> str:
        snap = e.after or {}
        rep = name_of(snap.get("rep"), names)
        note = f" Note: {snap['note']}" if snap.get("note") else ""
        what = {
            "created": f"asked {rep} to take on {_work(snap)}",
            "joined": f"joined {_work(snap)} to {rep}'s AOR {_tier(snap)}",
            "one_off": f"accepted {_work(snap)} as a one-off outside {rep}'s AOR",
            "declined": f"declined {_work(snap)} for {rep}",
            "withdrawn": f"withdrew the request {_work(snap)} to {rep}",
        }.get(verb, f"{verb.replace('_', ' ')} {_work(snap)}")
        return f"{what}.{note}"

    return sentence


def _item(verb: str) -> Callable[[EventRow, Names], str]:
    def sentence(e: EventRow, names: Names) -> str:
        snap = e.after or e.before or {}
        owner = name_of(snap.get("owner"), names)
        where = f"{owner}'s AOR {_tier(snap)}"
        return {
            "added": f"added {_work(snap)} to {where}",
            "edited": f"edited {_work(e.before or snap)} in {owner}'s AOR: now "
            f"{_work(snap)} {_tier(snap)}",
            "retired": f"retired {_work(snap)} from {owner}'s AOR",
            "done": f"marked {_work(snap)} done",
        }.get(verb, f"{verb} {_work(snap)}") + "."

    return sentence


def _manager(e: EventRow, names: Names) -> str:
    manager = (e.after or {}).get("manager")
    if not manager:
        return "removed the manager of record."
    return f"named {name_of(manager, names)} manager of record."


SENTENCES: dict[str, Callable[[EventRow, Names], str]] = {
    **{f"assignment.{v}": _assignment(v) for v in ("created", "joined", "one_off", "declined")},
    "assignment.withdrawn": _assignment("withdrawn"),
    **{f"item.{v}": _item(v) for v in ("added", "edited", "retired", "done")},
    "member.manager_set": _manager,
}


def event_sentence(e: EventRow, names: Names) -> str:
    """ "2026-11-30 14:05 UTC: Maria joined “Landing page” (3h weekly) to Rob's AOR at second
    priority." An action without its own sentence is still said in words."""
    when = e.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    actor = name_of(e.actor_id, names)
    render = SENTENCES.get(e.action)
    if render is not None:
        return f"{when}: {actor} {render(e, names)}"
    what = e.action.replace(".", " ").replace("_", " ")
    return f"{when}: {actor}: {what} ({e.subject_type} {e.subject_id})."
