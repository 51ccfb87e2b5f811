"""A draft's revision: a short fingerprint of what its summary or preview shows.

Typed answers post each step as a new message, so an older summary keeps live buttons; its
final button (Send, Raise) carries the revision it showed and acts only if the draft still
has it. A token of 12 hex digits fits the callback data with room to spare."""

from __future__ import annotations

import hashlib
import json


def fingerprint(shown: object) -> str:
    """12 hex digits of the SHA-256 of `shown` as JSON (what a summary shows, not when)."""
    return hashlib.sha256(json.dumps(shown, sort_keys=True).encode()).hexdigest()[:12]
