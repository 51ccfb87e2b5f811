"""Where a check-in happened relative to a group's office: pure geometry."""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8
# A phone's reported accuracy widens the area, but never by more than this: a fix that is
# "somewhere within 5 km" must not count as being at the office.
MAX_ACCURACY_ALLOWANCE_M = 100.0


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def within_area(distance: float, radius_m: float, accuracy_m: float | None) -> bool:
    """True when a fix this far from the office, this accurate, counts as inside the area."""
    allowance = min(max(accuracy_m or 0.0, 0.0), MAX_ACCURACY_ALLOWANCE_M)
    return distance <= radius_m + allowance


def valid_coordinates(lat: float, lon: float) -> bool:
    """True for a point on Earth."""
    return math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180
