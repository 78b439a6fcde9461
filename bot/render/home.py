"""App Home: gathering what a person should see and rendering it (rendering is pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.ids import Action
from bot.core.runtime import Runtime
from bot.core.text import escape, mention
from bot.delivery.outbox import KIND_HOME
from bot.jobs.morning import view_of as plan_view
from bot.render.assignment import AssignmentView, decision_buttons, task_line, view_of
from bot.render.checklist import PlanView
from bot.render.doc import (
    TIER_TITLES,
    AorDoc,
    gather_doc,
    item_line,
    item_menu,
    load_line,
    pending_line,
    text_sections,
)
from bot.rules.capacity import Load, load_of
from bot.rules.day_plan import Progress, today_progress, week_start
from bot.rules.parsing import format_minutes
from bot.rules.report import week_totals
from bot.rules.schedule import local_date
from bot.services.members import ensure_member, is_admin
from storage import assignments as assignment_store
from storage import items as item_store
from storage import members as member_store
from storage import outbox
from storage import plans as plan_store
from storage import reports as report_store
from storage.models import Member
from storage.types import utcnow

MAX_BLOCKS = 100
MAX_APPROVALS = 10  # each takes two blocks; the rest are counted and left to /aor pending
MAX_PENDING = 20  # the rep's own requests: a few sections of text at most


@dataclass(frozen=True)
class TeamRow:
    """One rep in a manager's team table."""

    user_id: str
    load: Load
    done_first: int  # minutes ticked this week at first priority
    done_total: int
    outside_month: int  # one-off outside-role minutes accepted this month

    @property
    def selling_share(self) -> float | None:
        return self.done_first / self.done_total if self.done_total else None


@dataclass(frozen=True)
class HomeData:
    user_id: str
    name: str
    tz: str
    manager_id: str | None
    is_admin: bool
    doc: AorDoc
    approvals: tuple[AssignmentView, ...]
    today: Progress | None = None
    team: tuple[TeamRow, ...] = ()


def gather_home(*, session: Session, rt: Runtime, member: Member) -> HomeData:
    approvals = assignment_store.pending_for_approver(
        session=session, team_id=member.team_id, approver_id=member.user_id
    )
    now = utcnow()
    return HomeData(
        user_id=member.user_id,
        name=member.name,
        tz=member.effective_tz,
        manager_id=member.manager_id,
        is_admin=is_admin(rt, member),
        doc=gather_doc(session=session, member=member),
        approvals=tuple(view_of(a) for a in approvals),
        today=today_progress(session, member, local_date(now, member.effective_tz)),
        team=gather_team(session=session, manager=member, now=now),
    )


def gather_team(*, session: Session, manager: Member, now: datetime) -> tuple[TeamRow, ...]:
    """Each rep who has this person as manager of record: load, this week's selling share
    (ticked minutes) and one-off outside work accepted this month."""
    reps = member_store.reports_of(
        session=session, team_id=manager.team_id, manager_id=manager.user_id
    )
    if not reps:
        return ()
    ids = [r.user_id for r in reps]
    items = item_store.active_for_many(session=session, team_id=manager.team_id, owner_ids=ids)
    today = local_date(now, manager.effective_tz)
    monday = week_start(today)
    plans = report_store.plans_between(
        session=session,
        team_id=manager.team_id,
        user_ids=ids,
        since=monday,
        before=monday + timedelta(days=7),
    )
    checks = plan_store.checks_for(session=session, plan_ids=[p.id or 0 for p in plans])
    views: dict[str, list[PlanView]] = {rep: [] for rep in ids}
    for plan in plans:
        views[plan.user_id].append(plan_view(plan, checks[plan.id or 0]))
    # The report's rule: a weekly or one-off item is one piece of work however many days it shows.
    done = {rep: week_totals(monday, views[rep]).done for rep in ids}
    month_start = datetime(
        today.year, today.month, 1, tzinfo=ZoneInfo(manager.effective_tz)
    ).astimezone(UTC)
    outside = report_store.one_off_minutes_since(
        session=session, team_id=manager.team_id, rep_ids=ids, since=month_start
    )
    return tuple(
        TeamRow(
            user_id=rep.user_id,
            load=load_of(
                items[rep.user_id], capacity=rep.capacity_minutes, workdays=len(rep.workday_set)
            ),
            done_first=done[rep.user_id].first,
            done_total=done[rep.user_id].total,
            outside_month=outside.get(rep.user_id, 0),
        )
        for rep in reps
    )


