"""A faithful fake of Slack for tests, benchmarks and the demo.

FakeSlack serves the Web API (checked against Slack's spec and Block Kit limits); SlackSide
sends signed commands, interactions and events to the app like Slack does, and SocketModeSide
sends them over `fake.socket_mode` to an app connected in Socket Mode. `fake.hold(method)`
keeps calls unanswered until the test says, to stop the app at a chosen moment.
"""

from sandbox.client import SlackResult, SlackSide
from sandbox.clock import ManualClock
from sandbox.holds import HeldCall, Hold
from sandbox.limits import block_kit_violations
from sandbox.records import Call, Response, UploadedFile
from sandbox.server import FakeSlack
from sandbox.socket_side import SocketModeSide, SocketResult
from sandbox.spec import SlackSpec

__all__ = [
    "Call",
    "FakeSlack",
    "HeldCall",
    "Hold",
    "ManualClock",
    "Response",
    "SlackResult",
    "SlackSide",
    "SlackSpec",
    "SocketModeSide",
    "SocketResult",
    "UploadedFile",
    "block_kit_violations",
]
