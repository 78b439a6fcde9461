"""The /aor subcommands as people read them: usage text and the closest-match hint."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from bot.core.text import escape


@dataclass(frozen=True)
class Subcommand:
    name: str
    args: str
    who: str
    what: str


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand("help", "", "anyone", "this list"),
    Subcommand(
        "add-task",
        "@rep TITLE [DURATION] [daily|weekly|once] [due:YYYY-MM-DD]",
        "anyone",
        "ask a rep to take on work; their manager of record (else an admin) decides",
    ),
    Subcommand(
        "add",
        "TITLE DURATION [first|second] [daily|weekly]",
        "a rep",
        "add an item of your own role to your AOR (no tier typed: I suggest one, you choose)",
    ),
    Subcommand("doc", "[@rep]", "a rep (own), their manager, an admin", "the AOR document"),
    Subcommand("plan", "", "a rep", "today's checklist now, as a DM"),
    Subcommand(
        "set-manager", "@rep @manager", "the rep themself, or an admin", "the manager of record"
    ),
    Subcommand(
        "settings",
        "",
        "anyone",
        "plan time, workdays, weekly capacity, time zone override, holiday calendar",
    ),
    Subcommand(
        "settings",
        "holidays CODE|reminders DAYS",
        "an admin, a manager of record",
        "the workspace's holiday calendar (e.g. GB-ENG) and reminder interval",
    ),
    Subcommand(
        "ooo",
        "YYYY-MM-DD|today|tomorrow|off",
        "anyone",
        "no plans until your first day back (today or tomorrow: out that day); your manager "
        "of record decides your requests meanwhile",
    ),
    Subcommand("pending", "", "anyone", "decisions waiting on you, and requests you asked for"),
    Subcommand(
        "report",
        "[@rep] [this-week|last-week] | team",
        "a rep (own), their manager, an admin; team: a manager",
        "activity breakdown with its chart; `team`: each rep's selling share this week",
    ),
    Subcommand(
        "export", "[@rep]", "as report", "the AOR document and decision log, Markdown and CSV"
    ),
    Subcommand(
        "position",
        "[TITLE] | edit [TITLE] | new TITLE | assign @rep TITLE",
        "anyone reads; an admin or a manager of record changes",
        "key accountabilities, KPIs and the expectations document",
    ),
    Subcommand(
        "kpi",
        "[@rep] [key=value ... [week:last]]",
        "a rep (own), their manager, an admin",
        "log this week's KPI figures (alone: a form)",
    ),
    Subcommand(
        "coaching",
        "[@rep] [WEEKDAY HH:MM [every 1|2|4 weeks]]",
        "the rep or their manager",
        "the 1:1 schedule; the coaching pack comes an hour before",
    ),
)
NAMES = tuple(s.name for s in SUBCOMMANDS)
DURATION_HELP = "DURATION: 90m, 3h, 1h30m or 1.5h (at most 40h)."


def usage_text() -> str:
    lines = ["*AOR bot*: protects selling time. Usage: `/aor <subcommand>`"]
    for sub in SUBCOMMANDS:
        args = f" {sub.args}" if sub.args else ""
        lines.append(f"• `/aor {sub.name}{escape(args)}`: {sub.what} _({sub.who})_")
    lines.append(DURATION_HELP)
    return "\n".join(lines)


def build_usage(prefix: str | None = None) -> dict[str, Any]:
    """An ephemeral response body for help, optionally after a one-line message."""
    text = usage_text() if prefix is None else f"{prefix}\n\n{usage_text()}"
    return {
        "response_type": "ephemeral",
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }


def closest(name: str) -> str | None:
    matches = difflib.get_close_matches(name.lower(), NAMES, n=1, cutoff=0.5)
    return matches[0] if matches else None


def unknown_subcommand_text(name: str) -> str:
    guess = closest(name)
    hint = f" Did you mean `/aor {guess}`?" if guess else ""
    return f"I don't know `/aor {escape(name)}`.{hint} `/aor help` lists everything."
