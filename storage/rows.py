"""Helpers shared by the repositories: time as ISO text, rows to models."""

from __future__ import annotations

from datetime import UTC, datetime


def ts(value: datetime) -> str:
    """Store a moment as ISO 8601 UTC text, which sorts as it compares."""
    if value.tzinfo is None:
        raise ValueError("naive datetime: every stored time must be timezone-aware")
    return value.astimezone(UTC).isoformat()


def parse_ts(text: str) -> datetime:
    """Read a stored moment back as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)
