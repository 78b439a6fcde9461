"""Settings: read once from the environment by the CLI, then passed down."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.core.clock import is_valid_tz
from bot.core.errors import ConfigError

Mode = Literal["socket", "http", "scheduler"]


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
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        # WebClient joins method names onto the base URL; without the slash it drops "api".
        return value if value.endswith("/") else value + "/"

    @field_validator("aor_default_tz")
    @classmethod
    def _known_tz(cls, value: str) -> str:
        if not is_valid_tz(value):
            raise ValueError(f"unknown IANA time zone {value!r}")
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

    def mode(self, *, force_http: bool = False) -> Literal["socket", "http"]:
        return "socket" if self.slack_app_token is not None and not force_http else "http"

    def require_slack(self, mode: Mode) -> None:
        """Fail with one line naming what is missing for the chosen mode."""
        needed = {"SLACK_BOT_TOKEN": self.slack_bot_token}
        if mode == "http":
            needed["SLACK_SIGNING_SECRET"] = self.slack_signing_secret
        elif mode == "socket":
            needed["SLACK_APP_TOKEN"] = self.slack_app_token
        missing = [name for name, value in needed.items() if not _present(value)]
        if missing:
            raise ConfigError(
                f"missing {' and '.join(missing)}: set it in the environment "
                f"({mode} mode needs it; see README 'Configuration')"
            )
        if not reveal(self.slack_bot_token).startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN must be a bot token (starts with xoxb-)")
        if mode == "socket" and not reveal(self.slack_app_token).startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token (starts with xapp-)")


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
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper()}: {err['msg']}" for err in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {problems}") from None
