"""Publishing the map data for the app: once per content, old copies removed, reused across
restarts without encoding the pack again."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard import mapdata
from geo.catalog import load_pack
from tests.conftest import cession_1813, two_state_world


def cache_files(static: Path) -> list[str]:
    return sorted(p.name for p in (static / "cache").iterdir())


def test_published_json_is_written_once_per_content(tmp_path):
    url = mapdata.publish_json({"a": [1, 2]}, "tiny-map", tmp_path)
    path = tmp_path / "cache" / url.rsplit("/", 1)[1]
    before = path.stat()
    assert mapdata.publish_json({"a": [1, 2]}, "tiny-map", tmp_path) == url
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert cache_files(tmp_path) == [path.name]
    assert path.read_text(encoding="utf-8") == '{"a":[1,2]}'


def test_publishing_new_content_removes_the_old_copies_of_that_stem_only(tmp_path):
    old = mapdata.publish_json({"year": 1828}, "tiny-map", tmp_path)
    other = mapdata.publish_json({"year": 1828}, "tiny", tmp_path)
    longer = mapdata.publish_json({"year": 1828}, "tiny-map-extra", tmp_path)
    (tmp_path / "cache" / "notes.json").write_text("{}", encoding="utf-8")
    new = mapdata.publish_json({"year": 1829}, "tiny-map", tmp_path)
    assert new != old
    names = [url.rsplit("/", 1)[1] for url in (new, other, longer)]
    assert cache_files(tmp_path) == sorted([*names, "notes.json"])
    assert re.fullmatch(r"tiny-map-[0-9a-f]{16}\.json", names[0])


def test_published_json_leaves_no_temporary_files(tmp_path):
    for year in range(1800, 1805):
        mapdata.publish_json({"year": year}, "tiny-map", tmp_path)
    assert len(cache_files(tmp_path)) == 1
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")]


def test_a_restart_reuses_the_published_map_data_without_encoding_it(tmp_path, monkeypatch):
    pack, _ = load_pack(two_state_world(tmp_path / "treaties" / "tiny", {"c": cession_1813()}))
    url = mapdata.publish(pack, tmp_path)

    def fail(_pack):
        raise AssertionError("the pack was encoded again")

    monkeypatch.setattr(mapdata.topology, "map_data", fail)
    assert mapdata.publish(pack, tmp_path) == url


def test_an_edited_pack_gets_a_new_file_and_the_old_one_goes(tmp_path):
    folder = two_state_world(tmp_path / "treaties" / "tiny", {"c": cession_1813()})
    pack, _ = load_pack(folder)
    old = mapdata.publish(pack, tmp_path)
    toml = folder / "pack.toml"
    toml.write_text(toml.read_text() + "\n# an edit\n")
    pack, _ = load_pack(folder)
    new = mapdata.publish(pack, tmp_path)
    assert new != old
    assert cache_files(tmp_path) == [new.rsplit("/", 1)[1]]
    assert Path(tmp_path / "cache" / new.rsplit("/", 1)[1]).read_text().startswith("{")


def test_the_warm_up_prepares_what_every_session_then_shares(tmp_path, monkeypatch):
    from dashboard import packs

    root = tmp_path / "treaties"
    two_state_world(root / "tiny", {"c": cession_1813()})
    monkeypatch.setattr(mapdata, "STATIC", tmp_path / "static")
    packs.warm(str(root))
    # After the warm-up a session builds nothing: it gets what the warm-up prepared.
    assert [p.name.startswith("tiny-map-") for p in (tmp_path / "static" / "cache").iterdir()] == [
        True
    ]

    def build(*_args):
        raise AssertionError("a session built the map again")

    monkeypatch.setattr(packs, "_build_parts", build)
    parts = packs.map_parts(str(root), "tiny")
    assert packs.map_parts(str(root), "tiny") is parts  # one copy for every session
    assert set(parts) == {"header", "html", "script"}
    assert "TimeMap.attach" in parts["script"]
    assert "/app/static/cache/tiny-map-" in parts["script"]
