"""Filling in a modal the app opened, the way a person does: what it showed, with changes."""

from __future__ import annotations

from typing import Any

from sandbox import FakeSlack, SlackResult, SlackSide
from tests.utils.wait import eventually


def form_answers(view: dict[str, Any], **changes: str) -> dict[str, str]:
    """A modal's answers as it was filled in when opened, with `changes` typed over them."""
    answers: dict[str, str] = {}
    for block in view["blocks"]:
        element = block.get("element", {})
        if "initial_value" in element:
            answers[element["action_id"]] = element["initial_value"]
        elif "initial_option" in element:
            answers[element["action_id"]] = element["initial_option"]["value"]
    return {**answers, **changes}


def open_and_submit(
    slack: SlackSide, fake: FakeSlack, command: str, user: str, **changes: str
) -> SlackResult:
    """`/aor COMMAND` opens a modal; `user` submits it with `changes`."""
    opened = len(fake.calls_to("views.open"))
    slack.command(command, user_id=user)
    eventually(lambda: len(fake.calls_to("views.open")) > opened)
    view = fake.last_view()
    return slack.submit_view(user_id=user, answers=form_answers(view, **changes), view=view)
