"""Settings: read once from the environment by the CLI, then passed down."""

from __future__ import annotations

import os
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.core.clock import is_valid_tz
from bot.core.errors import ConfigError
from bot.core.logs import redact

Mode = Literal["socket", "http", "scheduler"]

# The databases the bot runs on, with the driver each is opened with (pyproject's dependencies).
SUPPORTED_DRIVERS = {"sqlite": ("", "pysqlite"), "postgresql": ("", "psycopg")}
URL_EXAMPLES = "e.g. sqlite:///aor.db or postgresql://user:password@host:5432/aor"


class Settings(BaseSettings):
    """Every environment variable the bot reads (README "Configuration")."""

    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = "sqlite:///aor.db"
    aor_admins: str = ""
    aor_default_tz: str = "UTC"
    aor_tick_seconds: int = Field(default=60, ge=1, le=3600)
    # Sends per second per workspace and Web API method. Slack allows chat.postMessage about
    # one per second per channel and several hundred a minute per workspace: 5/s is safe.
    aor_send_rate: float = Field(default=5.0, gt=0, le=100)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    # OAuth mode (many workspaces), when all three are set; token mode otherwise.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_state_secret: SecretStr | None = None
    aor_retention_days: int = Field(default=30, ge=0, le=3650)
    # Set under gunicorn: every worker's metrics are collected there (prometheus-client).
    prometheus_multiproc_dir: str | None = None

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # WebClient joins method names onto the base URL; without the slash it drops "api".
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _supported_database(cls, value: str) -> str:
        check_database_url(value)
        return value

    @field_validator("aor_default_tz")
    @classmethod
    def _known_tz(cls, value: str) -> str:
        if not is_valid_tz(value):
            raise ValueError(
                f"AOR_DEFAULT_TZ {value!r} is not an IANA time zone — use a name such as "
                "UTC, Europe/London or America/New_York"
            )
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def admin_ids(self) -> tuple[str, ...]:
        """AOR_ADMINS in the order the operator wrote them (the first decides requests for
        reps without a manager of record), each once."""
        return tuple(dict.fromkeys(u.strip() for u in self.aor_admins.split(",") if u.strip()))

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(self.admin_ids)

    @property
    def oauth_mode(self) -> bool:
        """Many workspaces, each installed through /slack/install, tokens in the database."""
        return any(_present(v) for v in self._oauth_values().values())

    def _oauth_values(self) -> dict[str, SecretStr | None]:
        client_id = SecretStr(self.slack_client_id) if self.slack_client_id else None
        return {
            "SLACK_CLIENT_ID": client_id,
            "SLACK_CLIENT_SECRET": self.slack_client_secret,
            "SLACK_STATE_SECRET": self.slack_state_secret,
        }

    def mode(self, *, force_http: bool = False) -> Literal["socket", "http"]:
        return "socket" if self.slack_app_token is not None and not force_http else "http"

    def require_slack(self, mode: Mode, *, why: str = "") -> None:
        """Fail with one line naming each missing variable, the mode that needs it and why
        that mode was chosen (`why`, e.g. "because SLACK_APP_TOKEN is set")."""
        if self.oauth_mode:
            self._require_oauth(mode)
            return
        needed = {"SLACK_BOT_TOKEN": self.slack_bot_token}
        if mode == "http":
            needed["SLACK_SIGNING_SECRET"] = self.slack_signing_secret
        elif mode == "socket":
            needed["SLACK_APP_TOKEN"] = self.slack_app_token
        missing = [name for name, value in needed.items() if not _present(value)]
        if missing:
            chosen = f"{MODE_NAMES[mode]}{', ' + why if why else ''}"
            hint = ""
            if mode == "http" and "--http" in why:
                hint = " (or drop --http and set SLACK_APP_TOKEN, xapp-…, for Socket Mode)"
            elif mode == "http":
                hint = " (or set SLACK_APP_TOKEN, xapp-…, for Socket Mode, as the manifest does)"
            raise ConfigError(
                f"missing {_and(missing)} for {chosen} — set "
                f"{'it' if len(missing) == 1 else 'them'} in the environment{hint}; "
                "see README 'Configuration'"
            )
        if not reveal(self.slack_bot_token).startswith("xoxb-"):
            raise ConfigError(
                "SLACK_BOT_TOKEN is not a bot token — use the Bot User OAuth Token (xoxb-…) "
                "from the app's OAuth & Permissions page"
            )
        if mode == "socket" and not reveal(self.slack_app_token).startswith("xapp-"):
            raise ConfigError(
                "SLACK_APP_TOKEN is not an app-level token — use the token (xapp-…) from the "
                "app's Basic Information page, with the connections:write scope"
            )

    def _require_oauth(self, mode: Mode) -> None:
        needed = self._oauth_values()
        if mode == "http":
            needed["SLACK_SIGNING_SECRET"] = self.slack_signing_secret
        missing = [name for name, value in needed.items() if not _present(value)]
        if missing:
            raise ConfigError(
                f"missing {_and(missing)} for OAuth mode (SLACK_CLIENT_ID, SLACK_CLIENT_SECRET "
                "or SLACK_STATE_SECRET is set) — set all three from the app's Basic Information "
                "page, or none for token mode; see README 'Operations'"
            )
        if mode == "socket":
            raise ConfigError(
                "OAuth mode serves its install pages over HTTP — unset SLACK_APP_TOKEN and run "
                "`aor serve --http` (or bot.wsgi:app under gunicorn)"
            )


