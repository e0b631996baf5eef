"""Bad input: every kind of broken pack gives a named, located, explained problem.

Each case breaks one thing in a valid two-state world and runs ``python -m geo validate`` in
process; the output must be one ``path: location: message`` line per problem, exit status 1,
and no traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
import shapely

from geo import geojson
from geo import synthetic as syn
from geo.cli import main
from tests.conftest import tiny_world

D = dt.date


def valid_world(tmp_path):
    return tiny_world(tmp_path / "tiny")


def replace(path, old, new):
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def event_file(folder):
    return folder / "events" / "cession-1813.toml"


def write_transfer_geometry(folder, geometry: dict) -> None:
    """Replace the transfer's polygon with raw GeoJSON (which the writer would refuse)."""
    feature = {"type": "Feature", "properties": {"transfer": "lower"}, "geometry": geometry}
    (folder / "events" / "cession-1813.geojson").write_text(
        json.dumps({"type": "FeatureCollection", "features": [feature]})
    )


def link_from_outside(folder, name: str) -> None:
    """Move a file or folder out of the pack and leave a symbolic link to it in its place."""
    outside = folder.parent / f"elsewhere-{name}"
    (folder / name).rename(outside)
    os.symlink(outside, folder / name)


def rewrite_baseline(folder, features):
    geojson.write(folder / "baseline.geojson", features)


