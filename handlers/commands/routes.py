"""Which function handles which subcommand (help is answered in the ack itself)."""

from __future__ import annotations

from collections.abc import Callable

from handlers.commands.add_item import add_own_item_command
from handlers.commands.add_task import add_task_command
from handlers.commands.call import CommandCall
from handlers.commands.coaching import coaching_command
from handlers.commands.doc import doc_command
from handlers.commands.export import export_command
from handlers.commands.kpi import kpi_command
from handlers.commands.ooo import ooo_command
from handlers.commands.pending import pending_command
from handlers.commands.plan import plan_command
from handlers.commands.position import position_command
from handlers.commands.report import report_command
from handlers.commands.set_manager import set_manager_command
from handlers.commands.settings import settings_command

ROUTES: dict[str, Callable[[CommandCall], None]] = {
    "add-task": add_task_command,
    "add": add_own_item_command,
    "doc": doc_command,
    "pending": pending_command,
    "set-manager": set_manager_command,
    "plan": plan_command,
    "settings": settings_command,
    "ooo": ooo_command,
    "report": report_command,
    "export": export_command,
    "position": position_command,
    "kpi": kpi_command,
    "coaching": coaching_command,
}
