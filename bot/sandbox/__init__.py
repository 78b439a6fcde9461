"""A faithful fake of Slack for tests, benchmarks and the demo.

FakeSlack serves the Web API (checked against Slack's spec and Block Kit limits); SlackSide
sends signed commands, interactions and events to the app like Slack does, and SocketModeSide
sends them over `fake.socket_mode` to an app connected in Socket Mode.
"""

from bot.sandbox.client import SlackResult, SlackSide
from bot.sandbox.clock import ManualClock
from bot.sandbox.limits import block_kit_violations
from bot.sandbox.records import Call, Response, UploadedFile
from bot.sandbox.server import FakeSlack
from bot.sandbox.socket_side import SocketModeSide, SocketResult
from bot.sandbox.spec import SlackSpec

__all__ = [
    "Call",
    "FakeSlack",
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
