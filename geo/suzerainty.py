"""Vassals, protectorates and constituent republics: who stood over a polity on a date."""

from __future__ import annotations

import datetime as dt

from geo.pack import Pack

MAX_DEPTH = 10  # suzerain chains are short; the cap guards against a cycle in the data


def suzerain_on(pack: Pack, polity_id: str, day: dt.date) -> dict | None:
    """The suzerain period of ``polity_id`` covering ``day``, if any."""
    for period in pack.polities[polity_id].suzerain:
        if period["from"] <= day and (period.get("to") is None or day < period["to"]):
            return period
    return None


def chain(pack: Pack, polity_id: str, day: dt.date) -> list[str]:
    """The polity and its overlords on ``day``, nearest first."""
    result = [polity_id]
    for _ in range(MAX_DEPTH):
        over = suzerain_on(pack, result[-1], day)
        if over is None or over["polity"] in result:
            break
        result.append(over["polity"])
    return result


def sovereign_of(pack: Pack, polity_id: str, day: dt.date) -> str | None:
    """The top of the suzerain chain on ``day``, or None when the polity is sovereign."""
    top = chain(pack, polity_id, day)[-1]
    return None if top == polity_id else top