MODE_NAMES = {"socket": "Socket Mode", "http": "HTTP mode", "scheduler": "the scheduler"}


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def check_database_url(value: str) -> None:
    """ValueError, worded for the operator, unless `value` is a URL of a supported database."""
    try:
        url = make_url(value.replace("postgres://", "postgresql://", 1))
    except ArgumentError:
        raise ValueError(
            f"DATABASE_URL {redact(value)!r} is not a database URL — use sqlite or "
            f"postgresql, {URL_EXAMPLES}"
        ) from None
    backend, driver = url.get_backend_name(), url.get_driver_name()
    if backend not in SUPPORTED_DRIVERS:
        raise ValueError(
            f"DATABASE_URL uses {backend}, which the bot does not support — use sqlite or "
            f"postgresql, {URL_EXAMPLES}"
        )
    if "+" in url.drivername and driver not in SUPPORTED_DRIVERS[backend]:
        raise ValueError(
            f"DATABASE_URL asks for the {driver} driver, which is not installed — write "
            f"{backend}:// (the bot uses {SUPPORTED_DRIVERS[backend][1]}), {URL_EXAMPLES}"
        )
    if backend == "sqlite" and not url.database:
        raise ValueError(f"DATABASE_URL names no SQLite file — add a path, {URL_EXAMPLES}")


def reveal(value: SecretStr | None) -> str:
    """A secret's value, or "" when unset (`require_slack` has already named what is needed)."""
    return value.get_secret_value() if value is not None else ""


def _present(value: SecretStr | None) -> bool:
    return value is not None and bool(value.get_secret_value().strip())


def load_settings() -> Settings:
    """Build settings from the environment; invalid values become one ConfigError line."""
    try:
        return Settings()
    except ValidationError as exc:
        raise ConfigError("; ".join(_problem(err) for err in exc.errors())) from None


def _problem(err: ErrorDetails) -> str:
    """Our own validators word the whole sentence; pydantic's checks get the variable's name
    and the fix."""
    error = err.get("ctx", {}).get("error")
    if isinstance(error, ValueError):
        return str(error)
    name = ".".join(str(p) for p in err["loc"]).upper()
    return (
        f"{name} is invalid: {err['msg'][:1].lower()}{err['msg'][1:]} — fix it in the environment"
    )


def hide_token_from_libraries() -> None:
    """Settings hold the token now. Bolt's App reads SLACK_BOT_TOKEN from the environment by
    itself and, beside the client we give it, warns "As you gave `client` as well, `token`
    will be unused" on every start; no child process needs it either."""
    os.environ.pop("SLACK_BOT_TOKEN", None)
