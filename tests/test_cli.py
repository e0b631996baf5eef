"""The command line: JSON answers, GeoJSON borders, CSV batches and one-line errors."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from geo.cli import main
from tests.conftest import cession_1813, two_state_world

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
