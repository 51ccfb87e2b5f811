"""Errors that leave storage: engine-neutral, so services and handlers never see sqlite3."""

from __future__ import annotations


class StorageError(Exception):
    """Base of the storage layer's own errors."""


class StorageBusy(StorageError):
    """Another writer held the database for longer than the busy timeout; nothing was saved."""

    def __init__(self, waited_ms: int) -> None:
        super().__init__(f"the database is busy (waited {waited_ms / 1000:g} s); try again")
        self.waited_ms = waited_ms


class Conflict(StorageError):
    """A write broke a uniqueness or reference rule (e.g. a name that is taken)."""