CASES = {
    "malformed TOML": (
        lambda f: replace(f / "pack.toml", 'title = "', "title = "),
        "tiny/pack.toml",
        "line 1",
        "malformed TOML",
    ),
    "malformed JSON": (
        lambda f: (f / "baseline.geojson").write_text('{"type": "FeatureCollection",, }'),
        "tiny/baseline.geojson",
        "line 1, column 30",
        "malformed JSON",
    ),
    "GeoJSON that is not a FeatureCollection": (
        lambda f: (f / "baseline.geojson").write_text('{"type": "Point", "coordinates": [0, 0]}'),
        "tiny/baseline.geojson",
        "type",
        "expected a GeoJSON FeatureCollection",
    ),
    "empty file": (
        lambda f: (f / "polities.toml").write_text(""),
        "tiny/polities.toml",
        "file",
        "file is empty",
    ),
    "truncated file": (
        lambda f: (f / "baseline.geojson").write_text((f / "baseline.geojson").read_text()[:150]),
        "tiny/baseline.geojson",
        "line 2",
        "malformed JSON",
    ),
    "binary garbage": (
        lambda f: event_file(f).write_bytes(bytes(range(256)) * 4),
        "tiny/events/cession-1813.toml",
        "file",
        "binary",
    ),
    "not UTF-8": (
        lambda f: event_file(f).write_bytes('summary = "Gülistan"'.encode("latin-1")),
        "tiny/events/cession-1813.toml",
        "byte",
        "not UTF-8",
    ),
    "missing required file": (
        lambda f: (f / "polities.toml").unlink(),
        "tiny/polities.toml",
        "file",
        "required file is missing",
    ),
    "missing transfer geometry file": (
        lambda f: (f / "events" / "cession-1813.geojson").unlink(),
        "tiny/events/cession-1813.geojson",
        "file",
        "required file is missing",
    ),
    "missing required field": (
        lambda f: replace(event_file(f), 'summary = "Synthetic change."\n', ""),
        "tiny/events/cession-1813.toml",
        "summary",
        "required field is missing",
    ),
    "unknown field (typo)": (
        lambda f: replace(event_file(f), "summary =", "sumary ="),
        "tiny/events/cession-1813.toml",
        "sumary",
        "did you mean 'summary'",
    ),
    "impossible date": (
        lambda f: replace(event_file(f), "signed = 1813-10-24", "signed = 1813-02-30"),
        "tiny/events/cession-1813.toml",
        "line",
        "YYYY-MM-DD",
    ),
    "date written as a string": (
        lambda f: replace(event_file(f), "signed = 1813-10-24", 'signed = "24 Oct 1813"'),
        "tiny/events/cession-1813.toml",
        "signed",
        "expected a date written YYYY-MM-DD",
    ),
    "out-of-order dates": (
        lambda f: replace(
            event_file(f), "signed = 1813-10-24", "signed = 1813-10-24\nin_force = 1812-01-01"
        ),
        "tiny/events/cession-1813.toml",
        "in_force",
        "before the signature",
    ),
    "event before the baseline": (
        lambda f: event_file(f).write_text(
            event_file(f).read_text().replace("1813-10-24", "1790-01-01")
        ),
        "tiny/events/cession-1813.toml",
        "effective date",
        "before the pack's baseline_date",
    ),
    "unknown polity id": (
        lambda f: replace(event_file(f), 'to = "east"', 'to = "eastt"'),
        "tiny/events/cession-1813.toml",
        "transfers[0].to",
        "unknown polity id 'eastt'",
    ),
    "transfer from a polity to itself": (
        lambda f: replace(event_file(f), 'to = "east"', 'to = "west"'),
        "tiny/events/cession-1813.toml",
        "transfers[0]",
        "to itself",
    ),
    "transfer from a polity that does not hold the land": (
        lambda f: replace(
            event_file(f), 'from = "west"\nto = "east"', 'from = "east"\nto = "west"'
        ),
        "tiny/events/cession-1813.toml",
        "transfer 'lower'",
        "'east' did not hold 100.0% of this land on 1813-10-24 (held by: west)",
    ),
    "transfer outside the scope": (
        lambda f: geojson.write(
            f / "events" / "cession-1813.geojson",
            [({"transfer": "lower"}, shapely.box(0, -1, 1, 0.5))],
        ),
        "tiny/events/cession-1813.toml",
        "transfer 'lower'",
        "outside the pack's scope",
    ),
    "invalid geometry (bow tie)": (
        lambda f: write_transfer_geometry(
            f, {"type": "Polygon", "coordinates": [[[0, 0], [1, 0.5], [1, 0], [0, 0.5], [0, 0]]]}
        ),
        "tiny/events/cession-1813.geojson",
        "features[0].geometry",
        "Self-intersection",
    ),
    "non-polygon geometry": (
        lambda f: write_transfer_geometry(
            f, {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}
        ),
        "tiny/events/cession-1813.geojson",
        "features[0].geometry",
        "geometry type 'LineString' is not allowed",
    ),
    "coordinates out of range": (
        lambda f: replace(f / "baseline.geojson", "[1.0,0.0]", "[1.0,95.0]"),
        "tiny/baseline.geojson",
        "features[0].geometry",
        "out of range",
    ),
    "baseline with a gap": (
        lambda f: rewrite_baseline(
            f,
            [
                ({"polity": "west"}, syn.cell(0, 0)),
                ({"polity": "east"}, syn.cell(2, 0)),
                ({"polity": "east"}, syn.cell(1, 1)),
                ({"polity": "west"}, syn.cell(1, -1)),
            ],
        ),
        "tiny/baseline.geojson",
        "features",
        "gap in the baseline",
    ),
    "baseline with an overlap": (
        lambda f: rewrite_baseline(
            f,
            [({"polity": "west"}, shapely.box(0, 0, 1.5, 1)), ({"polity": "east"}, syn.cell(1, 0))],
        ),
        "tiny/baseline.geojson",
        "features[0] and features[1]",
        "baseline polygons overlap",
    ),
    "duplicate polity ids": (
        lambda f: (f / "polities.toml").write_text(
            (f / "polities.toml").read_text() + '\n[west]\nnames = { en = "W" }\n'
        ),
        "tiny/polities.toml",
        "line",
        "Cannot declare ('west',) twice",
    ),
    "duplicate transfer ids": (
        lambda f: replace(
            event_file(f),
            "[[transfers]]",
            '[[transfers]]\nid = "lower"\n'
            'from = "west"\nto = "east"\nname = "x"\nmodern_units = ["x"]\n'
            'precision = "precise"\nmethod = "x"\n\n[[transfers]]',
        ),
        "tiny/events/cession-1813.toml",
        "transfers[1].id",
        "duplicate transfer id 'lower'",
    ),
    "unknown source id": (
        lambda f: replace(event_file(f), 'sources = ["synthetic"]', 'sources = ["nowhere"]'),
        "tiny/events/cession-1813.toml",
        "sources[0]",
        "unknown source id 'nowhere'",
    ),
    "file over the size limit": (
        lambda f: event_file(f).write_text("# " + "x" * 300_000 + "\n"),
        "tiny/events/cession-1813.toml",
        "file",
        "over the limit of 262,144 bytes",
    ),
    "symbolic link to a folder outside the pack": (
        lambda f: link_from_outside(f, "events"),
        "tiny/events",
        "folder",
        "leads outside the pack",
    ),
    "source kind not among the kinds": (
        lambda f: replace(f / "pack.toml", 'kind = "web"', 'kind = "blog"'),
        "tiny/pack.toml",
        "sources.synthetic.kind",
        "'blog' is not valid; expected one of 'primary', 'official', 'scholarly', "
        "'encyclopedia', 'wikipedia', 'web'",
    ),
    "source without a kind": (
        lambda f: replace(f / "pack.toml", ', kind = "web"', ""),
        "tiny/pack.toml",
        "sources.synthetic.kind",
        "required field is missing",
    ),
    "symbolic link leading outside the pack": (
        lambda f: link_from_outside(f, "polities.toml"),
        "tiny/polities.toml",
        "file",
        "leads outside the pack",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_input_gives_a_clear_error(tmp_path, capsys, case):
    breaker, path, location, message = CASES[case]
    folder = valid_world(tmp_path)
    breaker(folder)
    status = main(["validate", str(folder)])
    out = capsys.readouterr().out
    assert status == 1
    assert "Traceback" not in out
    lines = [line for line in out.splitlines() if line.split(": ")[0].endswith(path)]
    assert any(location in line and message in line for line in lines), out


def test_valid_world_passes(tmp_path, capsys):
    status = main(["validate", str(valid_world(tmp_path))])
    assert status == 0
    assert capsys.readouterr().out == ""


def test_every_problem_is_reported_not_only_the_first(tmp_path, capsys):
    folder = valid_world(tmp_path)
    replace(event_file(folder), "summary =", "sumary =")
    replace(folder / "pack.toml", "license =", "licence =")
    assert main(["validate", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "sumary" in out
    assert "licence" in out


def test_symbolic_link_inside_the_pack_is_allowed(tmp_path, capsys):
    folder = valid_world(tmp_path)
    (folder / "polities.toml").rename(folder / "polities-real.toml")
    os.symlink(folder / "polities-real.toml", folder / "polities.toml")
    assert main(["validate", str(folder)]) == 0, capsys.readouterr().out
