"""One card model, two renderers: the dashboard's Markdown and the offline pages' HTML show the
same facts for every event, and no text from a data file becomes markup or a link."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from dashboard import cards as app_cards
from geo import cards, pages, query
from geo.catalog import load_pack
from geo.lessons import Lesson, Step
from tests.conftest import ALERT, IMG, JS_URL, SCRIPT, SVG, xss_world
from tests.geodesy import degrees_of_latitude
from tests.html_reader import PageReader

D = dt.date
# A Markdown escape (kept: its character), emphasis or link brackets, or a link target (dropped).
MD_MARKUP = re.compile(r"\\(.)|\]\([^)\s]*\)|[*\[]")
QUOTE_URL = 'https://example.org/"onmouseover="window.top.__xss=6'


def app_view(pack, event) -> tuple[str, list[dict]]:
    """What the dashboard's card shows: its Markdown as plain text, and its table rows."""
    elements = app_cards.card_elements(cards.event_card(pack, event))
    markdown = "\n".join(str(c) for kind, c in elements if kind != "dataframe")
    plain = MD_MARKUP.sub(lambda m: m.group(1) or "", markdown)
    rows = [row for kind, c in elements if kind == "dataframe" for row in c]
    return " ".join(plain.split()), rows


def source_texts(pack, event) -> list[str]:
    """Every field of every source the event or its transfers cite, straight from pack.toml."""
    ids = [*event.record["sources"], *(s for t in event.transfers for s in t.sources)]
    fields = ("title", "author", "year", "publisher", "pages", "note")
    texts = [
        str(pack.meta["sources"][i][f]) for i in ids for f in fields if f in pack.meta["sources"][i]
    ]
    kinds = [pack.meta["sources"][i].get("kind") for i in ids]
    return texts + [f"({kind})" for kind in kinds if kind]


def expected_texts(pack, event) -> list[str]:
    """Facts both renderers must show, taken from the pack's records (not from the model)."""
    record = event.record
    found = [event.name, record["summary"], *(n for lang, n in event.names.items() if lang != "en")]
    for clause in record.get("clauses", []):
        found.append(clause["text"])
        if "article" in clause:
            found.append(f"(Art. {clause['article']}): {clause['text']}")
    found += [t.note for t in event.transfers if t.note]
    found += [pack.polities[p].name for p in record.get("parties", [])]
    found += [record[k] for k in ("place", "status", "duration") if k in record]
    found += source_texts(pack, event)
    return [" ".join(str(v).split()) for v in found]


def expected_row(pack, event, transfer) -> list:
    area = pack.timeline.transfer_areas[(event.id, transfer.id)]
    return [
        transfer.name,
        pack.polities[transfer.source].name,
        pack.polities[transfer.target].name,
        transfer.mode,
        round(float(area)),
        transfer.published_area_km2,
        "; ".join(transfer.modern_units),
        transfer.precision,
        transfer.method,
    ]


def shown(value) -> str:
    """A table cell as the page shows it."""
    if value is None:
        return ""
    return f"{value:,.0f}" if isinstance(value, int | float) else " ".join(str(value).split())


def assert_same_facts(pack, event) -> None:
    app_text, app_rows = app_view(pack, event)
    page = PageReader(pages.event_card_html(pack, event))
    for value in expected_texts(pack, event):
        assert value in app_text, (event.id, "app", value)
        assert value in page.text, (event.id, "page", value)
    for fact in cards.event_card(pack, event).facts():
        line = f"{fact.label}: {' '.join(fact.value.split())}"
        assert line in app_text, (event.id, "app", line)
        assert line in page.text, (event.id, "page", line)
    expected = [expected_row(pack, event, t) for t in event.transfers]
    assert [list(row.values()) for row in app_rows] == expected, event.id
    headings = [label for label, _ in cards.TRANSFER_COLUMNS]
    assert all(list(row) == headings for row in app_rows)
    # The page gives each transfer a small table: one row (heading, value) per column.
    assert page.rows == [
        [h, shown(v)] for row in expected for h, v in zip(headings, row, strict=True)
    ]


def test_app_and_page_show_the_same_facts_for_every_event(pack):
    assert any(c.get("article") for e in pack.events for c in e.record.get("clauses", []))
    assert any(s.get("author") and s.get("year") for s in pack.meta["sources"].values())
    assert any(t.published_area_km2 for e in pack.events for t in e.transfers)
    for event in pack.events:
        assert_same_facts(pack, event)


def test_treaty_without_an_entry_into_force_says_it_was_not_found(pack):
    card = cards.event_card(pack, pack.event("turkmenchay-1828"))
    assert cards.Fact("In force", cards.NOT_FOUND) in card.facts()
    assert cards.Fact("Signed", "22 February 1828") in card.facts()
    annexation = cards.event_card(pack, pack.event("kartli-kakheti-1801"))
    assert "In force" not in [f.label for f in annexation.facts()]


def test_standalone_page_holds_every_card_and_the_footer(pack):
    page = pages.standalone_html(pack)
    for event in pack.events:
        assert pages.event_card_html(pack, event) in page
    text = PageReader(page).text
    assert "What this map cannot show" in text
    for limitation in pack.meta["scope"]["limitations"]:
        assert " ".join(limitation.split()) in text


