"""Reading Block Kit as a user's client does: the element a click lands on, an option by its
value, and the `view.state.values` Slack reports when a modal is submitted."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

Json = dict[str, Any]

# Element type -> (state key, value when the user left it empty). Slack reports every input,
# answered or not, under view.state.values.
_STATE_KEYS: dict[str, tuple[str, Any]] = {
    "plain_text_input": ("value", None),
    "email_text_input": ("value", None),
    "number_input": ("value", None),
    "url_text_input": ("value", None),
    "users_select": ("selected_user", None),
    "multi_users_select": ("selected_users", []),
    "conversations_select": ("selected_conversation", None),
    "channels_select": ("selected_channel", None),
    "static_select": ("selected_option", None),
    "external_select": ("selected_option", None),
    "radio_buttons": ("selected_option", None),
    "multi_static_select": ("selected_options", []),
    "checkboxes": ("selected_options", []),
    "datepicker": ("selected_date", None),
    "timepicker": ("selected_time", None),
    "datetimepicker": ("selected_date_time", None),
}


def view_state_values(view: Mapping[str, Any], answers: Mapping[str, Any]) -> Json:
    """`view.state.values` for a submission: `answers` maps action_id to what the user entered.

    Raw answers: a string for text inputs, dates, times and users; an option `value` for
    selects and radio buttons; a list of option values for checkboxes and multi-selects.
    """
    unknown = set(answers) - {element["action_id"] for _, element in _input_elements(view)}
    if unknown:
        raise AssertionError(f"view has no input elements with action_id {sorted(unknown)}")
    values: Json = {}
    for block_id, element in _input_elements(view):
        kind = element["type"]
        key, empty = _STATE_KEYS.get(kind, ("value", None))
        answer = answers.get(element["action_id"], empty)
        if key == "selected_option" and answer is not None:
            answer = option_for(element, answer)
        elif key == "selected_options":
            answer = [option_for(element, value) for value in answer]
        values.setdefault(block_id, {})[element["action_id"]] = {"type": kind, key: answer}
    return values


def option_for(element: Mapping[str, Any], value: str) -> Json:
    """The option object of a select/checkboxes/radio element with this value."""
    options = list(element.get("options", []))
    for group in element.get("option_groups", []):
        options.extend(group.get("options", []))
    for option in options:
        if option.get("value") == value:
            return dict(option)
    available = [o.get("value") for o in options]
    raise AssertionError(f"{element.get('action_id')!r} has no option {value!r}: {available}")


def _input_elements(view: Mapping[str, Any]) -> Iterator[tuple[str, Json]]:
    for block in view.get("blocks", []):
        element = block.get("element")
        if block.get("type") == "input" and isinstance(element, dict):
            yield block["block_id"], element


def find_element(
    message: Mapping[str, Any], *, action_id: str, value: str | None = None
) -> tuple[str, Json]:
    """(block_id, element) of the interactive element with this action_id (and button value)."""
    seen: list[str] = []
    for block in message.get("blocks", []):
        candidates = [*block.get("elements", []), block.get("accessory"), block.get("element")]
        for element in candidates:
            if not isinstance(element, dict) or "action_id" not in element:
                continue
            seen.append(f"{element['action_id']}={element.get('value')!r}")
            if element["action_id"] == action_id and (
                value is None or element.get("value") == value
            ):
                return block["block_id"], element
    wanted = action_id if value is None else f"{action_id}={value!r}"
    raise AssertionError(f"no element {wanted} in message; it has: {seen}")
