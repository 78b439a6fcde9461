"""Who decides a request, and who may decide it (DESIGN "Roles and authorization")."""

from __future__ import annotations

from datetime import date

import pytest

from bot.rules.access import delegate_of, is_out_of_office, may_decide, pick_approver
from storage.models import Member

TODAY = date(2026, 11, 30)


def _member(user_id: str, manager_id: str | None = None, **more: object) -> Member:
    return Member(team_id="T1", user_id=user_id, manager_id=manager_id, **more)


@pytest.mark.parametrize(
    ("manager", "requester", "requester_is_admin", "admins", "approver"),
    [
        ("UMGR", "UOTHER", False, ["UADMIN"], "UMGR"),  # the manager of record, always
        ("UMGR", "UADMIN", True, [], "UMGR"),  # an admin asking does not step over the manager
        (None, "UOTHER", False, ["UADMIN", "UADMIN2"], "UADMIN"),  # the first admin
        (None, "UADMIN2", True, ["UADMIN"], "UADMIN2"),  # an admin asking decides it
        (None, "UREP", True, ["UREP", "UADMIN"], "UADMIN"),  # never the rep, admin or not
        (None, "UREP", False, ["UREP"], None),  # nobody can decide it
        (None, "UOTHER", False, [], None),  # the requester as such: never
    ],
)
def test_pick_approver(
    manager: str | None,
    requester: str,
    requester_is_admin: bool,
    admins: list[str],
    approver: str | None,
) -> None:
    rep = _member("UREP", manager)
    assert (
        pick_approver(
            rep=rep,
            requester_id=requester,
            requester_is_admin=requester_is_admin,
            admin_ids=admins,
        )
        == approver
    )


def test_out_of_office_until_the_first_day_back() -> None:
    away = _member("UMGR", "UBOSS", ooo_until=date(2026, 12, 2))
    assert is_out_of_office(away, today=TODAY)
    assert is_out_of_office(away, today=date(2026, 12, 1))
    assert not is_out_of_office(away, today=date(2026, 12, 2))
    assert not is_out_of_office(_member("UMGR", "UBOSS"), today=TODAY)


def test_the_delegate_is_the_approvers_own_manager_while_they_are_away() -> None:
    assert delegate_of(_member("UMGR", "UBOSS", ooo_until=date(2026, 12, 2)), today=TODAY) == (
        "UBOSS"
    )
    assert delegate_of(_member("UMGR", "UBOSS"), today=TODAY) is None
    assert delegate_of(_member("UMGR", None, ooo_until=date(2026, 12, 2)), today=TODAY) is None


@pytest.mark.parametrize(
    ("actor", "admin", "allowed"),
    [("UMGR", False, True), ("UBOSS", False, True), ("UADMIN", True, True), ("UREQ", False, False)],
)
def test_may_decide(actor: str, admin: bool, allowed: bool) -> None:
    assert (
        may_decide(actor_id=actor, approver_id="UMGR", delegate_id="UBOSS", actor_is_admin=admin)
        is allowed
    )
    if actor == "UBOSS":  # a delegate only while the approver is away
        assert not may_decide(
            actor_id=actor, approver_id="UMGR", delegate_id=None, actor_is_admin=False
        )
