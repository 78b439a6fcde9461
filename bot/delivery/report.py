"""What a delivery pass did: which entries went out, which wait for a retry, which were given
up."""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.models import Outbox


@dataclass
class DeliveryReport:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    dead: list[Outbox] = field(default_factory=list)
    rate_limited: list[int] = field(default_factory=list)  # also in `retrying`

    @property
    def all_sent(self) -> bool:
        return not self.retrying and not self.dead

    def add(self, other: DeliveryReport) -> None:
        self.sent += other.sent
        self.retrying += other.retrying
        self.dead += other.dead
        self.rate_limited += other.rate_limited
