"""Settings from the environment or `.env`, validated once at start-up."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.board import Timing
from bot.domain.callbacks import is_token
from bot.domain.flags import DEFAULT_CATEGORIES, FlagPolicy, Urgency
from bot.domain.retention import Retention
from bot.domain.worklog import Kind, WorkPolicy, parse_work_types

Language = Literal["sv", "en"]


class ConfigError(Exception):
    """A setting is missing or malformed; the message says how to fix it."""


class Settings(BaseSettings):
    """Everything the deployment configures; see `.env.example`."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    telegram_api_url: str | None = None
    telegram_file_url: str | None = None
    # Messages a second the bot may send in all, the outbox and direct answers together.
    telegram_messages_per_s: float = Field(default=29.0, gt=0, le=1000)
    database_url: str = "sqlite:///./data/samverkan.db"
    # How long a write waits for another writer (the command line, say) before giving up.
    database_busy_timeout_ms: int = Field(default=5000, ge=0, le=600_000)
    default_language: Language = "sv"
    timezone: str = "Europe/Stockholm"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    # Flags: how long a target agency has to acknowledge, by urgency, and the categories
    # (comma-separated keys; empty means the default list).
    flag_ack_minutes_urgent: int = Field(default=5, ge=1, le=1440)
    flag_ack_minutes_priority: int = Field(default=30, ge=1, le=1440)
    flag_ack_minutes_routine: int = Field(default=480, ge=1, le=10080)
    flag_categories: str = ""
    # The work log: activity types per kind (see .env.example) and confidential agencies.
    work_types_boundary: str = ""
    work_types_relationship: str = ""
    confidential_agencies: str = "SAPO"
    # Residents' boards: a change shows no sooner than the delay after it happened, and a
    # board changes at most once per interval (both in minutes; see bot/domain/board.py).
    board_delay_minutes: int = Field(default=10, ge=1, le=1440)
    board_interval_minutes: int = Field(default=10, ge=1, le=1440)
    # Retention (README, Privacy): how long each class of data is kept before the purge.
    retention_location_hours: int = Field(default=24, ge=1, le=24 * 365)
    retention_flag_days: int = Field(default=90, ge=1, le=3650)
    retention_handover_days: int = Field(default=30, ge=1, le=3650)
    retention_notice_days: int = Field(default=180, ge=1, le=3650)
    retention_work_note_days: int = Field(default=365, ge=1, le=3650)
    retention_presence_days: int = Field(default=730, ge=1, le=3650)
    retention_audit_days: int = Field(default=730, ge=1, le=3650)
    retention_reminder_days: int = Field(default=30, ge=1, le=3650)
    retention_outbox_days: int = Field(default=30, ge=1, le=3650)
    retention_invite_days: int = Field(default=30, ge=1, le=3650)
    # The hour of the day (in TIMEZONE) the daily purge runs: a quiet one.
    purge_hour: int = Field(default=3, ge=0, le=23)
    # The sandbox's web chat listens on 127.0.0.1 at this port (it never reaches Telegram).
    sandbox_port: int = Field(default=8080, ge=1, le=65535)

    @field_validator(
        "bot_token",
        "webhook_secret",
        "webhook_url",
        "telegram_api_url",
        "telegram_file_url",
        mode="before",
    )
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # An empty line in .env (`BOT_TOKEN=`) means "not set", not "the empty token".
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            head, _, tail = value.get_secret_value().partition(":")
            if not head.isdigit() or len(tail) < 20:
                raise ValueError("does not look like a token from BotFather (digits:secret)")
        return value

    @field_validator("flag_categories")
    @classmethod
    def _categories_fit_buttons(cls, value: str) -> str:
        # A category travels in the wizard's button data: a key, never a label.
        bad = [c.strip() for c in value.split(",") if c.strip() and not is_token(c.strip())]
        if bad:
            raise ValueError(
                f"FLAG_CATEGORIES: {', '.join(map(repr, bad))} is not a key "
                "(letters, digits, _ and -, at most 24; labels come from the catalogue)"
            )
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _known_engine(cls, value: str) -> str:
        if not value.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ValueError(
                "must start with sqlite:/// (e.g. sqlite:///./data/samverkan.db) or"
                " postgresql:// (e.g. postgresql://samverkan@db.example/samverkan)"
            )
        return value

    @model_validator(mode="after")
    def _file_url_of_a_local_server(self) -> Settings:
        # A self-hosted Bot API server serves files beside its methods: .../bot -> .../file/bot.
        # Without this PTB would fetch every roster file from Telegram's own file server.
        if self.telegram_api_url and not self.telegram_file_url:
            base = self.telegram_api_url.rstrip("/")
            if not base.endswith("/bot"):
                raise ValueError(
                    "TELEGRAM_API_URL does not end in /bot, so TELEGRAM_FILE_URL cannot be"
                    " derived from it: set TELEGRAM_FILE_URL too (e.g. http://host:8081/file/bot)"
                )
            self.telegram_file_url = base.removesuffix("/bot") + "/file/bot"
        return self

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_URL is set, so WEBHOOK_SECRET must be set too")
        return self

    @model_validator(mode="after")
    def _work_types_readable(self) -> Settings:
        self.work_policy()  # a malformed list stops start-up with the reason
        return self

    def work_policy(self) -> WorkPolicy:
        """The work-log rules this deployment configured."""
        return WorkPolicy(
            types=parse_work_types(Kind.BOUNDARY, self.work_types_boundary)
            + parse_work_types(Kind.RELATIONSHIP, self.work_types_relationship),
            confidential=frozenset(
                c.strip().upper() for c in self.confidential_agencies.split(",") if c.strip()
            ),
        )

    def board_timing(self) -> Timing:
        """How late and how often at most the residents' boards change."""
        return Timing(
            delay=timedelta(minutes=self.board_delay_minutes),
            interval=timedelta(minutes=self.board_interval_minutes),
        )

    def retention(self) -> Retention:
        """How long each class of data is kept."""
        days = timedelta
        return Retention(
            location=timedelta(hours=self.retention_location_hours),
            flags=days(self.retention_flag_days),
            handovers=days(self.retention_handover_days),
            notices=days(self.retention_notice_days),
            work_notes=days(self.retention_work_note_days),
            presences=days(self.retention_presence_days),
            audit=days(self.retention_audit_days),
            reminders=days(self.retention_reminder_days),
            outbox=days(self.retention_outbox_days),
            invites=days(self.retention_invite_days),
        )

    def purge_time(self) -> time:
        """When the daily purge runs: PURGE_HOUR in the deployment's time zone."""
        return time(self.purge_hour, tzinfo=ZoneInfo(self.timezone))

    def flag_policy(self) -> FlagPolicy:
        """The flag rules this deployment configured."""
        categories = tuple(c.strip() for c in self.flag_categories.split(",") if c.strip())
        return FlagPolicy(
            categories=categories or DEFAULT_CATEGORIES,
            deadlines={
                Urgency.URGENT: timedelta(minutes=self.flag_ack_minutes_urgent),
                Urgency.PRIORITY: timedelta(minutes=self.flag_ack_minutes_priority),
                Urgency.ROUTINE: timedelta(minutes=self.flag_ack_minutes_routine),
            },
        )

    @property
    def database_path(self) -> str:
        """What `Database.open` takes: the SQLite file's path (or `:memory:`), or the
        PostgreSQL address as it is."""
        if self.on_postgres:
            return self.database_url
        return self.database_url.removeprefix("sqlite:///")

    @property
    def on_postgres(self) -> bool:
        """True when DATABASE_URL names a PostgreSQL server."""
        return self.database_url.startswith(("postgresql://", "postgres://"))

    @property
    def database_shown(self) -> str:
        """The database as messages name it: a server's address without its password."""
        if not self.on_postgres:
            return self.database_path
        parts = urlsplit(self.database_url)
        if parts.password is None:
            return self.database_url
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))

    def ensure_database_dir(self) -> None:
        """Create the database's folder so a first run needs no manual step."""
        if not self.on_postgres and self.database_path != ":memory:":
            Path(self.database_path).parent.mkdir(parents=True, exist_ok=True)
