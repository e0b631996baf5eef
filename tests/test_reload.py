"""Packs edited, broken, added or removed while the app runs: the page follows what is on disk,
keeps the last valid version of a pack that broke, and never loses the other packs."""

from __future__ import annotations

import shutil
import statistics
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import mapdata, packs
from geo.catalog import TREATIES, folder_signature, load_pack, pack_signatures
from tests.conftest import tiny_world, two_state_world
from tests.test_app import map_args, run, texts


@pytest.fixture
def treaties(tmp_path, monkeypatch):
    folder = tmp_path / "treaties"
    tiny_world(folder / "tiny", title="Tiny pack")
    two_state_world(folder / "other", title="Other pack")
    monkeypatch.setenv("TREATY_MAP_TREATIES", str(folder))
    monkeypatch.setattr(mapdata, "STATIC", tmp_path / "static")
    return folder


def sidebar_warnings(at: AppTest) -> list[str]:
    return [w.value for w in at.sidebar.warning]


def published(static) -> list[str]:
    return sorted(p.name for p in (static / "cache").iterdir())


# The change detector


def test_a_folder_signature_changes_with_every_kind_of_edit_and_only_then(tmp_path):
    pack = tiny_world(tmp_path / "tiny")
    first = folder_signature(pack)
    (pack / "pack.toml").read_text()
    assert folder_signature(pack) == first  # reading is not a change
    assert {name for name, _, _ in first} >= {"pack.toml", "events/cession-1813.toml"}

    (pack / "pack.toml").write_text((pack / "pack.toml").read_text() + "\n# note\n")
    edited = folder_signature(pack)
    assert edited != first
    (pack / "events" / "new.toml").write_text("")
    added = folder_signature(pack)
    assert added != edited
    (pack / "events" / "new.toml").rename(pack / "events" / "renamed.toml")
    renamed = folder_signature(pack)
    assert renamed != added
    (pack / "events" / "renamed.toml").unlink()
    assert folder_signature(pack) == edited
    shutil.rmtree(pack)
    assert folder_signature(pack) == ()


def test_pack_signatures_name_every_pack_folder_and_skip_templates(tmp_path):
    tiny_world(tmp_path / "tiny")
    tiny_world(tmp_path / "_template")
    (tmp_path / "notes.txt").write_text("not a pack")
    assert list(pack_signatures(tmp_path)) == ["tiny"]
    assert pack_signatures(tmp_path / "missing") == {}


def test_checking_the_bundled_packs_for_changes_costs_well_under_5_ms():
    packs.refresh(str(TREATIES))  # the first call loads them
    times = []
    for _ in range(30):
        start = time.perf_counter()
        packs.refresh(str(TREATIES))
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.005


def test_refresh_reloads_only_the_changed_pack_and_keeps_the_last_valid_one(treaties):
    root = str(treaties)
    first = packs.refresh(root)
    assert packs.refresh(root) is first  # nothing changed: nothing is loaded again
    tiny_world(treaties / "tiny", title="Tiny pack, edited")
    edited = packs.refresh(root)
    assert edited.catalog.packs["tiny"].meta["title"] == "Tiny pack, edited"
    assert edited.catalog.packs["other"] is first.catalog.packs["other"]
    assert edited.keys["tiny"] != first.keys["tiny"]
    assert packs.changed(first, edited, "tiny")
    assert not packs.changed(first, edited, "other")

    (treaties / "tiny" / "pack.toml").write_text("title = \n")
    broken = packs.refresh(root)
    assert broken.catalog.packs["tiny"] is edited.catalog.packs["tiny"]
    assert "tiny/pack.toml" in str(broken.stale["tiny"][0])
    assert not packs.changed(edited, broken, "tiny")  # still the same version shown
    [notice] = packs.stale_notices(broken)
    assert notice.startswith("Pack “tiny” changed on disk but is now invalid: ")
    assert "still showing the version loaded at" in notice.lower()

    tiny_world(treaties / "tiny", title="Tiny pack, mended")
    mended = packs.refresh(root)
    assert mended.stale == {}
    assert mended.catalog.packs["tiny"].meta["title"] == "Tiny pack, mended"


def test_the_map_follows_the_reloaded_pack_and_its_old_data_file_is_removed(treaties):
    root = str(treaties)
    packs.refresh(root)
    old = packs.map_parts(root, "tiny")
    assert packs.map_parts(root, "tiny") is old
    [old_file] = [n for n in published(treaties.parent / "static") if n.startswith("tiny-map")]
    tiny_world(treaties / "tiny", title="Tiny pack, edited")
    new = packs.refresh(root)
    parts = packs.map_parts(root, "tiny")
    assert parts != old
    assert f"tiny-map-{new.keys['tiny']}.json" in parts["script"]
    assert old_file not in published(treaties.parent / "static")


# The page


def test_an_edited_title_and_event_show_on_the_next_run(treaties):
    at = run({"pack": "tiny"})
    assert at.title[0].value == "Tiny pack"
    before = map_args(at)["parts"]
    tiny_world(treaties / "tiny", title="Tiny pack, renamed")
    text = (treaties / "tiny" / "events" / "cession-1813.toml").read_text()
    (treaties / "tiny" / "events" / "cession-1813.toml").write_text(
        text.replace('en = "Event of 1813-10-24"', 'en = "Treaty of the Edit"')
    )
    at.run()
    assert not at.exception
    assert at.title[0].value == "Tiny pack, renamed"
    assert "1813 · Treaty of the Edit" in at.selectbox(key="event_choice").options
    assert map_args(at)["parts"] != before  # the map's data follows the edit too


