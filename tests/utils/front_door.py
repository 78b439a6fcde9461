"""Hostile HTTP requests for the app's front door, as hypothesis strategies, and the checks
every answer must pass: the unsigned and badly signed half here; signed but malformed payloads
can join through the same `Probe` (a spec that turns into bytes and headers at send time).

A spec is resolved only when it is sent, so "now", "stale" and the signature are computed
against the clock of the moment, whatever order hypothesis replays examples in."""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from hypothesis import strategies as st

from sandbox import SlackResult, SlackSide

MAX_BODY = 1 << 20  # the front door's limit (bot.web.MAX_BODY), restated: tests state the contract
ANSWER_WITHIN = 3.0  # Slack's limit on every answer


class Signing(StrEnum):
    """How a request's X-Slack-Signature is made."""

    none = "none"  # no signature header at all
    garbage = "garbage"  # a header that is not a signature
    forged = "forged"  # well-formed, random hex
    wrong_secret = "wrong_secret"  # signed, but not with our secret
    tampered = "tampered"  # our secret, but over other bytes
    stale = "stale"  # our secret, over these bytes, with a timestamp over 5 minutes away
    valid = "valid"  # as Slack signs: only for the signed half


class Stamp(StrEnum):
    """What X-Slack-Request-Timestamp holds."""

    absent = "absent"
    now = "now"
    text = "text"  # any text at all
    old = "old"  # a number, over 5 minutes ago
    future = "future"  # a number, over 5 minutes ahead


@dataclass(frozen=True)
class Probe:
    """One request: a body, the headers chosen for it, and how to stamp and sign it."""

    body: bytes
    content_type: str | None
    signing: Signing
    stamp: Stamp
    stamp_text: str = ""
    content_length: str | None = None  # None: the true length
    extra_headers: tuple[tuple[str, str], ...] = ()
    kind: str = "junk"

    def headers(self, side: SlackSide) -> list[tuple[str, str]]:
        now = int(time.time())
        stamp = {
            Stamp.absent: None,
            Stamp.now: str(now),
            Stamp.text: self.stamp_text,
            Stamp.old: str(now - 301 - len(self.stamp_text)),
            Stamp.future: str(now + 301 + len(self.stamp_text)),
        }[self.stamp]
        if self.signing is Signing.stale:
            stamp = str(now - 6 * 60)
        pairs = [(name, value) for name, value in self.extra_headers]
        if self.content_type is not None:
            pairs.append(("Content-Type", self.content_type))
        if self.content_length is not None:
            pairs.append(("Content-Length", self.content_length))
        if stamp is not None:
            pairs.append(("X-Slack-Request-Timestamp", stamp))
        signature = self._signature(side, stamp or str(now))
        if signature is not None:
            pairs.append(("X-Slack-Signature", signature))
        return pairs

    def _signature(self, side: SlackSide, stamp: str) -> str | None:
        other = SlackSide(side.events_url, "not-" + side.signing_secret, side.fake)
        return {
            Signing.none: lambda: None,
            Signing.garbage: lambda: self.stamp_text or "v0=",
            Signing.forged: lambda: "v0=" + (self.body.hex() + "0" * 64)[:64],
            Signing.wrong_secret: lambda: other.signature(stamp, self.body),
            Signing.tampered: lambda: side.signature(stamp, self.body + b" "),
            Signing.stale: lambda: side.signature(stamp, self.body),
            Signing.valid: lambda: side.signature(stamp, self.body),
        }[self.signing]()


@dataclass
class Tally:
    """What the app answered, for the test's summary line and its assertions."""

    statuses: Counter[int] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    slowest: float = 0.0

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())

    def summary(self, title: str) -> str:
        statuses = ", ".join(f"{status}: {n}" for status, n in sorted(self.statuses.items()))
        kinds = ", ".join(f"{kind}: {n}" for kind, n in sorted(self.kinds.items()))
        return (
            f"{title}: {self.sent} requests; answers {statuses}; slowest {self.slowest:.3f} s; "
            f"by kind {kinds}"
        )


