"""The command line: JSON answers, GeoJSON borders, CSV batches and one-line errors."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from geo import synthetic as syn
from geo.cli import main
from tests.conftest import cession_1813, two_state_world
from tests.geodesy import degrees_of_latitude, meridian_arc_m

D = dt.date
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def treaties(tmp_path):
    folder = tmp_path / "treaties"
    two_state_world(folder / "tiny", {"cession-1813": cession_1813(in_force=D(1814, 9, 27))})
    return folder


def run(capsys, *args):
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_where_prints_one_json_object(treaties, capsys):
    status, out, _ = run(
        capsys,
        "--treaties",
        str(treaties),
        "where",
        "--lon",
        "0.5",
        "--lat",
        "0.25",
        "--date",
        "1820-01-01",
    )
    assert status == 0
    answer = json.loads(out)
    assert answer["pack"] == "tiny"
    assert answer["date"] == "1820-01-01"
    assert (answer["lon"], answer["lat"]) == (0.5, 0.25)
    assert answer["polity"] == {"id": "east", "name": "East"}
    assert answer["since"] == {"date": "1813-10-24", "event": "cession-1813"}


def test_where_reads_csv_rows_from_stdin(treaties, capsys, monkeypatch):
    rows = "lon,lat,date\n0.5,0.25,1800-06-01\n0.5,0.25,1900-01-01\n9,9,1900-01-01\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(rows))
    status, out, _ = run(capsys, "--treaties", str(treaties), "where")
    assert status == 0
    answers = [json.loads(line) for line in out.splitlines()]
    assert [a["polity"] and a["polity"]["id"] for a in answers] == ["west", "east", None]
    assert "outside the area" in answers[2]["note"]


def test_events_lists_transfers_with_areas(treaties, capsys):
    status, out, _ = run(capsys, "--treaties", str(treaties), "events")
    assert status == 0
    (event,) = json.loads(out)
    assert event["id"] == "cession-1813"
    assert event["kind"] == "treaty"
    assert event["signed"] == "1813-10-24"
    assert event["in_force"] == "1814-09-27"
    (transfer,) = event["transfers"]
    assert (transfer["from"], transfer["to"]) == ("west", "east")
    assert transfer["area_km2"] == pytest.approx(6154, rel=0.01)


def test_borders_writes_geojson(treaties, tmp_path, capsys):
    out_file = tmp_path / "b.geojson"
    status, _, _ = run(
        capsys,
        "--treaties",
        str(treaties),
        "borders",
        "--date",
        "1813-10-24",
        "--out",
        str(out_file),
    )
    assert status == 0
    features = json.loads(out_file.read_text())["features"]
    by_polity = {f["properties"]["polity"]: shapely.geometry.shape(f["geometry"]) for f in features}
    assert by_polity["west"].area == pytest.approx(0.5)
    assert by_polity["east"].area == pytest.approx(1.5)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["where", "--lon", "45", "--lat", "40", "--date", "1813-02-30"], "not a real date"),
        (["where", "--lon", "500", "--lat", "40", "--date", "1813-02-03"], "out of range"),
        (["where", "--lon", "45", "--lat", "-91", "--date", "1813-02-03"], "out of range"),
        (["where", "--lon", "x", "--lat", "40", "--date", "1813-02-03"], "not a number"),
        (["where", "--lon", "0.5", "--date", "1813-02-03"], "give both --lon and --lat"),
        (["where", "--lon", "0.5", "--lat", "0.5"], "--date YYYY-MM-DD is required"),
        (["events", "--pack", "atlantis"], "unknown pack 'atlantis' (available: tiny)"),
        (["borders", "--date", "1700-01-01"], "before the pack's baseline date"),
        (["borders"], "the following arguments are required: --date"),
        (["borders", "--date", "2999-01-01"], "after the last date the pack is complete for"),
        (
            ["export", "gif", "--from", "1800", "--to", "1810", "--every", "0", "--out", "x.gif"],
            "0 must be 1 or more",
        ),
        (["fly"], "invalid choice: 'fly'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(treaties, capsys, args, message):
    status, out, err = run(capsys, "--treaties", str(treaties), *args)
    assert status == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert message in err


def test_bad_csv_row_names_the_line(treaties, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("0.5,0.5,1900-01-01\n0.5,0.5,1900-13-01\n"))
    status, out, err = run(capsys, "--treaties", str(treaties), "where")
    assert status == 2
    assert len(out.splitlines()) == 1
    assert "stdin line 2" in err
    assert "not a real date" in err


def test_module_entry_point_runs_without_traceback(treaties):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "--treaties",
            str(treaties),
            "where",
            "--lon",
            "0.5",
            "--lat",
            "0.5",
            "--date",
            "1813-02-30",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr


def test_unreadable_csv_gives_one_line_not_a_traceback(treaties, capsys, monkeypatch):
    too_long = "0.5," + "9" * 200_000 + ",1900-01-01\n"  # over the csv module's field limit
    monkeypatch.setattr(sys, "stdin", io.StringIO("0.5,0.5,1900-01-01\n" + too_long))
    status, out, err = run(capsys, "--treaties", str(treaties), "where")
    assert status == 2
    assert len(out.splitlines()) == 1
    assert err.startswith("error: stdin line 2: unreadable CSV")


def test_json_keys_keep_their_documented_order(treaties, capsys):
    where = ["--treaties", str(treaties), "where", "--date", "1900-01-01", "--lat", "0.25"]
    _, out, _ = run(capsys, *where, "--lon", "0.5")
    answer = json.loads(out)
    assert list(answer) == ["pack", "date", "lon", "lat", "polity", "since", "history"]
    assert list(answer["history"][1]) == ["polity", "from", "to", "event", "event_name"]
    assert answer["history"][1]["event_name"] == "Event of 1813-10-24"
    _, out, _ = run(capsys, *where, "--lon", "9")
    assert list(json.loads(out)) == ["pack", "date", "lon", "lat", "polity", "history", "note"]
    _, out, _ = run(capsys, "--treaties", str(treaties), "events")
    (event,) = json.loads(out)
    assert list(event) == [
        "id",
        "name",
        "kind",
        "effective",
        "signed",
        "date",
        "in_force",
        "transfers",
        "successions",
        "sources",
    ]
    assert list(event["transfers"][0]) == [
        "id",
        "name",
        "from",
        "to",
        "mode",
        "area_km2",
        "precision",
    ]


def test_a_point_just_off_the_land_gets_the_nearest_lands_answer_and_says_so(treaties, capsys):
    lat = 1.0 + degrees_of_latitude(1.0, 1200)  # 1.2 km north of the grid's northern edge
    where = ["--treaties", str(treaties), "where", "--lon", "0.5", "--date", "1900-01-01"]
    _, out, _ = run(capsys, *where, "--lat", str(lat))
    answer = json.loads(out)
    assert list(answer) == [
        "pack",
        "date",
        "lon",
        "lat",
        "polity",
        "since",
        "history",
        "snapped_km",
        "note",
    ]
    assert answer["polity"] == {"id": "west", "name": "West"}
    assert answer["snapped_km"] == round(meridian_arc_m(1.0, lat) / 1000, 1)
    assert "the nearest land, 1.2 km away" in answer["note"]
    _, out, _ = run(capsys, *where, "--lat", "0.99")
    on_land = json.loads(out)
    assert "snapped_km" not in on_land
    assert "note" not in on_land
    assert on_land["history"] == answer["history"]


def test_a_vassal_answer_names_its_sovereign_after_its_holder(treaties, capsys):
    polities = treaties / "tiny" / "polities.toml"
    polities.write_text(
        polities.read_text().replace(
            "[east]",
            '[[west.suzerain]]\npolity = "east"\nstatus = "vassal"\nfrom = 1805-05-14\n\n[east]',
        )
    )
    args = ["--treaties", str(treaties), "where", "--lon", "0.5", "--lat", "0.75"]
    _, out, _ = run(capsys, *args, "--date", "1810-01-01")
    answer = json.loads(out)
    assert list(answer)[4:7] == ["polity", "sovereign", "status"]
    assert (answer["sovereign"], answer["status"]) == ({"id": "east", "name": "East"}, "vassal")
    assert [h["from"] for h in answer["history"]] == ["1800-01-01", "1805-05-14"]
    assert "sovereign" not in answer["history"][0]
    assert answer["history"][1]["sovereign"] == {"id": "east", "name": "East"}


def test_borders_are_the_same_bytes_whatever_the_hash_seed(tmp_path):
    # Polity ids are strings, whose set order changes with PYTHONHASHSEED.
    folder = tmp_path / "treaties"
    syn.random_world(folder / "grid", n_polities=16, n_events=6)
    command = [sys.executable, "-m", "geo", "--treaties", str(folder), "borders"]
    outputs = set()
    for seed in ("1", "2"):
        result = subprocess.run(
            [*command, "--date", "1800-02-01"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(result.stdout)
    assert len(outputs) == 1
    assert outputs.pop().count('"polity"') == 16
