"""The install pages a person sees in a browser (OAuth mode): "Add to Slack", installed, and
what went wrong. Plain HTML, no script and nothing fetched from elsewhere."""

from __future__ import annotations

from html import escape

_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;"
    "color:#1d1c1d;line-height:1.5}h1{font-size:1.6rem}"
    "a.add{display:inline-block;background:#4a154b;color:#fff;padding:.7rem 1.3rem;"
    "border-radius:6px;text-decoration:none;font-weight:600}code{background:#f4f4f4;padding:0 .3em}"
)

# What each of Bolt's failure reasons means to the person who was installing.
FAILURE_REASONS = {
    "access_denied": "You chose not to allow the AOR bot in your workspace.",
    "invalid_browser": (
        "This install was started in another browser (or its cookie was blocked), so it could "
        "not be finished here."
    ),
    "invalid_state": "This install link has expired or was already used.",
    "missing_code": "Slack sent no authorization code back.",
    "invalid_code": "Slack did not accept the authorization code.",
    "storage_error": "The installation could not be saved. Nothing was installed.",
}


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{escape(title)}</title>'
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    )


def build_install_page(authorize_url: str) -> str:
    return _page(
        "Install the AOR bot",
        "<h1>Install the AOR bot</h1>"
        "<p>Every rep keeps an Area of Responsibility, managers decide new work with one click, "
        "and each morning brings a priority checklist.</p>"
        f'<p><a class="add" id="add-to-slack" href="{escape(authorize_url)}">Add to Slack</a></p>',
    )


def build_installed_page(*, workspace: str) -> str:
    return _page(
        "The AOR bot is installed",
        f"<h1>The AOR bot is installed in {escape(workspace)}</h1>"
        "<p>Open Slack and type <code>/aor help</code> to start. Anyone in the workspace can "
        "now hand work to a rep with <code>/aor add-task</code>.</p>",
    )


def build_failure_page(reason: str) -> str:
    said = FAILURE_REASONS.get(reason, f"Slack answered “{reason}”.")
    return _page(
        "The AOR bot was not installed",
        "<h1>The AOR bot was not installed</h1>"
        f"<p>{escape(said)}</p>"
        '<p><a href="/slack/install">Start again</a>, or ask your Slack admin if it keeps '
        "happening.</p>",
    )
