"""The requester's and the rep's views of a request stay within Block Kit's limits (pure)."""

from __future__ import annotations

import pytest

from bot.core.ids import Action, Block
from bot.render.assignment import AssignmentView
from bot.render.forms import FieldErrors
from bot.render.pushback import MAX_OPTIONS, build_pushback_modal, read_pushback_form
from bot.render.withdraw import build_pending_and_asked, with_withdraw


def _view(n: int, *, requested_by: str = "UOTHER", approver: str = "UMANAGER") -> AssignmentView:
    return AssignmentView(
        id=n,
        title=f"Request {n}",
        details="",
        minutes=60,
        cadence="once",
        due=None,
        rep_id="UREP",
        requested_by=requested_by,
        approver_id=approver,
        status="pending",
    )


def test_a_long_queue_and_a_long_list_of_asks_fit_one_message() -> None:
    queue = [_view(n, approver="UOTHER", requested_by="UREP2") for n in range(1, 31)]
    asked = [_view(n) for n in range(31, 61)]
    message = build_pending_and_asked(queue, asked)
    assert len(message["blocks"]) <= 50
    assert "You asked for (30)" in str(message["blocks"])
    assert "more." in str(message["blocks"][-1])
    alone = build_pending_and_asked([], asked[:1])
    assert alone["text"] == "You asked for 1 request still waiting"
    withdraw = [b for b in alone["blocks"] if b.get("type") == "actions"]
    assert withdraw[0]["elements"][0]["action_id"] == Action.withdraw


def test_an_admins_queue_stalled_requests_and_asks_fit_one_message_each_block_id_once() -> None:
    queue = [_view(n, approver="UADMIN") for n in range(1, 31)]
    stalled = [_view(n) for n in range(31, 61)]
    asked = [_view(n, requested_by="UADMIN") for n in range(61, 91)]
    for parts in ((queue, asked, stalled), ([], asked, stalled), ([], [], stalled)):
        message = build_pending_and_asked(*parts)
        blocks = message["blocks"]
        assert len(blocks) <= 50
        assert "Stalled (30)" in str(blocks)
        ids = [b["block_id"] for b in blocks if "block_id" in b]
        assert len(ids) == len(set(ids))
    assert message["text"] == "30 requests stalled in the workspace"
    assert "You asked for (30)" in str(build_pending_and_asked([], asked, stalled)["blocks"])
    assert build_pending_and_asked(queue, [], []) == build_pending_and_asked(queue, [])


def test_no_withdraw_button_when_the_requester_decides_it_themself() -> None:
    assert len(with_withdraw("Saved.", _view(1))["blocks"]) == 2
    assert len(with_withdraw("Saved.", _view(1, requested_by="UMANAGER"))["blocks"]) == 1


def test_the_push_back_form_offers_at_most_a_selects_worth_of_items() -> None:
    items = [(n, f"Item {n}") for n in range(1, 151)]
    modal = build_pushback_modal(_view(1), items, None, current_item_id=None)
    [drop] = [b for b in modal["blocks"] if b.get("block_id") == Block.pushback_drop]
    assert len(drop["element"]["options"]) == MAX_OPTIONS
    assert len(modal["title"]["text"]) <= 24


def test_the_push_back_form_names_what_is_missing_or_unreadable() -> None:
    state = {
        Block.pushback_why: {Block.pushback_why: {"type": "plain_text_input", "value": "  "}},
        Block.pushback_estimate: {
            Block.pushback_estimate: {"type": "plain_text_input", "value": "soon"}
        },
    }
    with pytest.raises(FieldErrors) as caught:
        read_pushback_form(state)
    assert set(caught.value.errors) == {Block.pushback_why, Block.pushback_estimate}
    assert "Couldn't read 'soon' as a duration" in caught.value.errors[Block.pushback_estimate]
