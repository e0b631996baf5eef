"""The pack schema: every field of every pack file, its type, whether it is required, and why.

The schema is data (``FIELDS``) so that validation and the data dictionary in
``treaties/README.md`` cannot drift apart: a test checks that every field here is documented.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from geo.dates import QUALIFIERS
from geo.problems import Problem

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[a-z]{4})?$")
PRECISIONS = ("precise", "moderate", "approximate")
EVENT_KINDS = (
    "treaty",
    "annexation",
    "conquest",
    "independence",
    "dissolution",
    "succession",
    "occupation",
    "suzerainty",
)
TRANSFER_MODES = ("cession", "recognition")
SUZERAIN_STATUSES = ("vassal", "protectorate", "constituent republic", "autonomy", "occupation")
# From strongest to weakest: a data test asks every event for one source above "wikipedia".
SOURCE_KINDS = ("primary", "official", "scholarly", "encyclopedia", "wikipedia", "web")


@dataclass(frozen=True)
class Field:
    """One field: ``kind`` is the value type, ``sub`` the fields of a nested table."""

    name: str
    kind: str
    required: bool
    doc: str
    choices: tuple[str, ...] = ()
    sub: tuple[Field, ...] = field(default=())


SOURCE = (
    Field("title", "text", True, "Title of the work or page."),
    Field(
        "kind",
        "choice",
        True,
        "What kind of source it is (see Source kinds below).",
        choices=SOURCE_KINDS,
    ),
    Field("author", "text", False, "Author(s) or issuing body."),
    Field("year", "int", False, "Year of publication."),
    Field("publisher", "text", False, "Publisher, journal or site."),
    Field("url", "url", False, "Link to the work (http or https)."),
    Field("pages", "text", False, "Pages, articles or sections used."),
    Field("note", "text", False, "What the source was used for, and how reliable it is."),
)

SCOPE = (
    Field("description", "text", True, "The area the pack is complete for, in words."),
    Field("limitations", "list[text]", False, "What the map cannot show inside the scope."),
    Field(
        "holes",
        "list[point]",
        False,
        "Points [lon, lat] inside intentional holes of the baseline (e.g. a lake left out).",
    ),
)

PACK = (
    Field("title", "text", True, "Title shown to users."),
    Field("description", "text", True, "What the pack tells, in a paragraph."),
    Field("license", "text", True, "License of the pack's data (e.g. CC0-1.0)."),
    Field("baseline_date", "date", True, "Date on which baseline.geojson holds."),
    Field("end_date", "date", False, "Last date the pack is complete for (default: today)."),
    Field("default_event", "id", False, "Event shown first in the app."),
    Field(
        "baseline_precision",
        "choice",
        False,
        "How precise the baseline borders are (default approximate).",
        choices=PRECISIONS,
    ),
    Field("scope", "table", True, "The declared area the pack is complete for.", sub=SCOPE),
    Field(
        "sources",
        "sources",
        True,
        "The sources cited by id in events, keyed by source id.",
        sub=SOURCE,
    ),
)

SUZERAIN = (
    Field("polity", "id", True, "Polity id of the overlord."),
    Field("status", "choice", True, "Kind of dependency.", choices=SUZERAIN_STATUSES),
    Field("from", "date", True, "First day of the dependency."),
    Field("to", "date", False, "First day it no longer held (absent: still holds)."),
    Field("event", "id", False, "Event that began the dependency."),
    Field("note", "text", False, "What the dependency meant, or why its dates are uncertain."),
    Field("sources", "list[source]", False, "Source ids for the dependency."),
)

POLITY = (
    Field("names", "names", True, "Names by language code; `en` required (e.g. en, ru, fa, az)."),
    Field("colour", "colour", True, "Map colour as #rrggbb, stable across years."),
    Field("wikidata", "wikidata", False, "Wikidata item id (Q…)."),
    Field("note", "text", False, "What the polity was, in a sentence."),
    Field("suzerain", "list[table]", False, "Periods of vassalage or protection.", sub=SUZERAIN),
)

CLAUSE = (
    Field("topic", "text", True, "territory, navigation, indemnity, military, duration, …"),
    Field("text", "text", True, "The clause in a neutral sentence."),
    Field("article", "text", False, "Article number(s)."),
)

TRANSFER = (
    Field("id", "id", True, "Stable id of the transfer within its event."),
    Field("from", "id", True, "Polity that held (or claimed, for a recognition) the land."),
    Field("to", "id", True, "Polity that receives the land."),
    Field(
        "mode",
        "choice",
        False,
        "cession (default: the land changes hands) or recognition (confirms a holder).",
        choices=TRANSFER_MODES,
    ),
    Field("name", "text", True, "Name of the transferred territory."),
    Field("note", "text", False, "Anything a reader should know about this transfer."),
    Field("modern_units", "list[text]", True, "Modern administrative units it corresponds to."),
    Field("units", "list[text]", False, "Codes of the base admin-1 units it was built from."),
    Field("precision", "choice", True, "How precise the drawn border is.", choices=PRECISIONS),
    Field("method", "text", True, "How the geometry was made."),
    Field("published_area_km2", "number", False, "An area published in a source, for comparison."),
    Field("sources", "list[source]", False, "Source ids specific to this transfer."),
)

SUCCESSION = (
    Field("from", "id", True, "Polity whose land passes on unchanged."),
    Field("to", "id", True, "Polity that holds it from the event's date."),
)

EVENT = (
    Field("kind", "choice", True, "What kind of event it is.", choices=EVENT_KINDS),
    Field("names", "names", True, "Names by language code; `en` required."),
    Field("date", "date", False, "Date of a non-treaty event (required unless kind = treaty)."),
    Field("date_qualifier", "choice", False, "Uncertainty of the date.", choices=QUALIFIERS),
    Field("signed", "date", False, "Treaties: date of signature (required for treaties)."),
    Field("signed_julian", "date", False, "Treaties: signature date in the Julian calendar."),
    Field("in_force", "date", False, "Treaties: date of entry into force or ratification."),
    Field(
        "effective",
        "date",
        False,
        "Date the map changes, when it is neither the signature nor the event date.",
    ),
    Field("ended", "date", False, "Date the treaty ceased to be in force."),
    Field("place", "text", False, "Where it was signed or happened."),
    Field("signatories", "list[text]", False, "Who signed, with their role."),
    Field("parties", "list[id]", False, "Polity ids of the parties (required for treaties)."),
    Field("summary", "text", True, "A short neutral summary."),
    Field("clauses", "list[table]", False, "Notable clauses.", sub=CLAUSE),
    Field("duration", "text", False, "Term of the treaty, if it has one."),
    Field("status", "text", False, "Whether it is in force today, and what superseded it."),
    Field("superseded_by", "list[id]", False, "Event ids that replaced it."),
    Field(
        "border_precision",
        "choice",
        False,
        "How precise the borders it drew are.",
        choices=(*PRECISIONS, "none"),
    ),
    Field("sources", "list[source]", True, "Source ids (see pack.toml [sources])."),
    Field("transfers", "list[table]", False, "Land that changed hands.", sub=TRANSFER),
    Field("successions", "list[table]", False, "Renamings: land passes unchanged.", sub=SUCCESSION),
)

FIELDS: dict[str, tuple[Field, ...]] = {
    "pack.toml": PACK,
    "pack.toml [scope]": SCOPE,
    "pack.toml [sources.<id>]": SOURCE,
    "polities.toml [<id>]": POLITY,
    "polities.toml [[<id>.suzerain]]": SUZERAIN,
    "events/<id>.toml": EVENT,
    "events/<id>.toml [[clauses]]": CLAUSE,
    "events/<id>.toml [[transfers]]": TRANSFER,
    "events/<id>.toml [[successions]]": SUCCESSION,
}


def _type_error(value: Any, kind: str, choices: tuple[str, ...]) -> str | None:
    """Why ``value`` is not of ``kind`` (None when it is)."""
    checks = {
        "text": (lambda v: isinstance(v, str) and v.strip() != "", "a non-empty string"),
        "int": (lambda v: isinstance(v, int) and not isinstance(v, bool), "a whole number"),
        "number": (
            lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 0,
            "a non-negative number",
        ),
        "date": (
            lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime),
            "a date written YYYY-MM-DD without quotes",
        ),
        "id": (
            lambda v: isinstance(v, str) and bool(ID_PATTERN.match(v)),
            "an id of lower-case letters, digits, '-' and '_'",
        ),
        "url": (
            lambda v: isinstance(v, str) and v.startswith(("http://", "https://")),
            "an http(s) URL",
        ),
        "colour": (
            lambda v: isinstance(v, str) and bool(COLOUR_PATTERN.match(v)),
            "a colour written #rrggbb",
        ),
        "wikidata": (
            lambda v: isinstance(v, str) and bool(re.match(r"^Q[1-9][0-9]*$", v)),
            "a Wikidata id such as Q794",
        ),
        "choice": (lambda v: v in choices, "one of " + ", ".join(map(repr, choices))),
        "table": (lambda v: isinstance(v, dict), "a table"),
    }
    check, expected = checks[kind]
    if check(value):
        return None
    return f"{value!r} is not valid; expected {expected}"


def check_table(table: Any, fields: tuple[Field, ...], path: str, location: str) -> list[Problem]:
    """Check ``table`` against ``fields``: unknown, missing and mistyped fields."""
    if not isinstance(table, dict):
        return [Problem(path, location, f"expected a table, found {type(table).__name__}")]
    problems = []
    known = {f.name: f for f in fields}
    for name in table:
        if name not in known:
            near = [k for k in known if k.lower() == str(name).lower() or _close(k, str(name))]
            hint = f"; did you mean {near[0]!r}?" if near else ""
            problems.append(
                Problem(
                    path, f"{location}{name}", f"unknown field{hint} (known: {', '.join(known)})"
                )
            )
    for spec in fields:
        where = f"{location}{spec.name}"
        if spec.name not in table:
            if spec.required:
                problems.append(Problem(path, where, f"required field is missing ({spec.doc})"))
            continue
        problems += check_value(table[spec.name], spec, path, where)
    return problems


def check_value(value: Any, spec: Field, path: str, where: str) -> list[Problem]:
    """Check one value against its field spec."""
    kind = spec.kind
    if kind.startswith("list["):
        inner = kind[5:-1]
        if not isinstance(value, list):
            return [Problem(path, where, f"{value!r} is not valid; expected a list")]
        problems = []
        for i, item in enumerate(value):
            item_where = f"{where}[{i}]"
            if inner == "table":
                problems += check_table(item, spec.sub, path, f"{item_where}.")
            elif inner == "point":
                problems += _check_point(item, path, item_where)
            else:
                base = {"source": "id"}.get(inner, inner)
                reason = _type_error(item, base, spec.choices)
                if reason:
                    problems.append(Problem(path, item_where, reason))
        return problems
    if kind == "table":
        return check_table(value, spec.sub, path, f"{where}.")
    if kind == "names":
        return _check_names(value, path, where)
    if kind == "sources":
        if not isinstance(value, dict) or not value:
            return [Problem(path, where, "expected at least one [sources.<id>] table")]
        problems = []
        for source_id, source in value.items():
            if not ID_PATTERN.match(source_id):
                problems.append(Problem(path, f"{where}.{source_id}", "source id must be an id"))
            problems += check_table(source, spec.sub, path, f"{where}.{source_id}.")
        return problems
    reason = _type_error(value, kind, spec.choices)
    return [Problem(path, where, reason)] if reason else []


def _check_names(value: Any, path: str, where: str) -> list[Problem]:
    if not isinstance(value, dict):
        return [Problem(path, where, "expected a table of names by language, e.g. {en = '…'}")]
    problems = []
    if "en" not in value:
        problems.append(Problem(path, f"{where}.en", "required English name is missing"))
    for lang, text in value.items():
        if not LANGUAGE_PATTERN.match(lang):
            problems.append(
                Problem(path, f"{where}.{lang}", "not a language code (use e.g. en, ru, fa, az)")
            )
        elif not isinstance(text, str) or not text.strip():
            problems.append(Problem(path, f"{where}.{lang}", f"{text!r} is not a non-empty name"))
    return problems


def _check_point(item: Any, path: str, where: str) -> list[Problem]:
    ok = (
        isinstance(item, list)
        and len(item) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in item)
        and -180 <= item[0] <= 180
        and -90 <= item[1] <= 90
    )
    return [] if ok else [Problem(path, where, f"{item!r} is not a point [lon, lat] in range")]


def _close(a: str, b: str) -> bool:
    """Whether two field names differ by one edit (a likely typo)."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))
