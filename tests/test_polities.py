"""Renamings (successions), recognitions and suzerainty on a tiny world."""

from __future__ import annotations

import datetime as dt

from geo import query, timeline
from geo import synthetic as syn
from geo.catalog import load_pack
from tests.conftest import half, two_state_world

D = dt.date


def load(folder):
    pack, problems = load_pack(folder)
    assert problems == [], [str(p) for p in problems]
    return pack


def test_succession_relabels_land_without_moving_a_border(tmp_path):
    folder = two_state_world(
        tmp_path / "w",
        {
            "renaming-1925": syn.event(
                D(1925, 12, 15), kind="succession", successions=[{"from": "west", "to": "west_new"}]
            ),
        },
    )
    text = (folder / "polities.toml").read_text()
    (folder / "polities.toml").write_text(
        text + '\n[west_new]\nnames = { en = "New West" }\ncolour = "#123456"\n'
    )
    pack = load(folder)
    before = timeline.borders_at(pack, D(1925, 12, 14)).set_index("polity")
    after = timeline.borders_at(pack, D(1925, 12, 15)).set_index("polity")
    assert "west_new" not in before.index
    assert "west" not in after.index
    assert after.loc["west_new"].geometry.equals(before.loc["west"].geometry)
    answer = query.where(pack, 0.5, 0.5, D(1930, 1, 1))
    assert answer.polity == query.PolityRef("west_new", "New West")
    assert (answer.since, answer.since_event) == (D(1925, 12, 15), "renaming-1925")


def recognition_world(tmp_path, cell_half):
    """East's peace treaty of 1813 recognises a half-cell as East's."""
    transfer = syn.transfer("recognised", "west", "east", cell_half, mode="recognition")
    event = syn.event(
        D(1813, 10, 24), [transfer], kind="treaty", signed=D(1813, 10, 24), parties=["west", "east"]
    )
    return two_state_world(tmp_path / "w", {"peace-1813": event})


def test_recognition_keeps_the_holder_but_lists_the_area(tmp_path):
    folder = recognition_world(tmp_path, half(1, "lower"))
    pack = load(folder)
    before = timeline.borders_at(pack, D(1813, 1, 1)).set_index("polity")
    after = timeline.borders_at(pack, D(1814, 1, 1)).set_index("polity")
    assert after.loc["east"].geometry.equals(before.loc["east"].geometry)
    summary = query.events(pack)[0]
    assert summary.transfers[0].mode == "recognition"
    assert summary.transfers[0].area_km2 > 6000


def test_recognition_of_land_the_receiver_does_not_hold_is_a_problem(tmp_path):
    folder = recognition_world(tmp_path, half(0, "lower"))
    pack, problems = load_pack(folder)
    assert pack is None
    assert "'east' did not already hold (for a recognition) 100.0% of this land" in str(problems[0])


def test_sovereign_is_the_top_of_the_suzerain_chain(tmp_path):
    folder = two_state_world(tmp_path / "w")
    text = (folder / "polities.toml").read_text()
    text = text.replace(
        "[east]",
        '[[west.suzerain]]\npolity = "east"\nstatus = "vassal"\n'
        "from = 1805-05-14\nto = 1822-01-01\n\n[east]",
    )
    (folder / "polities.toml").write_text(text)
    pack = load(folder)
    assert query.where(pack, 0.5, 0.5, D(1805, 5, 13)).sovereign is None
    vassal = query.where(pack, 0.5, 0.5, D(1805, 5, 14))
    assert vassal.polity.id == "west"
    assert vassal.sovereign == query.PolityRef("east", "East")
    assert vassal.status == "vassal"
    assert query.where(pack, 0.5, 0.5, D(1822, 1, 1)).sovereign is None


def test_events_are_listed_in_effective_date_order(tmp_path):
    folder = two_state_world(
        tmp_path / "w",
        {
            "b-later": syn.event(D(1850, 1, 1)),
            "a-earlier": syn.event(D(1810, 1, 1)),
            "c-treaty": syn.event(
                D(1830, 1, 1),
                kind="treaty",
                signed=D(1829, 1, 1),
                effective=D(1830, 1, 1),
                in_force=D(1829, 6, 1),
                parties=["west"],
            ),
        },
    )
    pack = load(folder)
    listed = query.events(pack)
    assert [e.id for e in listed] == ["a-earlier", "c-treaty", "b-later"]
    assert listed[1].signed == D(1829, 1, 1)
    assert listed[1].in_force == D(1829, 6, 1)
    assert listed[1].effective == D(1830, 1, 1)


def test_overlapping_and_looping_suzerains_are_problems(tmp_path):
    folder = two_state_world(tmp_path / "w")
    text = (folder / "polities.toml").read_text()
    text = text.replace(
        "[east]",
        '[[west.suzerain]]\npolity = "east"\nstatus = "vassal"\nfrom = 1805-01-01\n\n'
        '[[west.suzerain]]\npolity = "east"\nstatus = "vassal"\nfrom = 1810-01-01\n\n[east]',
    )
    text += '\n[[east.suzerain]]\npolity = "west"\nstatus = "vassal"\nfrom = 1806-01-01\n'
    (folder / "polities.toml").write_text(text)
    pack, problems = load_pack(folder)
    messages = [str(p) for p in problems]
    assert pack is None
    assert any("west.suzerain[1]: overlaps the period from 1805-01-01" in m for m in messages)
    assert any("overlords form a loop on 1806-01-01: east → west → east" in m for m in messages)