@pytest.mark.parametrize(
    ("url", "link"),
    [
        ("https://example.org/a b", "https://example.org/a b"),
        ("http://example.org", "http://example.org"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" https://example.org", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///etc/passwd", None),
        (None, None),
    ],
)
def test_only_web_addresses_become_links(url, link):
    source = cards.Source("A source", url=url)
    assert source.link == link
    assert ("](" in app_cards.source_line(source)) is (link is not None)


@pytest.fixture
def xss_pack(tmp_path):
    """The payload world, with sources whose URLs validation would refuse added after loading."""
    pack, problems = load_pack(xss_world(tmp_path / "xss"))
    assert problems == []
    pack.meta["sources"]["synthetic"]["url"] = JS_URL
    pack.meta["sources"]["data"] = {"title": "Data source", "url": f"data:text/html,{SCRIPT}"}
    pack.event("cession-1813").record["sources"].append("data")
    return pack


def assert_inert(page: str) -> PageReader:
    """No tag, attribute, link or script came from the data: only the page's own."""
    reader = PageReader(page)
    assert not {tag for tag, _ in reader.tags} & {"img", "svg", "iframe"}
    for tag, attrs in reader.tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:text/html")), (tag, attrs)
        if tag == "script":
            assert attrs.get("src", "data:text/javascript;").startswith("data:text/javascript;")
    assert all("<script" not in s.lower() for s in reader.scripts)
    return reader


def test_offline_page_shows_payloads_as_text_and_links_only_web_addresses(xss_pack):
    event = xss_pack.event("cession-1813")
    reader = assert_inert(pages.standalone_html(xss_pack, event))
    assert [a["href"] for tag, a in reader.tags if tag == "a"] == [QUOTE_URL]
    for literal in (
        f"{SCRIPT}Treaty of Payloads",
        f"Russian: {IMG}",
        f"Parties: {IMG}West, East",
        f"(Art. {ALERT}7): {IMG}clause text",
        f"{SVG}Lowland",
        f"{ALERT}note on the lowland",
        f'<iframe src="{JS_URL}"> ({IMG}, 1999)',
        f"({SCRIPT}) (web) — {ALERT}source note",
        "Data source",
        f"{IMG}the grid",
        f"[x]({JS_URL})",
    ):
        assert literal in reader.text, literal
    assert_same_facts(xss_pack, event)


def test_lesson_page_shows_payloads_as_text(xss_pack):
    lesson = Lesson(
        "payloads",
        f"{IMG}Lesson",
        SCRIPT,
        xss_pack.id,
        (Step(D(1805, 1, 1), f"{SVG}first"), Step(D(1813, 10, 24), ALERT, "cession-1813")),
        summary=f"[x]({JS_URL})",
    )
    reader = assert_inert(pages.lesson_html(xss_pack, lesson))
    assert not [tag for tag, _ in reader.tags if tag == "a"]
    for literal in (f"{IMG}Lesson", f"For: {SCRIPT}", f"{SVG}first", ALERT, f"{SCRIPT}Treaty"):
        assert literal in reader.text, literal
    steps = [a for tag, a in reader.tags if "tm-step" in (a.get("class") or "")]
    assert [s["data-day"] for s in steps] == [str(s.day.toordinal()) for s in lesson.steps]
    assert len(json.loads(steps[1]["data-focus"])) == 4


def test_place_history_lists_every_holder_with_its_overlord_and_event(pack):
    shusha = (46.75, 39.76)
    day = D(1810, 1, 1)
    answer = query.where(pack, *shusha, day)
    history = cards.place_history(pack, *shusha, day)
    assert history.holder == answer.polity.name
    assert history.day == "1 January 1810"
    assert len(history.periods) == len(answer.history) > 2
    for period, item in zip(history.periods, answer.history, strict=True):
        assert period.ruler == item.polity.name
        assert (period.event_id, period.event_name) == (item.event, item.event_name)
        if item.sovereign:
            assert period.dependency == f"{item.status} of {item.sovereign.name}"
        else:
            assert period.dependency is None
    assert any(p.dependency for p in history.periods)
    assert history.periods[0].start == "1 January 1800"
    assert history.periods[-1].end == "today"


def test_place_history_outside_the_pack_says_why(pack):
    history = cards.place_history(pack, 0.0, 0.0, D(1900, 1, 1))
    assert (history.holder, history.periods) == (None, ())
    assert history.note.startswith("Outside the area this pack covers")


def test_place_history_of_a_point_just_off_the_land_says_how_far_the_land_is(world):
    lat = 1.0 + degrees_of_latitude(1.0, 1200)  # 1.2 km north of the grid's northern edge
    history = cards.place_history(world, 0.5, lat, D(1900, 1, 1))
    on_land = cards.place_history(world, 0.5, 0.99, D(1900, 1, 1))
    assert history.holder == on_land.holder == "West"
    assert history.periods == on_land.periods
    assert history.nearby.startswith("The nearest land, 1.2 km away, is ")
    assert on_land.nearby is None
    far = cards.place_history(world, 0.5, 1.0 + degrees_of_latitude(1.0, 3100), D(1900, 1, 1))
    assert (far.holder, far.nearby) == (None, None)
    assert far.note.startswith("Outside the area this pack covers")
