"""Who is who in the fake workspace: the app's own ids and the people, as users.info shows them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0SANDBOX"

Json = dict[str, Any]


@dataclass
class User:
    id: str
    name: str
    real_name: str
    tz: str
    is_admin: bool
    is_owner: bool
    is_bot: bool
    deleted: bool

    def to_slack(self, team_id: str, now: float) -> Json:
        local = datetime.fromtimestamp(now, ZoneInfo(self.tz))
        offset = local.utcoffset()
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "tz": self.tz,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            # Slack sends a long name ("Pacific Standard Time"); zoneinfo only knows "PST".
            "tz_label": local.tzname() or self.tz,
            "updated": int(now),
            "profile": {
                "real_name": self.real_name,
                "real_name_normalized": self.real_name,
                "display_name": self.name,
                "display_name_normalized": self.name,
                "team": team_id,
            },
        }
