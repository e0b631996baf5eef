"""Words for people: dates, escaped text and plain-language descriptions of events.

Every string from a data file goes through ``md`` (for Markdown), or ``html.escape`` or an
autoescaping template (for HTML), before it reaches a page.
"""

from __future__ import annotations

import datetime as dt
import re

from geo.pack import Event, Pack
from geo.timeline import borders_at

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def md(text: str) -> str:
    """Text shown literally by Markdown: special characters backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def long_date(day: dt.date) -> str:
    """'22 February 1828'."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def km_away(km: float) -> str:
    """'1.2 km' for a distance in 0.1 km steps; 'less than 0.1 km' for one that rounds to 0."""
    return f"{km:.1f} km" if km >= 0.1 else "less than 0.1 km"


def dated(event: Event) -> str:
    """The event's date in words, with its uncertainty."""
    day = event.signed or event.date or event.effective
    prefix = {
        "circa": "about ",
        "before": "before ",
        "after": "after ",
        "uncertain": "probably ",
    }.get(event.date_qualifier, "")
    return prefix + long_date(day)


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def describe(pack: Pack, event: Event) -> str:
    """One or two plain sentences saying what changed, for cards, exports and screen readers,
    e.g. "By the Treaty of Turkmenchay (22 February 1828) Qajar Persia ceded the Erivan
    Khanate and the Nakhchivan Khanate, about 27,000 km², to the Russian Empire."
    """
    when = dated(event)
    lead = (
        f"By the {event.name} ({when})" if event.kind == "treaty" else (f"{event.name} ({when}):")
    )
    groups: dict[tuple[str, str, str], list] = {}
    for t in event.transfers:
        groups.setdefault((t.source, t.target, t.mode), []).append(t)
    clauses = [_clause(pack, event, key, transfers) for key, transfers in groups.items()]
    clauses += [
        f"the land held by {pack.polities[old].name} passed unchanged to {pack.polities[new].name}"
        for old, new in event.successions
    ]
    if not clauses:
        return f"{lead} no border moved."
    return f"{lead} " + "; ".join(clauses) + "."


def _clause(pack: Pack, event: Event, key: tuple[str, str, str], transfers: list) -> str:
    source, target, mode = (pack.polities[key[0]].name, pack.polities[key[1]].name, key[2])
    areas = pack.timeline.transfer_areas
    area = sum(areas[(event.id, t.id)] for t in transfers)
    what = _join([t.name for t in transfers])
    size = f", about {_round_area(area):,} km²," if area else ""
    if mode == "recognition":
        return f"{source} recognised {target}'s possession of {what}{size.rstrip(',')}"
    if event.kind == "treaty":
        return f"{source} ceded {what}{size} to {target}".replace(",, ", ", ")
    verbs = {
        "conquest": f"{target} took {what}{size} from {source}",
        "annexation": f"{target} annexed {what}{size} until then held by {source}",
        "occupation": f"{target} occupied {what}{size} until then held by {source}",
    }
    return verbs.get(event.kind, f"{what}{size} passed from {source} to {target}").replace(
        ",,", ","
    )


def _round_area(area: float) -> int:
    """Areas drawn from modern units are approximate: keep two or three significant figures."""
    if area >= 10_000:
        return int(round(area, -3))
    if area >= 1_000:
        return int(round(area, -2))
    return int(round(area, -1)) if area >= 100 else round(area)


def describe_day(pack: Pack, day: dt.date) -> str:
    """The borders on a day in one sentence, for steps that are a date rather than an event."""
    names = sorted(row.name for row in borders_at(pack, day).itertuples())
    return f"On {long_date(day)} the land shown was held by {_join(names)}."


LANGUAGES = {
    "en": "English",
    "ru": "Russian",
    "fa": "Persian",
    "az": "Azerbaijani",
    "hy": "Armenian",
    "ka": "Georgian",
    "tr": "Turkish",
    "ab": "Abkhaz",
    "fr": "French",
}


def language(code: str) -> str:
    """'ru' → 'Russian'; 'fa-latn' → 'Persian (Latin transliteration)'."""
    base, _, script = code.partition("-")
    name = LANGUAGES.get(base, base)
    return f"{name} (Latin transliteration)" if script == "latn" else name


def other_names(event: Event) -> list[tuple[str, str]]:
    """(language, name) for every name but the English one, for treaty cards."""
    return [(language(lang), name) for lang, name in event.names.items() if lang != "en"]
