"""``python -m geo new``, and the walk-through in treaties/README.md followed word for word.

The walk-through is read from the README's "Add a region" and "Add one event" sections: each
``### N.`` step's ``sh`` blocks are commands to run, a block after "Create `PATH`:" is a file to
write, a block after "In `PATH`, change these lines:" replaces the lines with the same keys,
and a ``text`` block is output the commands before it must have printed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from geo import catalog, geojson, scaffold
from geo.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "treaties" / "README.md"
SECTIONS = ("Add a region", "Add one event")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", flags=re.DOTALL | re.MULTILINE)


def section(text: str, title: str) -> str:
    parts = text.split(f"\n## {title}\n", 1)
    assert len(parts) == 2, f"treaties/README.md has no section '## {title}'"
    return parts[1].split("\n## ", 1)[0]


def steps(text: str, title: str) -> list[str]:
    """The ``### N.`` steps of one section, in order."""
    found = re.split(r"^### (\d+)\. .*$", section(text, title), flags=re.MULTILINE)
    numbers, bodies = found[1::2], found[2::2]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)], f"{title}: steps {numbers}"
    return bodies


def actions(step: str) -> list[tuple[str, str, str]]:
    """(what, target, block) for each fenced block of a step, in order."""
    out = []
    for match in FENCE.finditer(step):
        lang, block = match[1], match[2]
        before = step[: match.start()].rstrip().rsplit("\n\n", 1)[-1]
        created = re.search(r"^Create `([^`]+)`.*:$", before, flags=re.DOTALL)
        changed = re.search(r"In `([^`]+)`, change these lines:$", before)
        if lang == "sh":
            out += [("run", line, "") for line in block.splitlines() if line.strip()]
        elif lang == "text":
            out.append(("expect", "", block))
        elif created:
            out.append(("create", created[1], block))
        elif changed:
            out.append(("change", changed[1], block))
        else:
            raise AssertionError(f"a {lang} block with no 'Create `PATH`:' before it:\n{block}")
    return out


def change_lines(path: Path, block: str) -> None:
    """Replace each top-level line ``key = …`` of ``path`` (above its first [table]) with the
    block's line for that key, as a person editing the file would."""
    lines = path.read_text(encoding="utf-8").splitlines()
    top = next((i for i, line in enumerate(lines) if line.startswith("[")), len(lines))
    for new in block.splitlines():
        key = new.split("=", 1)[0].strip()
        hits = [i for i, line in enumerate(lines[:top]) if line.split("=", 1)[0].strip() == key]
        assert len(hits) == 1, f"{path} has {len(hits)} lines for {key!r}, the README expects 1"
        lines[hits[0]] = new
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def follow(text: str, folder: Path, capsys) -> list[tuple[list[str], int, str, str]]:
    """Do every step of both sections in ``folder`` (the project folder of the walk-through,
    with its own treaties/); returns (command, status, stdout, stderr) per command run."""
    treaties = folder / "treaties"
    treaties.mkdir(exist_ok=True)
    ran = []
    for title in SECTIONS:
        for number, step in enumerate(steps(text, title), start=1):
            printed = ""
            for what, target, block in actions(step):
                where = f"{title}, step {number}"
                if what == "run":
                    words = shlex.split(target)
                    assert words[:3] == ["python", "-m", "geo"], f"{where}: {target}"
                    status = main(["--treaties", str(treaties), *words[3:]])
                    captured = capsys.readouterr()
                    assert status == 0, f"{where}: {target} -> {status}: {captured}"
                    ran.append((words[3:], status, captured.out, captured.err))
                    printed += captured.out + captured.err
                elif what == "expect":
                    for line in block.splitlines():
                        assert line in printed.splitlines(), f"{where}: no line {line!r}"
                elif what == "create":
                    path = folder / target
                    assert not path.exists(), f"{where}: {target} exists already"
                    if path.suffix == ".geojson":  # as the data tests ask of committed files
                        assert geojson.is_canonical(block), f"{where}: {target} is not canonical"
                    path.write_text(block, encoding="utf-8")
                else:
                    change_lines(folder / target, block)
    return ran


REAL_TREATIES = catalog.TREATIES