def send(side: SlackSide, probe: Probe, tally: Tally) -> SlackResult:
    """Send one probe and hold its answer to the contract: never a 5xx, always within 3 s."""
    started = time.monotonic()
    result = side.post_raw(probe.body, probe.headers(side))
    elapsed = time.monotonic() - started
    tally.statuses[result.status] += 1
    tally.kinds[f"{probe.kind}/{probe.signing}"] += 1
    tally.slowest = max(tally.slowest, elapsed)
    assert result.status < 500, (result, probe)
    assert elapsed < ANSWER_WITHIN, (elapsed, probe)
    return result


def errors_in(records: Iterable[logging.LogRecord]) -> list[str]:
    """Every ERROR record or record carrying a traceback, formatted for a failure message."""
    return [
        f"{r.levelname} {r.name}: {r.getMessage()}"
        for r in records
        if r.levelno >= logging.ERROR or r.exc_info
    ]


# --- strategies -----------------------------------------------------------------------------

_HEADER_NAME = st.from_regex(r"\A[A-Za-z][A-Za-z0-9-]{0,30}\Z").filter(
    lambda name: name.lower() not in ("content-length", "host", "transfer-encoding")
)
# What an HTTP client can put in a header value: Latin-1 text, no line breaks.
_HEADER_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"),
    max_size=80,
)
_CONTENT_TYPES = st.one_of(
    st.none(),
    st.sampled_from(
        [
            "application/json",
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded; charset=utf-8",
            "application/x-www-form-urlencoded; charset=latin-1",
            "application/json; charset=ISO-8859-1",
            'application/json; charset="utf-8"',
            "text/plain",
            "multipart/form-data; boundary=x",
        ]
    ),
    _HEADER_TEXT,
)


def _big(chunk: bytes, size: int) -> bytes:
    return (chunk * (size // len(chunk) + 1))[:size]


_SLACKISH = st.sampled_from(
    [
        b"payload={not json",
        b"payload=[]",
        b"payload=null",
        b"payload=%7B%22type%22%3A%22block_actions%22%7D",
        b'{"type":"event_callback","team_id":"T0001","event":{"type":"app_home_opened"}}',
        b'{"type":"url_verification","challenge":"x"}',
        b"[1, 2, 3]",
        b"command=%2Faor&text=help&team_id=T0001&user_id=UREP",
        b"ssl_check=1",
        b"\xff\xfe{\x00",
        b"payload=%FF%FE",
        b"",
    ]
)
BODIES = st.one_of(
    st.binary(max_size=2048),
    _SLACKISH,
    st.text(max_size=500).map(str.encode),
    st.builds(
        _big,
        st.binary(min_size=1, max_size=64),
        st.sampled_from([MAX_BODY - 1, MAX_BODY, MAX_BODY + 1])
        | st.integers(MAX_BODY + 1, 4 * MAX_BODY),
    ),
)


@st.composite
def junk(draw: st.DrawFn, signings: Iterable[Signing] | None = None) -> Probe:
    """A request Slack never sent: unsigned, or signed wrongly (never `valid` by default)."""
    body = draw(BODIES)
    allowed = [s for s in (signings or Signing) if signings or s is not Signing.valid]
    length = draw(
        st.one_of(
            st.none(),
            st.none(),
            st.none(),
            _HEADER_TEXT.filter(lambda text: not text.strip().isdigit()),
            st.integers(0, max(0, len(body) - 1)).map(str),  # a short count: never a long
        )
    )
    return Probe(
        body=body,
        content_type=draw(_CONTENT_TYPES),
        signing=draw(st.sampled_from(allowed)),
        stamp=draw(st.sampled_from(list(Stamp))),
        stamp_text=draw(_HEADER_TEXT),
        content_length=length,
        extra_headers=tuple(draw(st.lists(st.tuples(_HEADER_NAME, _HEADER_TEXT), max_size=6))),
        kind="huge" if len(body) > MAX_BODY else "junk",
    )
