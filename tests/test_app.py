"""AppTest checks of the dashboard's logic (no browser): widgets, notices, cards, URL state."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import mapdata
from geo import synthetic as syn
from geo.cards import TRANSFER_COLUMNS
from tests.conftest import cession_1813, two_state_world
from tests.geodesy import degrees_of_latitude

D = dt.date
pytestmark = pytest.mark.usefixtures("treaties")
APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def treaties(tmp_path, monkeypatch):
    folder = tmp_path / "treaties"
    two_state_world(
        folder / "tiny",
        {
            "cession-1813": cession_1813(
                names={"en": "Treaty of Tiny", "ru": "Малый договор", "fa": "عهدنامه کوچک"},
                clauses=[
                    {"topic": "navigation", "text": "Only East may keep warships.", "article": "IV"}
                ],
            ),
            "friendship-1900": syn.event(
                D(1900, 1, 1),
                kind="treaty",
                signed=D(1900, 1, 1),
                parties=["west", "east"],
                names={"en": "Friendship Treaty"},
            ),
        },
        end_date=D(1950, 12, 31),
        title="Tiny *pack* [with a link](https://example.org)",
        sources={
            "synthetic": {
                "title": "Made up for tests",
                "kind": "scholarly",
                "author": "A. Tester",
                "year": 2024,
                "url": "https://example.org/tiny",
                "note": "Invented.",
            }
        },
    )
    (folder / "broken").mkdir()
    (folder / "broken" / "pack.toml").write_text("title = \n")
    monkeypatch.setenv("TREATY_MAP_TREATIES", str(folder))
    monkeypatch.setattr(mapdata, "STATIC", tmp_path / "static")  # not the project's static/
    return folder


def run(params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    return at.run()


def map_args(at: AppTest) -> dict:
    return json.loads(at.get("component_instance")[0].proto.json_args)


def report(at: AppTest, day: str, event=None, click=None) -> AppTest:
    """What the map component sends back when the person moves it or clicks it."""
    seq = at.session_state["seen"][1] + 1 if "seen" in at.session_state else 1
    at.session_state["map-tiny"] = {"day": day, "event": event, "click": click, "seq": seq}
    return at.run()


def texts(at: AppTest) -> str:
    return (
        "\n".join(m.value for m in at.markdown)
        + "\n".join(w.value for w in at.warning)
        + "\n".join(i.value for i in at.info)
    )


def test_first_load_shows_the_last_day_and_the_skipped_pack():
    at = run()
    assert not at.exception
    assert "borders on **31 December 1950**" in texts(at)
    assert any("“broken” was skipped" in w.value for w in at.sidebar.warning)
    assert map_args(at)["command"]["day"] == D(1950, 12, 31).toordinal()
    # Data text is shown literally: Markdown in a pack title is escaped, not rendered.
    assert at.title[0].value == r"Tiny \*pack\* \[with a link\]\(https://example\.org\)"


def test_a_day_reported_by_the_map_changes_the_date_and_keeps_the_map():
    at = run()
    before = map_args(at)
    report(at, "1813-12-31")
    assert "borders on **31 December 1813**" in texts(at)
    assert at.query_params["date"] == "1813-12-31"
    after = map_args(at)
    assert after["parts"] == before["parts"]  # the same map: nothing is rebuilt or remounted
    assert after["command"] == before["command"]  # and it is not told to move again


def test_a_report_is_taken_once():
    at = run()
    report(at, "1813-12-31")
    at.selectbox(key="event_choice").set_value("1900 · Friendship Treaty").run()
    assert "borders on **1 January 1900**" in texts(at)
    at.run()  # the map's last report (1813) is still its value: it must not win again
    assert "borders on **1 January 1900**" in texts(at)


def test_choosing_a_treaty_shows_its_card_and_tells_the_map():
    at = run()
    at.selectbox(key="event_choice").set_value("1813 · Treaty of Tiny").run()
    page = texts(at)
    assert "Treaty of Tiny" in page
    assert "Малый договор" in page
    assert "Only East may keep warships" in page
    assert "(Art. IV): Only East may keep warships" in page
    assert (
        "[Made up for tests (A\\. Tester, 2024)](https://example.org/tiny) (scholarly)"
        " — Invented\\." in page
    )
    assert "**In force:** not found in the sources used" in page
    table = at.dataframe[0].value
    assert list(table.columns) == [label for label, _ in TRANSFER_COLUMNS]
    assert table.iloc[0]["How it was drawn"] == "grid cells"
    assert "West ceded lower, about 6,200 km², to East" in page
    assert "after the Treaty of Tiny" in page
    command = map_args(at)["command"]
    assert command["event"] == "cession-1813"
    assert command["day"] == D(1813, 10, 24).toordinal()
    assert command["focus"] == "event"
    at.radio(key="view_choice").set_value("before").run()
    assert "borders on **23 October 1813**, before the Treaty of Tiny" in texts(at)
    assert map_args(at)["command"]["day"] == D(1813, 10, 23).toordinal()
    assert at.query_params["view"] == "before"


def test_the_map_stepping_onto_a_change_opens_its_card():
    at = run({"date": "1800-06-01"})
    report(at, "1813-10-24", event="cession-1813")
    assert "after the Treaty of Tiny" in texts(at)
    assert at.selectbox(key="event_choice").value == "1813 · Treaty of Tiny"
    assert at.query_params["event"] == "cession-1813"
    report(at, "1820-12-31", event="cession-1813")  # the slider moved on: no longer "after"
    assert "borders on **31 December 1820**" in texts(at)
    assert "view" not in at.query_params


def test_a_click_on_the_map_shows_the_history_of_the_place():
    at = run({"date": "1900-06-01"})
    report(at, "1900-06-01", click=[0.5, 0.25])  # lon, lat: the ceded lowland
    assert "What ruled here" in [h.value for h in at.subheader]
    assert "On 1 June 1900: **East**" in texts(at)
    assert any(b.label == "Treaty of Tiny" for b in at.button)


def test_a_click_just_off_the_land_shows_the_nearest_lands_history_and_how_far_it_is():
    lat = 1.0 + degrees_of_latitude(1.0, 1200)  # 1.2 km north of the grid's northern edge
    at = run({"date": "1900-06-01"})
    report(at, "1900-06-01", click=[0.5, lat])
    assert r"The nearest land, 1\.2 km away, is shown" in texts(at)
    assert "On 1 June 1900: **West**" in texts(at)
    report(at, "1900-06-01", click=[0.5, 0.9])
    assert "On 1 June 1900: **West**" in texts(at)
    assert "The nearest land" not in texts(at)


def test_permalink_restores_the_view():
    at = run({"pack": "tiny", "event": "cession-1813", "view": "before"})
    assert "23 October 1813" in texts(at)
    assert at.selectbox(key="event_choice").value == "1813 · Treaty of Tiny"
    assert map_args(at)["command"]["day"] == D(1813, 10, 23).toordinal()


@pytest.mark.parametrize(
    ("params", "notice"),
    [
        ({"date": "1813-02-30"}, "not a real day"),
        ({"date": "1700-01-01"}, "outside this pack's range"),
        ({"pack": "atlantis"}, "there is no such pack"),
        ({"pack": "broken"}, "it failed validation"),
        ({"event": "nowhere-1900"}, "not in this pack"),
        ({"event": "cession-1813", "view": "sideways"}, "is not one of before, after"),
    ],
)
def test_bad_permalink_gives_a_notice_and_a_fallback(params, notice):
    at = run(params)
    assert not at.exception
    assert any(notice in w.value for w in at.warning)
    assert "The map shows the borders on" in texts(at)


def test_treaty_without_transfers_is_shown_with_its_parties():
    at = run({"event": "friendship-1900"})
    assert "no border moved" in texts(at)
    assert map_args(at)["command"]["event"] == "friendship-1900"


def test_embed_layout_is_compact():
    at = run({"layout": "compact"})
    assert not at.exception
    assert len(at.title) == 0
    assert len(at.sidebar.selectbox) == 0
    assert len(at.selectbox) == 0
    assert "The map shows the borders on" in texts(at)


def test_lesson_mode_steps_through_captions(tmp_path, monkeypatch):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "tiny-lesson.toml").write_text(
        'title = "A tiny lesson"\naudience = "tests"\npack = "tiny"\n\n'
        '[[steps]]\ndate = 1805-06-01\ncaption = "Before anything moved."\n\n'
        '[[steps]]\nevent = "cession-1813"\ncaption = "East takes the lowland."\n'
    )
    monkeypatch.setenv("TREATY_MAP_LESSONS", str(lessons))
    at = run({"lesson": "tiny-lesson"})
    assert not at.exception
    assert "Before anything moved" in texts(at)
    assert "borders on **1 June 1805**" in texts(at)
    assert "the land shown was held by East and West" in "\n".join(c.value for c in at.caption)
    at.button(key="lesson-next").click().run()
    assert "East takes the lowland" in texts(at)
    assert "after the Treaty of Tiny" in texts(at)
    assert at.query_params["step"] == "2"
    at.button(key="lesson-back").click().run()
    assert "Before anything moved" in texts(at)


def test_unknown_lesson_in_the_link_gives_a_notice():
    at = run({"lesson": "no-such-lesson"})
    assert any("not available for this pack" in w.value for w in at.warning)


@pytest.mark.parametrize("step", ["²", "99", "0", "two"])
def test_bad_lesson_step_in_the_link_starts_at_step_one(tmp_path, monkeypatch, step):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "tiny-lesson.toml").write_text(
        'title = "A tiny lesson"\naudience = "tests"\npack = "tiny"\n\n'
        '[[steps]]\ndate = 1805-06-01\ncaption = "First."\n\n'
        '[[steps]]\ndate = 1900-06-01\ncaption = "Second."\n'
    )
    monkeypatch.setenv("TREATY_MAP_LESSONS", str(lessons))
    at = run({"lesson": "tiny-lesson", "step": step})
    assert not at.exception
    assert any("is not a number from 1 to 2" in w.value for w in at.warning)
    assert "borders on **1 June 1805**" in texts(at)


def test_a_clicked_place_shows_its_rulers_with_a_button_per_change():
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["place"] = (0.5, 0.25)
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "On 31 December 1950: **East**" in shown
    assert "1 January 1800 – 24 October 1813: **West**" in shown
    assert "24 October 1813 – today: **East**" in shown
    at.button(key="history-1-cession-1813").click().run()
    assert "borders on **24 October 1813**" in texts(at)


def test_download_panel_offers_the_picture_as_png_and_pdf():
    at = run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Print picture (PNG)" in labels
    assert "Print picture (PDF)" in labels
