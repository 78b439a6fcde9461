"""Setting up who manages whom, the way people do it: through `/aor set-manager`."""

from __future__ import annotations

from sandbox import FakeSlack, SlackSide
from tests.utils.slack_text import replies
from tests.utils.wait import eventually


def name_manager(slack: SlackSide, fake: FakeSlack, *reps: str, manager: str = "UMANAGER") -> None:
    """Each rep names their manager of record, who then decides the work handed to them
    (DESIGN "Roles and authorization": never the requester as such); waits for each answer."""
    for rep in reps:
        url = slack.command(f"set-manager <@{rep}> <@{manager}>", user_id=rep).response_url
        assert "manager of record" in eventually(lambda u=url: replies(fake, u))[0]
