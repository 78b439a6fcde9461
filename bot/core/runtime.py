"""What every listener and job needs, built once by the composition root.

The runtime is also where a committed outbox entry meets delivery: the database tells it which
entries each transaction wrote, and it hands them on at once (the scheduler tick retries what
fails). Inside a listener that has not acknowledged Slack yet they wait for the ack, because a
modal must be answered within 3 s and before any slow Slack call."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from slack_sdk import WebClient

from bot.core.config import Settings
from bot.core.errors import DatabaseUnavailable
from bot.core.installs import Installs
from bot.core.logs import log_event
from storage.db import Database, DatabaseFault, SaveUnknown, unit_name
from storage.enums import DeliveryState

if TYPE_CHECKING:
    from sqlmodel import Session

    from storage.models import Member

logger = logging.getLogger(__name__)

# Hands on what a committed unit of work wrote to the outbox (what `Database.prepare` made
# of it); and, for entries that must be claimed first, their ids.
# How many listeners of a process work after their ack at once. Work is mostly Python (the
# ORM, rendering): dozens of threads at it share the interpreter lock in 5 ms turns, and the
# next request's ack, which needs it only for a moment, waits behind all of them. A few work
# at a time; the others wait for a slot without holding the lock, their acks already sent.
# 2 did better than 4 (and 32, no limit) in bench/ack_latency.py on two cores.
WORK_SLOTS = 2

Deliver = Callable[[Any], object]
DeliverClaimed = Callable[[Sequence[int]], object]
T = TypeVar("T")


@dataclass(frozen=True)
class Landing:
    """Where a message stood once this thread's delivery tried it: its first post, and its
    newest content."""

    first: DeliveryState
    newest: DeliveryState


def instance_name() -> str:
    """Names this process in claims, so a log or a row says who took the work."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class Runtime:
    settings: Settings
    db: Database
    client: WebClient
    # For the few Slack calls made before acknowledging a modal (3 s): no retries, short wait.
    quick_client: WebClient
    instance: str = field(default_factory=instance_name)
    # Set by the composition root: bot.delivery's batch sender and claiming path.
    deliver: Deliver | None = None
    deliver_claimed: DeliverClaimed | None = None
    pacer: Any = None  # bot.delivery.pacing.Pacer: this process's send clock per workspace
    work_slots: threading.Semaphore = field(
        default_factory=lambda: threading.Semaphore(WORK_SLOTS), repr=False
    )
    installs: Installs | None = None  # OAuth mode: each workspace's token from its installation
    _held: threading.local = field(default_factory=threading.local, repr=False)

    def __post_init__(self) -> None:
        self.db.on_commit = self.committed

    def client_for(self, team_id: str, *, quick: bool = False) -> WebClient:
        """The Web API client that speaks for the bot in `team_id`: in token mode the one
        token's; in OAuth mode that workspace's own (NotInstalled when it has none)."""
        if self.installs is None:
            return self.quick_client if quick else self.client
        return self.installs.client(team_id, quick=quick)

    def is_admin(self, member: Member) -> bool:
        """A Slack admin or owner, or someone the operator named in AOR_ADMINS."""
        return member.is_slack_admin or member.user_id in self.settings.admins

    def transact(self, work: Callable[[Session], T]) -> T:
        """`work(session)` as one unit of work: committed, or run once more if the database
        failed it before the commit (`Database.run`). A database still failing becomes
        DatabaseUnavailable, which tells the person what was saved; it is logged here, once,
        with the driver's reason."""
        try:
            return self.db.run(work)
        except DatabaseFault as error:
            unknown = isinstance(error, SaveUnknown)
            saved = "unknown" if unknown else "no"
            log_event(
                logger,
                "db.unavailable",
                logging.WARNING,
                reason=error.reason,
                saved=saved,
                unit=unit_name(work),
            )
            raise DatabaseUnavailable(maybe_saved=unknown) from error

    def committed(self, batch: Any) -> None:
        """Outbox entries a transaction just committed: deliver them now, or after the ack."""
        held: list[Any] | None = getattr(self._held, "batches", None)
        if held is not None:
            held.append(batch)
            return
        self._deliver([batch])

    def note_landings(self, landings: dict[tuple[str, str], Landing]) -> None:
        """Where this thread's delivery left each message (team, key), so the reply to the
        person who caused it need not ask the database (`landing`)."""
        known: dict[tuple[str, str], Landing] | None = getattr(self._held, "landings", None)
        if known is not None:
            known.update(landings)

    def landing(self, team_id: str, message_key: str) -> Landing | None:
        known: dict[tuple[str, str], Landing] | None = getattr(self._held, "landings", None)
        return None if known is None else known.get((team_id, message_key))

    @contextmanager
    def deliveries_after_ack(self) -> Iterator[Callable[[Any], Any]]:
        """Hold what this thread commits until Slack is acknowledged. Yields a wrapper for
        `ack`: acknowledging takes a work slot (`WORK_SLOTS`), then releases the held
        entries; so does leaving the block, which gives the slot back."""
        self._held.batches = []
        self._held.landings = {}
        slot = threading.Event()  # set once this listener holds a work slot

        def acked(ack: Any) -> Any:
            def wrapped(*args: Any, **kwargs: Any) -> Any:
                try:
                    return ack(*args, **kwargs)
                finally:
                    if not slot.is_set():
                        self.work_slots.acquire()
                        slot.set()
                    self._release()

            return wrapped

        try:
            yield acked
        finally:
            try:
                self._release()
            finally:
                self._held.landings = None
                if slot.is_set():
                    self.work_slots.release()

    def _release(self) -> None:
        held: list[Any] | None = getattr(self._held, "batches", None)
        self._held.batches = None
        if held:
            self._deliver(held)

    def _deliver(self, batches: Sequence[Any]) -> None:
        if self.deliver is None:
            return
        for batch in batches:
            try:
                self.deliver(batch)
            except Exception:
                # The change is committed and its messages are queued: the scheduler tick
                # sends them once their lease runs out. The person is told what was saved,
                # not that it failed.
                logger.exception("delivery.after_commit_failed")
