"""Which function handles which subcommand (help is answered in the ack itself)."""

from __future__ import annotations

from collections.abc import Callable

from handlers.commands.add_item import add_item
from handlers.commands.add_task import add_task
from handlers.commands.call import CommandCall
from handlers.commands.doc import doc
from handlers.commands.export import export
from handlers.commands.ooo import ooo
from handlers.commands.pending import pending
from handlers.commands.plan import plan
from handlers.commands.report import report
from handlers.commands.set_manager import set_manager_command
from handlers.commands.settings import settings

ROUTES: dict[str, Callable[[CommandCall], None]] = {
    "add-task": add_task,
    "add": add_item,
    "doc": doc,
    "pending": pending,
    "set-manager": set_manager_command,
    "plan": plan,
    "settings": settings,
    "ooo": ooo,
    "report": report,
    "export": export,
}
