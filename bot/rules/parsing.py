"""Pure parsers for `/aor` command text and modal inputs; never does I/O.

The slash command arrives with `should_escape: true`: people arrive as `<@U123|name>` or
`<@U123>`, and `&`, `<`, `>` typed by the person arrive as `&amp;`, `&lt;`, `&gt;`. Titles
are stored unescaped and re-escaped on output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from bot.core.errors import InvalidInput
from bot.core.ids import Block
from bot.core.text import escape
from bot.rules.tiers import OWN_WORK_TIERS
from storage.enums import Cadence, Tier

MAX_MINUTES = 40 * 60
MAX_TITLE_CHARS = 200

_DURATION_HINT = "use 90m, 3h, 1h30m or 1.5h"
_NUMBER = r"(?:\d+(?:\.\d+)?|\.\d+)"
_HOURS = r"(?:h|hr|hrs|hour|hours)"
_MINS = r"(?:m|min|mins|minute|minutes)"
# ASCII so that look-alike letters (e.g. the long s) and non-ASCII digits never count.
_DURATION_RE = re.compile(
    rf"(?P<h>{_NUMBER}){_HOURS}"
    rf"|(?P<hh>\d+){_HOURS}(?P<hm>\d+){_MINS}"
    rf"|(?P<m>{_NUMBER}){_MINS}",
    re.ASCII | re.IGNORECASE,
)
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_MENTION_RE = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>", re.ASCII)
_UNESCAPES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
# One pass, so `&amp;lt;` decodes to the literal text `&lt;`, not to `<`.
_UNESCAPE_RE = re.compile("&amp;|&lt;|&gt;")
_DUE_PREFIX = "due:"
# What a person typed in the rep slot when Slack did not turn it into a user mention.
_NOT_A_PERSON_PREFIXES = ("@", "<!", "<#")

_TASK_CADENCES = {c.value: c for c in Cadence}
_ITEM_CADENCES = {Cadence.daily.value: Cadence.daily, Cadence.weekly.value: Cadence.weekly}
_ITEM_TIERS = {tier.value: tier for tier in OWN_WORK_TIERS}


def unescape_slack(text: str) -> str:
    """Decode `&amp;`, `&lt;`, `&gt;` back to the characters the person typed."""
    return _UNESCAPE_RE.sub(lambda m: _UNESCAPES[m.group()], text)


def parse_duration(text: str) -> int:
    """Minutes in `text` (`90m`, `45min`, `3h`, `2hrs`, `1h30m`, `1.5h`; spaces ignored)."""
    shown = text.strip()
    if not shown:
        raise InvalidInput(f"Duration is required: {_DURATION_HINT}", field=Block.duration)
    match = _DURATION_RE.fullmatch("".join(shown.split()))
    if match is None:
        raise InvalidInput(
            f"Couldn't read '{shown}' as a duration: {_DURATION_HINT}", field=Block.duration
        )
    if match["h"] is not None:
        total = Decimal(match["h"]) * 60
    elif match["hh"] is not None:
        total = Decimal(match["hh"]) * 60 + Decimal(match["hm"])
    else:
        total = Decimal(match["m"])
    # Checked before rounding: huge inputs would not fit the Decimal context when quantized.
    if total > MAX_MINUTES:
        raise InvalidInput(
            f"Duration must be at most {format_minutes(MAX_MINUTES)} (got {shown})",
            field=Block.duration,
        )
    minutes = int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if minutes < 1:
        raise InvalidInput(f"Duration must be at least 1m (got {shown})", field=Block.duration)
    return minutes


@lru_cache(maxsize=4096)  # a morning's checklists format the same few durations 190,000 times
def format_minutes(minutes: int) -> str:
    """`90 -> "1h30m"`, `180 -> "3h"`, `45 -> "45m"`, `0 -> "0m"`; readable by parse_duration."""
    if minutes < 0:
        raise ValueError(f"minutes must not be negative (got {minutes})")
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest}m"
    if hours:
        return f"{hours}h"
    return f"{rest}m"


def parse_due(text: str, *, today: date) -> date:
    """A `YYYY-MM-DD` due date that is today or later."""
    shown = text.strip()
    try:
        # The pattern first: fromisoformat alone also takes forms like 20261201 or 2026-W49.
        due = date.fromisoformat(shown) if _DATE_RE.fullmatch(shown) else None
    except ValueError:
        due = None
    if due is None:
        raise InvalidInput(
            f"Couldn't read '{shown}' as a due date: use YYYY-MM-DD, e.g. {today.isoformat()}",
            field=Block.due,
        )
    if due < today:
        raise InvalidInput(f"Due date {due.isoformat()} is in the past", field=Block.due)
    return due


def parse_mention(token: str) -> str | None:
    """The user id in `<@U123|name>` or `<@U123>`, else None."""
    match = _MENTION_RE.fullmatch(token.strip())
    return match[1] if match else None


@dataclass(frozen=True)
class TaskDraft:
    """What `/aor add-task` said so far; missing parts are None (the modal asks for them).

    `parse_add_task` fills a missing cadence with `once`; None only comes from other sources.
    """

    rep_id: str | None
    title: str | None
    minutes: int | None
    cadence: Cadence | None
    due: date | None

    @property
    def complete(self) -> bool:
        # Cadence falls back to once and due is optional, so neither blocks creating the task.
        return self.rep_id is not None and self.title is not None and self.minutes is not None


@dataclass(frozen=True)
class TaskParse:
    draft: TaskDraft
    errors: dict[str, str]  # input block (rep, title, duration, cadence, due) -> message


def parse_add_task(text: str, *, today: date) -> TaskParse:
    """Parse `@rep TITLE [DURATION] [daily|weekly|once] [due:YYYY-MM-DD]`; never raises.

    The rep is the first mention anywhere. Duration, cadence and due are read from the end,
    in any order, each at most once; the scan stops at the first other word (or a second word
    of a kind already read), so earlier words such as "weekly" or "3" stay in the title.
    """
    errors: dict[str, str] = {}
    mention = _MENTION_RE.search(text)
    if mention is not None:
        rep_id: str | None = mention[1]
        tokens = (text[: mention.start()] + " " + text[mention.end() :]).split()
    else:
        rep_id = None
        tokens = text.split()
        if tokens and tokens[0].startswith(_NOT_A_PERSON_PREFIXES):
            errors[Block.rep] = (
                f"Couldn't find a person in '{escape(unescape_slack(tokens[0]))}': "
                "pick one person from the @ autocomplete"
            )
            tokens = tokens[1:]

    minutes: int | None = None
    cadence: Cadence | None = None
    due: date | None = None
    seen: set[Block] = set()
    while tokens:
        token = tokens[-1]
        if _DURATION_RE.fullmatch(token):
            kind = Block.duration
        elif token.isascii() and token.lower() in _TASK_CADENCES:
            kind = Block.cadence
        elif token[: len(_DUE_PREFIX)].lower() == _DUE_PREFIX:
            kind = Block.due
        else:
            break
        if kind in seen:
            break
        seen.add(kind)
        tokens.pop()
        try:
            if kind == Block.duration:
                minutes = parse_duration(token)
            elif kind == Block.cadence:
                cadence = _TASK_CADENCES[token.lower()]
            else:
                due = parse_due(token[len(_DUE_PREFIX) :], today=today)
        except InvalidInput as exc:
            errors[kind] = exc.message

    title = unescape_slack(" ".join(tokens)) or None
    if title is not None and len(title) > MAX_TITLE_CHARS:
        errors[Block.title_text] = (
            f"Title must be at most {MAX_TITLE_CHARS} characters (got {len(title)})"
        )
        # Kept (cut) so the modal can show it for editing; Slack rejects longer initial values.
        title = title[:MAX_TITLE_CHARS].rstrip()

    draft = TaskDraft(
        rep_id=rep_id,
        title=title,
        minutes=minutes,
        cadence=cadence or Cadence.once,
        due=due,
    )
    return TaskParse(draft=draft, errors=errors)


def format_add_task(draft: TaskDraft) -> str:
    """Command text for `draft`; `parse_add_task` reads back any draft it produced itself.

    Trailing parts are always written in the same order; since the parser stops at a word of
    a kind it has already read, a title word that merely looks like one stays in the title.
    """
    parts: list[str] = []
    if draft.rep_id is not None:
        parts.append(f"<@{draft.rep_id}>")
    if draft.title is not None:
        parts.append(escape(draft.title))
    if draft.minutes is not None:
        parts.append(format_minutes(draft.minutes))
    if draft.cadence is not None:
        parts.append(draft.cadence.value)
    if draft.due is not None:
        parts.append(f"{_DUE_PREFIX}{draft.due.isoformat()}")
    return " ".join(parts)


@dataclass(frozen=True)
class ItemDraft:
    """An AOR item from `/aor add`."""

    title: str
    minutes: int
    tier: Tier | None = None  # not typed: the person chooses, with a suggestion
    cadence: Cadence = Cadence.weekly


def parse_add_item(text: str) -> ItemDraft:
    """Parse `TITLE DURATION [first|second] [daily|weekly]`; raises InvalidInput naming the field.

    Like add-task, the optional parts are read from the end in any order.
    """
    tokens = text.split()
    minutes: int | None = None
    tier: Tier | None = None
    cadence: Cadence | None = None
    while tokens:
        token = tokens[-1]
        word = token.lower() if token.isascii() else ""
        if minutes is None and _DURATION_RE.fullmatch(token):
            minutes = parse_duration(token)
        elif tier is None and word in _ITEM_TIERS:
            tier = _ITEM_TIERS[word]
        elif cadence is None and word in _ITEM_CADENCES:
            cadence = _ITEM_CADENCES[word]
        elif cadence is None and word == Cadence.once.value:
            # Read rather than left in the title: "once" at the end is a likely slip.
            raise InvalidInput(
                "AOR items repeat daily or weekly; use `/aor add-task` for one-off work",
                field=Block.cadence,
            )
        else:
            break
        tokens.pop()

    title = unescape_slack(" ".join(tokens))
    if not title:
        raise InvalidInput(
            "Add a title, e.g. `/aor add Pipeline review 1h weekly`", field=Block.title_text
        )
    if len(title) > MAX_TITLE_CHARS:
        raise InvalidInput(
            f"Title must be at most {MAX_TITLE_CHARS} characters (got {len(title)})",
            field=Block.title_text,
        )
    if minutes is None:
        raise InvalidInput(
            f"Add how long it takes at the end: {_DURATION_HINT}, "
            f"e.g. `/aor add {escape(title)} 1h`",
            field=Block.duration,
        )
    return ItemDraft(
        title=title,
        minutes=minutes,
        tier=tier,
        cadence=cadence or Cadence.weekly,
    )
