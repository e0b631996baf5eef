"""The treaty card and the place history as plain data, one model for every renderer.

The dashboard shows these as Markdown and the offline pages as Jinja2 HTML, so both show the
same facts. Values are plain text; each renderer escapes them for its own format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geo import query, text
from geo.pack import Event, Pack, per_pack
from geo.render import total_area

NOT_FOUND = "not found in the sources used"
# The only schemes a source may link to; anything else (javascript:, data:, file:) stays text.
WEB_PREFIXES = ("http://", "https://")


@dataclass(frozen=True)
class Fact:
    """One labelled line of a card, e.g. ("Signed", "22 February 1828")."""

    label: str
    value: str


@dataclass(frozen=True)
class Clause:
    topic: str
    text: str
    article: str | None = None


@dataclass(frozen=True)
class TransferRow:
    """One row of the card's territory table."""

    name: str
    source: str
    target: str
    mode: str
    area_km2: int
    published_area_km2: float | None
    today: str
    precision: str
    method: str


# (column heading, TransferRow field): the table both renderers show, in this order.
TRANSFER_COLUMNS = (
    ("Territory", "name"),
    ("From", "source"),
    ("To", "target"),
    ("Kind", "mode"),
    ("Area (km², computed)", "area_km2"),
    ("Published area (km²)", "published_area_km2"),
    ("Today", "today"),
    ("Precision", "precision"),
    ("How it was drawn", "method"),
)


@dataclass(frozen=True)
class Source:
    title: str
    author: str | None = None
    year: int | None = None
    publisher: str | None = None
    pages: str | None = None
    url: str | None = None
    note: str | None = None
    kind: str | None = None  # primary, official, scholarly, encyclopedia, wikipedia or web

    @property
    def details(self) -> tuple[str, ...]:
        """Author, year, publisher and pages, those the source gives."""
        values = (self.author, self.year, self.publisher, self.pages)
        return tuple(str(v) for v in values if v is not None)

    @property
    def link(self) -> str | None:
        """The URL if it is a web address; no other URL is ever made a link."""
        return self.url if self.url and self.url.startswith(WEB_PREFIXES) else None


@dataclass(frozen=True)
class EventCard:
    """Everything the pack says about one event."""

    event_id: str
    title: str
    effective: dt.date
    other_names: tuple[Fact, ...]  # label: the language
    description: str
    kind: str
    dates: tuple[Fact, ...]
    place: str | None
    duration: str | None
    status: str | None
    border_precision: str | None
    signatories: tuple[str, ...]
    parties: tuple[str, ...]
    superseded_by: tuple[str, ...]
    summary: str
    clauses: tuple[Clause, ...]
    transfers: tuple[TransferRow, ...]
    ceded_km2: int | None  # land that changed hands (cessions, overlaps once); None: none
    notes: tuple[Fact, ...]  # label: the territory the note is about
    sources: tuple[Source, ...]

    def facts(self) -> tuple[Fact, ...]:
        """The labelled facts in the order a card lists them (those the pack gives)."""
        rest = (
            ("Place", self.place),
            ("Duration", self.duration),
            ("Status", self.status),
            ("Border precision", self.border_precision),
            ("Signatories", "; ".join(self.signatories)),
            ("Parties", ", ".join(self.parties)),
            ("Superseded by", ", ".join(self.superseded_by)),
        )
        return (Fact("Kind", self.kind), *self.dates, *(Fact(k, v) for k, v in rest if v))


def event_card(pack: Pack, event: Event) -> EventCard:
    """The card of ``event``; built once per pack and event."""
    return _cards(pack)[event.id]


@per_pack
def _cards(pack: Pack) -> dict[str, EventCard]:
    return {e.id: _build(pack, e) for e in pack.events}


def _build(pack: Pack, event: Event) -> EventCard:
    record = event.record
    cessions = any(t.mode == "cession" for t in event.transfers)
    return EventCard(
        event_id=event.id,
        title=event.name,
        effective=event.effective,
        other_names=tuple(Fact(lang, name) for lang, name in text.other_names(event)),
        description=text.describe(pack, event),
        kind=event.kind,
        dates=_dates(event),
        place=record.get("place"),
        duration=record.get("duration"),
        status=record.get("status"),
        border_precision=event.border_precision,
        signatories=tuple(record.get("signatories", ())),
        parties=tuple(pack.polities[p].name for p in event.parties),
        superseded_by=tuple(pack.event(e).name for e in record.get("superseded_by", ())),
        summary=event.summary,
        clauses=tuple(
            Clause(c["topic"], c["text"], c.get("article")) for c in record.get("clauses", [])
        ),
        transfers=_transfers(pack, event),
        ceded_km2=round(total_area(event)) if cessions else None,
        notes=tuple(Fact(t.name, t.note) for t in event.transfers if t.note),
        sources=_sources(pack, event),
    )


