"""Domain enumerations shared by the tables and the rules that use them."""

from enum import StrEnum


class Role(StrEnum):
    rep = "rep"
    manager = "manager"
    admin = "admin"


class Tier(StrEnum):
    first = "first"
    second = "second"
    outside = "outside"


class Cadence(StrEnum):
    daily = "daily"
    weekly = "weekly"
    once = "once"


class ItemStatus(StrEnum):
    active = "active"
    done = "done"
    retired = "retired"


class Origin(StrEnum):
    role = "role"
    assignment = "assignment"


class AssignmentStatus(StrEnum):
    pending = "pending"
    joined = "joined"
    one_off = "one_off"
    declined = "declined"
    withdrawn = "withdrawn"


class Decision(StrEnum):
    """What the approver chose on the approval message."""

    join_first = "join_first"
    join_second = "join_second"
    one_off = "one_off"
    decline = "decline"


class OutboxStatus(StrEnum):
    pending = "pending"
    sent = "sent"
    superseded = "superseded"  # a newer entry for the same message carries the latest content
    dead = "dead"  # Slack said the recipient cannot be reached; retrying would not help


class OutboxKind(StrEnum):
    message = "message"  # a DM, posted once and then updated in place under its key
    home = "home"  # "refresh the App Home of user_id": rendered at send time, newest wins


class DeliveryState(StrEnum):
    """Where a message (all entries under one key) stands, as the person who acted hears it."""

    landed = "landed"  # Slack has it
    dead = "dead"  # Slack refused it for good
    queued = "queued"  # not yet: the scheduler tick retries


class PlanStatus(StrEnum):
    claimed = "claimed"
    sent = "sent"
    failed = "failed"
    skipped = "skipped"