@pytest.fixture(autouse=True)
def elsewhere(tmp_path, monkeypatch):
    """Point the default treaties folder away from the real one, so that a test whose
    ``--treaties`` went unread cannot leave a pack there (the data tests read every pack)."""
    monkeypatch.setattr(catalog, "TREATIES", tmp_path / "default-treaties")


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project folder as the working directory; the real treaties/ must not change."""
    before = sorted(p.name for p in REAL_TREATIES.iterdir())
    monkeypatch.chdir(tmp_path)
    yield tmp_path
    assert sorted(p.name for p in REAL_TREATIES.iterdir()) == before


def test_the_readme_walk_through_works_word_for_word(project, capsys):
    text = README.read_text(encoding="utf-8")
    for title in SECTIONS:
        assert len(steps(text, title)) == 2, f"{title}: a historian gets two steps"
    ran = follow(text, project, capsys)

    commands = [words[0] for words, *_ in ran]
    assert commands[0] == "new"
    pack_id = ran[0][0][1]
    assert {"validate", "where", "events"} <= set(commands)
    events = [json.loads(out) for words, _, out, _ in ran if words[0] == "events"]
    first_step = actions(steps(text, "Add one event")[0])
    (created,) = [Path(target) for _, target, _ in first_step if target.endswith(".toml")]
    event = tomllib.loads((project / created).read_text(encoding="utf-8"))
    listed = {e["id"]: e for e in events[-1]}
    assert created.stem in listed
    assert scaffold.EVENT_ID in listed
    assert listed[created.stem]["transfers"][0]["area_km2"] > 0
    last_where = json.loads([out for words, _, out, _ in ran if words[0] == "where"][-1])
    assert last_where["pack"] == pack_id
    assert last_where["polity"]["id"] == event["transfers"][0]["to"]
    assert last_where["since"] == {"date": str(event["signed"]), "event": created.stem}
    pack_toml = tomllib.loads((project / "treaties" / pack_id / "pack.toml").read_text("utf-8"))
    changed = [b for w, _, b in actions(steps(text, "Add a region")[1]) if w == "change"]
    assert pack_toml | tomllib.loads(changed[0]) == pack_toml  # the edit is in the pack


def test_the_readmes_example_of_a_problem_is_what_validate_prints(project, capsys):
    """Step 2 of "Add a region" quotes a problem line: making that mistake prints it."""
    step = steps(README.read_text(encoding="utf-8"), "Add a region")[1]
    quoted = re.search(r"\(for example `([^`]+)`\)", step, flags=re.DOTALL)[1]
    quoted = " ".join(quoted.split())
    path, field, value = re.match(r"(\S+): (\w+): '([^']*)' is not valid", quoted).groups()
    (project / "treaties").mkdir()
    assert main(["--treaties", "treaties", "new", path.split("/")[1]]) == 0
    change_lines(project / path, f'{field} = "{value}"')
    capsys.readouterr()
    assert main(["validate", str(Path(path).parent)]) == 1
    assert capsys.readouterr().out.splitlines() == [quoted]


@pytest.mark.parametrize(
    ("readme_change", "code_change", "failure"),
    [
        # the README cites a source the new pack does not have
        (('sources = ["example-source"]', 'sources = ["a-source"]'), None, "validate .* -> 1"),
        # the README expects a different answer from validate
        (("(2 events, 2 polities)", "(2 events, 3 polities)"), None, "no line"),
        # the code names its example source otherwise than the README's event cites it
        (None, "source-id", "validate .* -> 1"),
        # the code writes pack.toml without a line the README asks to change
        (None, "end_date", "0 lines for 'end_date'"),
    ],
    ids=["readme-source", "readme-output", "code-source-id", "code-end-date"],
)
def test_the_walk_through_fails_when_the_readme_and_the_code_disagree(
    project, capsys, monkeypatch, readme_change, code_change, failure
):
    text = README.read_text(encoding="utf-8")
    if readme_change:
        old, new = readme_change
        assert old in text
        text = text.replace(old, new)
    if code_change == "source-id":
        monkeypatch.setattr(scaffold, "SOURCE_ID", "another-source")
    if code_change == "end_date":
        meta = scaffold._pack_meta()
        del meta["end_date"]
        monkeypatch.setattr(scaffold, "_pack_meta", lambda: meta)
    with pytest.raises(AssertionError, match=failure):
        follow(text, project, capsys)


def test_a_new_pack_validates_and_has_every_file(tmp_path, capsys):
    assert main(["--treaties", str(tmp_path), "new", "lower-danube"]) == 0
    folder = tmp_path / "lower-danube"
    assert capsys.readouterr().out.startswith(f"wrote {folder}")
    assert sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) == [
        "base/region.toml",
        "baseline.geojson",
        f"events/{scaffold.EVENT_ID}.geojson",
        f"events/{scaffold.EVENT_ID}.toml",
        "pack.toml",
        "polities.toml",
    ]
    pack, problems = catalog.load_pack(folder)
    assert problems == []
    assert len(pack.polities) == 2
    assert len(pack.events) == 1
    assert pack.events[0].transfers
    for path in folder.rglob("*.geojson"):
        assert geojson.is_canonical(path.read_text(encoding="utf-8")), path
    # the two example polygons share an edge: one piece of land, no gap, no overlap
    north, south = pack.baseline.geometry
    assert north.intersection(south).length > 0
    assert north.intersection(south).area == 0
    meta = pack.meta
    assert meta["scope"]["description"]
    assert meta["scope"]["limitations"]
    assert meta["baseline_precision"] in ("precise", "moderate", "approximate")
    assert meta["baseline_date"] < meta["end_date"]
    assert all(source["kind"] for source in meta["sources"].values())


def test_new_takes_the_treaties_folder_after_the_id_too(tmp_path):
    assert main(["new", "after-id", "--treaties", str(tmp_path)]) == 0
    assert (tmp_path / "after-id" / "pack.toml").is_file()


def builder():
    spec = importlib.util.spec_from_file_location("build_base", ROOT / "scripts" / "build_base.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_region_file_is_one_build_base_can_cut(tmp_path):
    """scripts/build_base.py reads the new region.toml and cuts its units and places by it."""
    main(["--treaties", str(tmp_path), "new", "danube"])
    build = builder()
    region = build.load_region(tmp_path / "danube")
    assert region["name"] == "danube"
    lon0, lat0, lon1, lat1 = region["bbox"]
    assert -180 <= lon0 < lon1 <= 180
    assert -90 <= lat0 < lat1 <= 90
    assert set(region["admin1"]["countries"]) <= set(region["admin0"]["iso_numeric"])
    assert all(re.fullmatch(r"\d{3}", n) for n in region["admin0"]["iso_numeric"].values())
    baseline = gpd.read_file(tmp_path / "danube" / "baseline.geojson")
    assert shapely.box(*region["bbox"]).contains(baseline.union_all())

    src = tmp_path / "src"
    units = gpd.GeoDataFrame(  # one unit in each listed country, one elsewhere, one far away
        {
            "adm1_code": ["BGR-1", "ROU-1", "SRB-1", "BGR-2"],
            "iso_3166_2": ["BG-1", "RO-1", "RS-1", "BG-2"],
            "adm0_a3": ["BGR", "ROU", "SRB", "BGR"],
            "name_en": ["South unit", "North unit", "Elsewhere", "Far"],
            "name_ru": [None] * 4,
            "name_fa": [None] * 4,
            "type_en": ["Province"] * 4,
            "wikidataid": [None] * 4,
        },
        geometry=[
            shapely.box(lon0 - 1, lat0, lon1, (lat0 + lat1) / 2),
            shapely.box(lon0, (lat0 + lat1) / 2, lon1, lat1),
            shapely.box(lon0, lat0, lon1, lat1),
            shapely.box(lon1 + 5, lat1 + 5, lon1 + 6, lat1 + 6),
        ],
        crs=4326,
    )
    (src / build.ADMIN1).parent.mkdir(parents=True)
    units.to_file(src / build.ADMIN1, driver="GeoJSON")
    cut = build.admin1_features(src, region)
    assert sorted(p["unit"] for p, _ in cut) == ["BGR-1", "ROU-1"]
    assert all(shapely.box(*region["bbox"]).contains(g) for _, g in cut)
    assert build.finish_places([], region["places"]["key"]) == []


def test_the_same_id_gives_the_same_bytes_in_any_process(tmp_path):
    folders = []
    for seed in ("1", "2"):
        treaties = tmp_path / seed
        treaties.mkdir()
        result = subprocess.run(
            [sys.executable, "-m", "geo", "--treaties", str(treaties), "new", "same"],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        folders.append(treaties / "same")

    def contents(folder: Path) -> dict[str, bytes]:
        files = (p for p in folder.rglob("*") if p.is_file())
        return {str(p.relative_to(folder)): p.read_bytes() for p in files}

    first, second = map(contents, folders)
    assert first == second
    assert len(first) == 6


def only_error(capsys) -> str:
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize("bad", ["Upper", "_hidden", ".dot", "-dash", "a b", "a/b", "../up", ""])
def test_a_bad_id_is_refused_in_one_line(tmp_path, capsys, bad):
    assert main(["--treaties", str(tmp_path), "new", "--", bad]) == 2
    assert "is not valid" in only_error(capsys)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_never_overwritten(tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    assert main(["--treaties", str(tmp_path), "new", "taken"]) == 2
    assert "already exists" in only_error(capsys)
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]


def test_a_missing_treaties_folder_is_refused(tmp_path, capsys):
    (tmp_path / "file").write_text("")
    for where in (tmp_path / "nowhere", tmp_path / "file"):
        assert main(["--treaties", str(where), "new", "x"]) == 2
        assert "no such folder" in only_error(capsys)
    assert not (tmp_path / "nowhere").exists()


def test_a_failed_write_says_so_in_one_line_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    real = Path.write_text

    def refuse_region(self, *args, **kwargs):
        if self.name == "region.toml":  # the last file: the others are written by then
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", refuse_region)
    assert main(["--treaties", str(tmp_path), "new", "half"]) == 2
    line = only_error(capsys)
    assert "cannot write" in line
    assert "Permission denied" in line
    assert list(tmp_path.iterdir()) == []  # neither the pack nor its hidden draft


def test_an_unwritable_treaties_folder_is_refused(tmp_path, capsys, monkeypatch):
    def refuse(**_):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(scaffold.tempfile, "mkdtemp", refuse)
    assert main(["--treaties", str(tmp_path), "new", "x"]) == 2
    assert "Permission denied" in only_error(capsys)
    assert list(tmp_path.iterdir()) == []