def _dates(event: Event) -> tuple[Fact, ...]:
    """Signature or event date, entry into force (or that it was not found), end, map change."""
    record = event.record
    facts = []
    qualified = record.get("date_qualifier")
    for key, label in (("signed", "Signed"), ("date", "Date")):
        if key in record:
            facts.append(
                Fact(label, text.dated(event) if qualified else text.long_date(record[key]))
            )
    if "in_force" in record:
        facts.append(Fact("In force", text.long_date(record["in_force"])))
    elif event.kind == "treaty":
        facts.append(Fact("In force", NOT_FOUND))
    if "ended" in record:
        facts.append(Fact("Ended", text.long_date(record["ended"])))
    if "signed_julian" in record:
        facts.append(Fact("Signed (Julian calendar)", text.long_date(record["signed_julian"])))
    facts.append(Fact("Map changes on", text.long_date(event.effective)))
    return tuple(facts)


def _transfers(pack: Pack, event: Event) -> tuple[TransferRow, ...]:
    areas = pack.timeline.transfer_areas
    return tuple(
        TransferRow(
            name=t.name,
            source=pack.polities[t.source].name,
            target=pack.polities[t.target].name,
            mode=t.mode,
            area_km2=round(float(areas[(event.id, t.id)])),
            published_area_km2=t.published_area_km2,
            today="; ".join(t.modern_units),
            precision=t.precision,
            method=t.method,
        )
        for t in event.transfers
    )


def _sources(pack: Pack, event: Event) -> tuple[Source, ...]:
    """The event's sources, then those only its transfers cite, each once, in file order."""
    ids = list(event.sources)
    ids += [s for t in event.transfers for s in t.sources]
    return tuple(_source(pack.meta["sources"][s]) for s in dict.fromkeys(ids))


def _source(table: dict) -> Source:
    fields = ("author", "year", "publisher", "pages", "url", "note", "kind")
    return Source(table["title"], **{k: table.get(k) for k in fields})


@dataclass(frozen=True)
class Period:
    """One holder of a place, from ``start`` to ``end`` (long dates, or "today")."""

    start: str
    end: str
    ruler: str
    dependency: str | None  # e.g. "vassal of Qajar Persia"
    event_id: str | None
    event_name: str | None


@dataclass(frozen=True)
class PlaceHistory:
    """'What ruled here': who held a point on a day, and every holder since the baseline."""

    point: str
    day: str
    note: str | None  # why nobody is named (outside the scope, before the baseline, ...)
    holder: str | None
    dependency: str | None
    periods: tuple[Period, ...]
    nearby: str | None = None  # off the land: that the history is the nearest land's, how far


def place_history(pack: Pack, lon: float, lat: float, day: dt.date) -> PlaceHistory:
    answer = query.where(pack, lon, lat, day)
    point, when = f"{lat:.3f}° N, {lon:.3f}° E", text.long_date(day)
    if answer.polity is None:
        note = answer.note or ""
        return PlaceHistory(point, when, note[:1].upper() + note[1:], None, None, ())
    periods = tuple(
        Period(
            text.long_date(p.start),
            text.long_date(p.end) if p.end else "today",
            p.polity.name,
            _dependency(p),
            p.event,
            p.event_name,
        )
        for p in answer.history
    )
    nearby = None
    if answer.snapped_km is not None:
        nearby = (
            f"The nearest land, {text.km_away(answer.snapped_km)} away, is shown: "
            "the point itself lies off this map's land."
        )
    return PlaceHistory(point, when, None, answer.polity.name, _dependency(answer), periods, nearby)


def _dependency(item) -> str | None:
    """ "vassal of …" for a holder under an overlord (a PlaceAnswer or a HistoryItem)."""
    return f"{item.status} of {item.sovereign.name}" if item.sovereign else None
