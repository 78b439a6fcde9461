"""Every builder stays inside Slack's limits with the worst text people can type: 200-character
titles and 3000-character details made of characters that escaping lengthens."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.core.text import clip
from bot.render.assignment import AssignmentView, build_approval_message, build_rep_message
from bot.render.doc import AorDoc, ItemRow, PendingRow, doc_blocks
from bot.render.home import HomeData, TeamRow, build_home
from bot.render.pending import build_pending
from bot.rules.capacity import Load, impact
from sandbox import block_kit_violations

WORST_TITLE = "<&>" * 66 + "xy"  # 200 characters, 866 once escaped
WORST_DETAILS = "<b>&" * 750  # 3000 characters
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _assignment(n: int, status: str = "pending") -> AssignmentView:
    return AssignmentView(
        id=n,
        title=WORST_TITLE,
        details=WORST_DETAILS,
        minutes=2400,
        cadence="daily",
        due="2026-12-01",
        rep_id="UREP",
        requested_by="UMANAGER",
        approver_id="UMANAGER",
        status=status,
        decided_by="UMANAGER" if status != "pending" else None,
        decided_at=NOW if status != "pending" else None,
        tier="second" if status == "joined" else None,
        note="<!channel> & " * 38 if status != "pending" else None,
    )


def _doc(items: int, pending: int) -> AorDoc:
    load = Load(first=6000, second=3000, outside=900, capacity=2400)
    return AorDoc(
        rep_id="UREP",
        rep_name="<Rob> & co " * 10,
        load=load,
        items=tuple(
            ItemRow(
                id=n,
                title=WORST_TITLE,
                tier=("first", "second", "outside")[n % 3],
                minutes=90,
                cadence="daily",
                due=date(2026, 12, 1),
                origin="assignment",
                requested_by="UMANAGER",
                since=NOW,
                since_day=NOW.date(),
                weekly=450,
            )
            for n in range(items)
        ),
        pending=tuple(
            PendingRow(
                id=n,
                title=WORST_TITLE,
                minutes=60,
                cadence="weekly",
                approver_id="UMANAGER",
                requested_by="UOTHER",
            )
            for n in range(pending)
        ),
    )


def _no_violations(method: str, **args: object) -> None:
    assert block_kit_violations(method, args) == []


def test_clip_escapes_first_and_never_splits_an_entity() -> None:
    assert clip("a<b", 10) == "a&lt;b"
    clipped = clip("<<<<", 7)
    assert clipped == "&lt;…" and len(clipped) <= 7


@pytest.mark.parametrize("status", ["pending", "joined", "declined", "one_off"])
def test_assignment_messages_fit(status: str) -> None:
    a = _assignment(1, status)
    before = Load(first=6000, capacity=2400)
    after = impact(before, minutes=a.minutes, cadence=a.cadence, workdays=5)
    _no_violations(
        "chat.postMessage", channel="D1", **build_approval_message(a, before=before, after=after)
    )
    _no_violations("chat.postMessage", channel="D1", **build_rep_message(a))


@pytest.mark.parametrize(("items", "pending"), [(0, 0), (3, 40), (60, 25), (300, 300)])
def test_doc_fits_one_message(items: int, pending: int) -> None:
    _no_violations(
        "chat.postEphemeral",
        channel="C1",
        user="U1",
        text="doc",
        blocks=doc_blocks(_doc(items, pending)),
    )


@pytest.mark.parametrize(
    ("items", "pending", "approvals", "team"), [(60, 25, 30, 40), (0, 0, 0, 0), (5, 0, 12, 0)]
)
def test_home_fits_one_view(items: int, pending: int, approvals: int, team: int) -> None:
    data = HomeData(
        user_id="UREP",
        name="<Rob> & co",
        tz="America/Los_Angeles",
        manager_id="UMANAGER",
        is_admin=False,
        doc=_doc(items, pending),
        approvals=tuple(_assignment(n) for n in range(approvals)),
        team=tuple(
            TeamRow(
                user_id=f"U{n:08d}",
                load=Load(capacity=2400),
                done_first=60,
                done_total=120,
                outside_month=30,
            )
            for n in range(team)
        ),
    )
    _no_violations("views.publish", user_id="UREP", view=build_home(data))


def test_pending_queue_fits() -> None:
    _no_violations(
        "chat.postEphemeral",
        channel="C1",
        user="U1",
        **build_pending([_assignment(n) for n in range(40)]),
    )