def _section(text: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def _button(text: str, action_id: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
    }
    if style:
        button["style"] = style
    return button


def build_home(data: HomeData) -> dict[str, Any]:
    """Who you are, your AOR by tier (each item editable), requests waiting on a decision,
    and, for anyone who decides, the approval queue. At most 100 blocks: long lists are
    summarised with a pointer to `/aor doc` or `/aor pending`."""
    role = "admin" if data.is_admin else ("manager" if data.approvals or data.team else "member")
    manager = (
        f"Manager of record: {mention(data.manager_id)}"
        if data.manager_id
        else "No manager of record yet: `/aor set-manager @you @manager` sets one."
    )
    head: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your Area of Responsibility"}},
        _section(
            f"{mention(data.user_id)} ({escape(data.name)}, {role}) · time zone "
            f"{escape(data.tz)}\n{manager}\n{load_line(data.doc.load)}"
        ),
        {
            "type": "actions",
            "elements": [
                _button("Add responsibility", Action.open_add_item, "primary"),
                _button("Settings", Action.open_settings),
                _button("Today's plan", Action.send_plan),
            ],
        },
    ]
    if data.today is not None:
        head.append(_section(_today_line(data.today)))
    tail: list[dict[str, Any]] = [
        {"type": "divider"},
        _section("`/aor help` lists every command. `/aor doc` shows this document as a message."),
    ]
    approvals = [*_approval_blocks(data.approvals), *_team_blocks(data.team)]
    pending = _pending_blocks(data.doc)
    budget = MAX_BLOCKS - len(head) - len(tail) - len(approvals) - len(pending)
    return {
        "type": "home",
        "blocks": [*head, *approvals, *_item_blocks(data.doc, budget), *pending, *tail],
    }


def _approval_blocks(approvals: tuple[AssignmentView, ...]) -> list[dict[str, Any]]:
    if not approvals:
        return []
    blocks: list[dict[str, Any]] = [
        {"type": "divider"},
        _section(f"*Waiting on your decision* ({len(approvals)})"),
    ]
    for a in approvals[:MAX_APPROVALS]:
        blocks.append(
            _section(f"{mention(a.requested_by)} asks {mention(a.rep_id)}: {task_line(a)}")
        )
        blocks.append(decision_buttons(a.id, block_id=f"decide-{a.id}"))
    if len(approvals) > MAX_APPROVALS:
        blocks.append(
            _section(f"…and {len(approvals) - MAX_APPROVALS} more: `/aor pending` lists them all.")
        )
    return blocks


def _today_line(today: Progress) -> str:
    by_tier = " · ".join(
        f"{tier} {format_minutes(today.done_minutes.get(tier, 0))}"
        for tier in ("first", "second", "outside")
    )
    return (
        f"*Today*: {today.done}/{today.total} done, {format_minutes(today.done_total_minutes)} of "
        f"{format_minutes(today.planned_minutes)} planned ({by_tier})"
    )


def _team_blocks(team: tuple[TeamRow, ...]) -> list[dict[str, Any]]:
    """The team table as text rows (one section per 20 reps keeps it inside the limits)."""
    if not team:
        return []
    rows = []
    for row in team:
        share = f"{row.selling_share:.0%}" if row.selling_share is not None else "no ticks yet"
        rows.append(
            f"• {mention(row.user_id)}: {format_minutes(row.load.total)} of "
            f"{format_minutes(row.load.capacity)} committed · selling share this week {share} · "
            f"outside-role accepted this month {format_minutes(row.outside_month)}"
        )
    return [{"type": "divider"}, *text_sections([f"*Your team* ({len(team)} reps)", *rows])]


def _pending_blocks(doc: AorDoc) -> list[dict[str, Any]]:
    if not doc.pending:
        return []
    lines = [pending_line(p) for p in doc.pending[:MAX_PENDING]]
    if len(doc.pending) > MAX_PENDING:
        lines.append(f"…and {len(doc.pending) - MAX_PENDING} more: `/aor doc` lists them all.")
    return [{"type": "divider"}, *text_sections(["*Your requests waiting for a decision*", *lines])]


def _item_blocks(doc: AorDoc, budget: int) -> list[dict[str, Any]]:
    """One section per item (with its edit/retire menu) while the budget lasts; then one
    summary line per tier for what did not fit."""
    tiers = [
        (title, [i for i in doc.items if i.tier == tier]) for tier, title in TIER_TITLES.items()
    ]
    fixed = 2 * len(tiers)  # a divider and a heading per tier
    room = max(budget - fixed - len(tiers), 0)  # keep one line per tier for "…and N more"
    blocks: list[dict[str, Any]] = []
    for title, rows in tiers:
        blocks.append({"type": "divider"})
        blocks.append(_section(f"*{title}* ({len(rows)})" if rows else f"*{title}*\n_nothing yet_"))
        shown = rows[:room]
        room -= len(shown)
        blocks.extend(_section(item_line(i), item_menu(i.id)) for i in shown)
        if len(rows) > len(shown):
            blocks.append(
                _section(
                    f"…and {len(rows) - len(shown)} more in this tier: `/aor doc` or `/aor export`."
                )
            )
    return blocks


def publish_home(rt: Runtime, *, team_id: str, user_id: str) -> None:
    member = ensure_member(rt, team_id=team_id, user_id=user_id)
    with rt.db.transaction() as session:
        data = gather_home(session=session, rt=rt, member=member)
    rt.client.views_publish(user_id=user_id, view=build_home(data))


def enqueue_home(*, session: Session, rt: Runtime, team_id: str, user_ids: list[str]) -> list[int]:
    """Queue a fresh App Home for each person whose view a change affects."""
    ids: list[int] = []
    for member in member_store.get_members(
        session=session, team_id=team_id, user_ids=list(dict.fromkeys(user_ids))
    ).values():
        view = build_home(gather_home(session=session, rt=rt, member=member))
        entry = outbox.enqueue(
            session=session,
            team_id=team_id,
            kind=KIND_HOME,
            user_id=member.user_id,
            payload={"view": view},
            message_key=f"home:{member.user_id}",
        )
        ids.append(entry.id or 0)
    return ids
