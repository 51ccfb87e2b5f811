"""Pure rules: roles, language choice, escaping, durations, settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from bot.cli_members import parse_duration
from bot.config import Settings
from bot.domain.models import Role
from bot.i18n import Markup, language_for, t


def test_role_order() -> None:
    assert Role.ADMIN.at_least(Role.COORDINATOR)
    assert Role.COORDINATOR.at_least(Role.EXPERT)
    assert not Role.EXPERT.at_least(Role.COORDINATOR)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("en", "en"), ("en-GB", "en"), ("sv", "sv"), ("de", "sv"), (None, "sv")],
)
def test_language_follows_the_telegram_client(code: str | None, expected: str) -> None:
    assert language_for(code) == expected


def test_catalogue_escapes_values_but_not_markup() -> None:
    text = t("en", "members.deactivated", name="<b>Eve & co</b>")
    assert text == "&lt;b&gt;Eve &amp; co&lt;/b&gt; is deactivated."
    assert t("en", "members.deactivated", name=Markup("<i>x</i>")).startswith("<i>x</i>")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30m", timedelta(minutes=30)), ("72h", timedelta(hours=72)), ("7d", timedelta(days=7))],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "h", "-1h", "3w", "1.5h"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_settings_validate_token_zone_webhook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")
    with pytest.raises(ValidationError):
        Settings(bot_token="nope")
    with pytest.raises(ValidationError):
        Settings(timezone="Mars/Base")
    with pytest.raises(ValidationError):
        Settings(webhook_url="https://example.invalid/hook")
    ok = Settings(bot_token="123:" + "a" * 30, database_url="sqlite:///./x/y.db")
    assert "a" * 30 not in repr(ok)
    assert ok.database_path == "./x/y.db"


def test_database_url_names_sqlite_or_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")
    with pytest.raises(ValidationError, match="postgresql://"):
        Settings(database_url="mysql://db/samverkan")
    lite = Settings(database_url="sqlite:///./x/y.db")
    assert not lite.on_postgres and lite.database_shown == "./x/y.db"
    pg = Settings(database_url="postgresql://bot:s3cret@db.example:5432/samverkan")
    assert pg.on_postgres
    assert pg.database_path == "postgresql://bot:s3cret@db.example:5432/samverkan"
    assert pg.database_shown == "postgresql://bot:***@db.example:5432/samverkan"
    pg.ensure_database_dir()  # nothing to make for a server
