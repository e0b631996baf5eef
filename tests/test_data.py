"""Data tests over every pack file: valid, canonical, built from its recipes, documented."""

from __future__ import annotations

import re
import tomllib
import urllib.parse

import pytest

from geo import geojson, recipes, schema
from geo.catalog import TREATIES, load_pack, pack_dirs

PACKS = pack_dirs(TREATIES)
GEOJSON_FILES = sorted(p for d in PACKS for p in d.rglob("*.geojson"))
TOML_FILES = sorted(p for d in PACKS for p in d.rglob("*.toml"))
MAX_BYTES = 3 * 1024 * 1024


def test_there_is_at_least_one_pack():
    assert "russia-iran" in [p.name for p in PACKS]


@pytest.mark.parametrize("pack_dir", PACKS, ids=[p.name for p in PACKS])
def test_pack_validates(pack_dir):
    pack, problems = load_pack(pack_dir)
    assert [str(p) for p in problems] == []
    assert pack.events


@pytest.mark.parametrize(
    "path", GEOJSON_FILES, ids=[str(p.relative_to(TREATIES)) for p in GEOJSON_FILES]
)
def test_geojson_is_canonical_and_small(path):
    text = path.read_text(encoding="utf-8")
    assert path.stat().st_size < MAX_BYTES
    assert geojson.is_canonical(text), f"rewrite {path} with geo.geojson.write"


@pytest.mark.parametrize("path", TOML_FILES, ids=[str(p.relative_to(TREATIES)) for p in TOML_FILES])
def test_toml_parses(path):
    assert isinstance(tomllib.loads(path.read_text(encoding="utf-8")), dict)


@pytest.mark.parametrize(
    "pack_dir",
    [p for p in PACKS if (p / "base" / "baseline-units.toml").exists()],
    ids=lambda p: p.name,
)
def test_committed_polygons_equal_their_recipes(pack_dir):
    stale = [
        str(path)
        for path, text in recipes.build(pack_dir).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    assert stale == [], "run: python scripts/build_geometry.py " + str(pack_dir)


@pytest.mark.parametrize("pack_dir", PACKS, ids=[p.name for p in PACKS])
def test_every_event_and_transfer_cites_its_sources(pack_dir):
    pack, _ = load_pack(pack_dir)
    for event in pack.events:
        assert event.record["sources"], event.id
        for transfer in event.transfers:
            assert transfer.method.strip(), (event.id, transfer.id)
            assert transfer.modern_units, (event.id, transfer.id)
            if transfer.units:
                assert transfer.precision == "approximate" or "survey" in transfer.method, (
                    f"{event.id}/{transfer.id}: a border built from modern units is approximate"
                )


def test_every_schema_field_is_documented():
    readme = (TREATIES / "README.md").read_text(encoding="utf-8")
    for title, fields in schema.FIELDS.items():
        section = readme.split(f"### `{title}`", 1)
        assert len(section) == 2, f"README lacks a section for {title}"
        body = section[1].split("\n### ", 1)[0]
        for spec in fields:
            assert re.search(rf"^\| `{re.escape(spec.name)}` \|", body, re.M), (
                f"{title}: field {spec.name} is not documented"
            )


@pytest.mark.parametrize("pack_dir", PACKS, ids=[p.name for p in PACKS])
def test_every_suzerain_period_has_an_event_or_a_source(pack_dir):
    pack, _ = load_pack(pack_dir)
    for polity in pack.polities.values():
        for period in polity.suzerain:
            assert period.get("event") or period.get("sources"), (polity.id, period["from"])


# Sources strong enough to carry an event: a Wikipedia article or a web page never is alone.
STRONG_SOURCE_KINDS = {"primary", "official", "scholarly", "encyclopedia"}
# Hosts that copy other sites (Wikipedia mirrors, document farms, scanned-book farms): a source
# there can only be a `web` access copy of a work cited properly elsewhere.
MIRROR_HOSTS = (
    "owiki.org",
    "profilbaru.com",
    "siakadpt",
    "wikimili.com",
    "studylib",
    "helpiks.org",
    "genderi.org",
    "issuhub.com",
    "wiki.x.io",
    "wikiclassic.com",
    "perceptiode.com",
    "perceptiopt.com",
    "clever-geek.imtqy.com",
    "wikipedia-on-ipfs.org",
    "wiki-org.ru",
    "piglix.com",
    "handwiki.org",
    "wikisum.wiki",
    "primidi.com",
    "refract.global.ssl.fastly.net",
    "bibliboba.online",
    "docslib.org",
    "azkurs.org",
    "kniga-online.net",
    "litbit.ru",
    "read-book-online.com",
    "xn--b1aeclack5b4j.su",
    "nina.az",
    "alchetron.com",
)


@pytest.mark.parametrize("pack_dir", PACKS, ids=[p.name for p in PACKS])
def test_mirror_hosts_are_only_web_access_copies(pack_dir):
    sources = tomllib.loads((pack_dir / "pack.toml").read_text(encoding="utf-8"))["sources"]
    wrong = []
    for source_id, source in sources.items():
        host = urllib.parse.urlsplit(source.get("url", "")).hostname or ""
        if any(m in host for m in MIRROR_HOSTS):
            is_access_copy = "access copy" in source.get("note", "").lower()
            if source.get("kind") != "web" or not is_access_copy:
                wrong.append(f"{source_id} ({host})")
    assert wrong == [], "mirror hosts must be `web` sources noted as an access copy: " + ", ".join(
        wrong
    )


def _event_source_ids(path) -> set[str]:
    """The source ids an event file cites, its transfers' included."""
    record = tomllib.loads(path.read_text(encoding="utf-8"))
    ids = set(record.get("sources", []))
    for transfer in record.get("transfers", []):
        ids |= set(transfer.get("sources", []))
    return ids


@pytest.mark.parametrize("pack_dir", PACKS, ids=[p.name for p in PACKS])
def test_every_event_rests_on_a_strong_source(pack_dir):
    sources = tomllib.loads((pack_dir / "pack.toml").read_text(encoding="utf-8"))["sources"]
    weak = {}
    for path in sorted((pack_dir / "events").glob("*.toml")):
        kinds = sorted({sources.get(i, {}).get("kind", "?") for i in _event_source_ids(path)})
        if not STRONG_SOURCE_KINDS & set(kinds):
            weak[path.stem] = kinds
    assert weak == {}, f"events with only weak sources (their kinds): {weak}"