def test_a_pack_broken_mid_run_keeps_its_last_valid_version_with_a_warning(treaties):
    at = run({"pack": "tiny", "event": "cession-1813"})
    parts = map_args(at)["parts"]
    (treaties / "tiny" / "pack.toml").write_text("title = \n")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Tiny pack"
    assert r"after the Event of 1813\-10\-24" in texts(at)
    assert map_args(at)["parts"] == parts
    [warning] = [w for w in sidebar_warnings(at) if "changed on disk" in w]
    assert "Pack “tiny” changed on disk but is now invalid: treaties/tiny/pack\\.toml" in warning
    assert "Still showing the version loaded at" in warning
    assert at.sidebar.selectbox(key="pack").options == ["Other pack", "Tiny pack"]
    at.sidebar.selectbox(key="pack").set_value("other").run()
    assert not at.exception
    assert at.title[0].value == "Other pack"


def test_a_pack_folder_added_while_running_appears_in_the_picker(treaties):
    at = run()
    assert at.sidebar.selectbox(key="pack").options == ["Other pack", "Tiny pack"]
    tiny_world(treaties / "added", title="Added pack")
    (treaties / "bad").mkdir()
    (treaties / "bad" / "pack.toml").write_text("title = \n")
    at.run()
    assert not at.exception
    assert at.sidebar.selectbox(key="pack").options == ["Added pack", "Other pack", "Tiny pack"]
    assert any("“bad” was skipped" in w for w in sidebar_warnings(at))
    at.sidebar.selectbox(key="pack").set_value("added").run()
    assert at.title[0].value == "Added pack"


def test_removing_the_pack_a_session_views_falls_back_with_a_notice(treaties):
    at = run({"pack": "other", "date": "1850-06-01"})
    assert at.title[0].value == "Other pack"
    shutil.rmtree(treaties / "other")
    at.run()
    assert not at.exception
    assert any("Pack “other” is no longer in the treaties folder" in w.value for w in at.warning)
    assert at.title[0].value == "Tiny pack"
    assert at.sidebar.selectbox(key="pack").options == ["Tiny pack"]
    assert at.query_params["pack"] == "tiny"
    at.run()  # the notice is said once
    assert not any("no longer in the treaties folder" in w.value for w in at.warning)


def test_an_event_removed_from_the_viewed_pack_is_unselected_with_a_notice(treaties):
    at = run({"pack": "tiny", "event": "cession-1813"})
    for path in (treaties / "tiny" / "events").iterdir():
        path.unlink()
    at.run()
    assert not at.exception
    assert any(
        "Pack “tiny” changed on disk" in w.value and "not in this pack" in w.value
        for w in at.warning
    )
    assert at.selectbox(key="event_choice").value == "— none —"
    assert "event" not in at.query_params


def test_sessions_refreshing_at_once_load_a_changed_pack_once(treaties, monkeypatch):
    root = str(treaties)
    packs.refresh(root)
    loads = []

    def slow_load(pack_dir):
        loads.append(pack_dir.name)
        time.sleep(0.05)  # long enough for every other session to arrive meanwhile
        return load_pack(pack_dir)

    monkeypatch.setattr(packs, "load_pack", slow_load)
    tiny_world(treaties / "tiny", title="Tiny pack, edited")
    with ThreadPoolExecutor(max_workers=6) as pool:
        seen = list(pool.map(lambda _: packs.refresh(root), range(6)))
    assert loads == ["tiny"]
    assert all(version is seen[0] for version in seen)
    assert seen[0].catalog.packs["tiny"].meta["title"] == "Tiny pack, edited"


def test_a_pack_edited_while_it_is_read_is_read_again(treaties, monkeypatch):
    root = str(treaties)
    packs.refresh(root)
    calls = []

    def load_then_edit(pack_dir):
        loaded = load_pack(pack_dir)
        if not calls:  # someone saves again while the first read is under way
            tiny_world(treaties / "tiny", title="Tiny pack, saved twice")
        calls.append(pack_dir.name)
        return loaded

    monkeypatch.setattr(packs, "load_pack", load_then_edit)
    tiny_world(treaties / "tiny", title="Tiny pack, saved once")
    version = packs.refresh(root)
    assert calls == ["tiny", "tiny"]
    pack = version.catalog.packs["tiny"]
    assert pack.meta["title"] == "Tiny pack, saved twice"
    assert version.keys["tiny"] == mapdata.content_key(pack)
    assert packs.refresh(root) is version  # what was read is what is on disk now


def test_a_folder_still_being_written_is_not_a_new_version(treaties, monkeypatch):
    root = str(treaties)
    first = packs.refresh(root)
    read = packs._read
    monkeypatch.setattr(packs, "_read", lambda _pack_dir: None)  # it keeps changing under us
    tiny_world(treaties / "tiny", title="Tiny pack, half written")
    assert packs.refresh(root) is first  # no new version: open pages do not rerun for nothing
    monkeypatch.setattr(packs, "_read", read)  # the writing is done: the next run loads it
    assert packs.refresh(root).catalog.packs["tiny"].meta["title"] == "Tiny pack, half written"
