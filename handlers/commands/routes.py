"""Which function handles which subcommand (help is answered in the ack itself)."""

from __future__ import annotations

from collections.abc import Callable

from handlers.commands.call import CommandCall

ROUTES: dict[str, Callable[[CommandCall], None]] = {}
