"""Same input, same bytes: answers, exports and map data do not depend on the hash seed, on
random element names or on the time the files were written."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from geo import export

ROOT = Path(__file__).resolve().parent.parent

# Runs the command line in one process per hash seed; the catalog is loaded once per process
# (every command would load the same files again) and each command's output goes to a file.
DRIVER = """
import contextlib, functools, io, json, sys
from pathlib import Path
from geo import catalog, cli, render

out = Path(sys.argv[1])
catalog.load_catalog = functools.cache(catalog.load_catalog)
points = "lon,lat,date\\n44.51,40.18,1830-01-01\\n46.29,38.08,1830-01-01\\n"
points += "49.87,40.41,1900-01-01\\n58.38,37.95,1990-01-01\\n43.0,41.7,1812-06-01\\n"
printed = {
    "borders-1830.json": (["borders", "--date", "1830-01-01"], ""),
    "borders-1921.json": (["borders", "--date", "1921-03-16"], ""),
    "events.json": (["events"], ""),
    "where-one.json": (["where", "--lon", "44.51", "--lat", "40.18", "--date", "1830-01-01"], ""),
    "where-many.jsonl": (["where"], points),
}
for name, (args, stdin) in printed.items():
    sys.stdin, text = io.StringIO(stdin), io.StringIO()
    with contextlib.redirect_stdout(text):
        assert cli.main(args) == 0, args
    (out / name).write_text(text.getvalue(), encoding="utf-8")
written = [
    ["data", "--out", str(out / "data")],
    ["html", "--out", str(out / "page.html")],
    ["html", "--event", "turkmenchay-1828", "--out", str(out / "turkmenchay.html")],
    ["png", "--event", "turkmenchay-1828", "--date", "1828-02-22", "--out", str(out / "map.png")],
    ["gif", "--from", "1828", "--to", "1828", "--out", str(out / "1828.gif")],
    ["mp4", "--from", "1828", "--to", "1828", "--out", str(out / "1828.mp4")],
    ["lesson", "lessons/south-caucasus-1801-1828.toml", "--out", str(out / "lesson.html")],
]
for args in written:
    assert cli.main(["export", *args]) == 0, args
pack = catalog.load_catalog(catalog.TREATIES).pack()
map_data = json.dumps(render.map_data(pack), ensure_ascii=False, separators=(",", ":"))
(out / "map-data.json").write_text(map_data, encoding="utf-8")
"""


def run_under_seed(seed: str, out: Path) -> dict[str, bytes]:
    out.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file()
    }


def test_cli_answers_and_exports_do_not_depend_on_the_hash_seed(tmp_path):
    first = run_under_seed("1", tmp_path / "seed-1")
    second = run_under_seed("2", tmp_path / "seed-2")
    assert sorted(first) == sorted(second)
    assert "data/events.csv" in first
    assert "map.png" in first
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_data_zip_does_not_depend_on_when_its_files_were_written(pack, monkeypatch):
    first = export.data_zip(pack)
    write_data = export.data

    def written_later(pack, out_dir):
        paths = write_data(pack, out_dir)
        for path in paths:
            os.utime(path, (1_700_000_000, 1_700_000_000))  # as if written in November 2023
            path.chmod(0o600)
        return paths

    monkeypatch.setattr(export, "data", written_later)
    assert export.data_zip(pack) == first


def test_data_zip_holds_the_data_files(pack, tmp_path):
    expected = {p.name: p.read_bytes() for p in export.data(pack, tmp_path)}
    archive = tmp_path / "data.zip"
    archive.write_bytes(export.data_zip(pack))
    with zipfile.ZipFile(archive) as opened:
        assert opened.testzip() is None
        assert {name: opened.read(name) for name in opened.namelist()} == expected
