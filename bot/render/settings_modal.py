"""The `/aor settings` modal (pure builder) and the typed reading of its submission."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from bot.core.clock import is_valid_tz
from bot.core.errors import InvalidInput
from bot.core.ids import Block, Callback
from bot.render.forms import FieldErrors, submitted, submitted_many
from bot.render.modals import ModalMeta, input_block, modal_view, text_element
from bot.rules.holidays import CALENDAR_CHARS, calendar_name, parse_calendar
from storage.models import Member

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_CAPACITY_HOURS = 100
MAX_TZ_CHARS = 64


@dataclass(frozen=True)
class PlanSettings:
    plan_time: time
    workdays: frozenset[int]
    capacity_minutes: int
    tz_override: str | None
    holiday_calendar: str | None = None  # None: the workspace's


def settings_of(member: Member) -> PlanSettings:
    return PlanSettings(
        plan_time=member.plan_time,
        workdays=member.workday_set,
        capacity_minutes=member.capacity_minutes,
        tz_override=member.tz_override,
        holiday_calendar=member.holiday_calendar,
    )


def _day_option(day: int) -> dict[str, Any]:
    return {"text": {"type": "plain_text", "text": WEEKDAYS[day]}, "value": str(day)}


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g}"


def build_settings_modal(
    current: PlanSettings, *, slack_tz: str, meta: ModalMeta, workspace_calendar: str | None = None
) -> dict[str, Any]:
    workdays: dict[str, Any] = {
        "type": "checkboxes",
        "options": [_day_option(d) for d in range(7)],
    }
    if current.workdays:
        workdays["initial_options"] = [_day_option(d) for d in sorted(current.workdays)]
    blocks = [
        input_block(
            Block.plan_time,
            "Morning plan at",
            {"type": "timepicker", "initial_time": current.plan_time.strftime("%H:%M")},
            hint="Your local time, on each workday.",
        ),
        input_block(Block.workdays, "Workdays", workdays),
        input_block(
            Block.capacity,
            "Weekly capacity (hours)",
            {
                "type": "number_input",
                "is_decimal_allowed": True,
                "min_value": "1",
                "max_value": str(MAX_CAPACITY_HOURS),
                "initial_value": _hours(current.capacity_minutes),
            },
            hint="Hours a week for AOR work; each workday's plan gets an equal share.",
        ),
        input_block(
            Block.tz,
            "Time zone override",
            text_element(current.tz_override, max_length=MAX_TZ_CHARS),
            optional=True,
            hint=f"Leave empty to follow Slack ({slack_tz}). A name like Europe/Berlin.",
        ),
        input_block(
            Block.holidays,
            "Public holiday calendar",
            text_element(current.holiday_calendar, max_length=CALENDAR_CHARS),
            optional=True,
            hint=(
                "No plans and less capacity on its holidays. Leave empty to follow the "
                f"workspace ({calendar_name(workspace_calendar)}); e.g. GB-ENG, US or none."
            ),
        ),
    ]
    return modal_view(Callback.settings, "Plan settings", "Save", blocks, meta)


def read_settings_form(values: Mapping[str, Any]) -> PlanSettings:
    errors: dict[str, str] = {}
    plan_time = _time(submitted(values, Block.plan_time))
    if plan_time is None:
        errors[Block.plan_time] = "Pick a time, e.g. 08:30."
    days = {str(d): d for d in range(len(WEEKDAYS))}
    workdays = frozenset(days[v] for v in submitted_many(values, Block.workdays) if v in days)
    if not workdays:
        errors[Block.workdays] = "Pick at least one workday."
    capacity = _capacity(submitted(values, Block.capacity))
    if capacity is None:
        errors[Block.capacity] = f"Give your weekly hours, between 1 and {MAX_CAPACITY_HOURS}."
    tz = submitted(values, Block.tz) or None
    if tz is not None and (len(tz) > MAX_TZ_CHARS or not is_valid_tz(tz)):
        errors[Block.tz] = (
            f"Unknown time zone '{tz[:MAX_TZ_CHARS]}': use a name like America/New_York."
        )
    calendar = None
    try:
        calendar = parse_calendar(submitted(values, Block.holidays) or "")
    except InvalidInput as exc:
        errors[Block.holidays] = exc.message
    if errors:
        raise FieldErrors(errors)
    assert plan_time is not None and capacity is not None
    return PlanSettings(
        plan_time=plan_time,
        workdays=workdays,
        capacity_minutes=capacity,
        tz_override=tz,
        holiday_calendar=calendar,
    )


def _time(raw: str | None) -> time | None:
    try:
        return time.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _capacity(raw: str | None) -> int | None:
    try:
        hours = float(raw or "")
    except ValueError:
        return None
    return round(hours * 60) if 1 <= hours <= MAX_CAPACITY_HOURS else None
