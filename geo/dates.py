"""Dates in packs: exact ISO dates (proleptic Gregorian) plus an optional uncertainty qualifier.

A change takes effect at the start of its day: on its effective date the new holder already
holds the land. Julian (Old Style) dates are recorded beside the Gregorian ones for reference only.
"""

from __future__ import annotations

import datetime as dt

QUALIFIERS = ("circa", "before", "after", "uncertain")


def parse_iso(text: str) -> dt.date:
    """Parse ``YYYY-MM-DD`` strictly; raise ValueError naming the bad value and the valid form."""
    try:
        year, month, day = (int(part) for part in text.split("-"))
        if len(text) != 10:
            raise ValueError
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(
            f"{text!r} is not a real date; write an existing day as YYYY-MM-DD, e.g. 1813-10-24"
        ) from None


def iso(day: dt.date | None) -> str | None:
    """The ISO text of ``day`` (None stays None)."""
    return None if day is None else day.isoformat()
