"""Kept for imports: the helper lives with the sandbox so the demo can use it too."""

from bot.sandbox.wait import eventually

__all__ = ["eventually"]
