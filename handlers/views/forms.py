"""Keeping a submitted modal open with the problem shown beside the field it is about."""

from __future__ import annotations

import logging
from collections.abc import Collection

from slack_bolt import Ack, BoltContext

from bot.core.errors import AorError, Malformed
from bot.core.logs import log_event

logger = logging.getLogger(__name__)


def show_problem(
    ack: Ack, error: AorError, *, fields: Collection[str], default: str, context: BoltContext
) -> None:
    """`error` beside its field, or beside `default` when it names none of the form's
    `fields`; a form that does not parse (Malformed) is also logged, as a warning."""
    field = error.field if error.field is not None and error.field in fields else default
    ack(response_action="errors", errors={field: error.message})
    if isinstance(error, Malformed):
        log_event(
            logger,
            "form.refused",
            logging.WARNING,
            team=context.team_id,
            user=context.user_id,
            request=context.get("request_id"),
        )
