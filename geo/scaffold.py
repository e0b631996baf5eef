"""A new pack folder holding a small valid example to edit: ``python -m geo new PACK-ID``.

The example is two polities on two adjoining boxes and one treaty that moves a strip of land
between them, inside a region box that ``scripts/build_base.py`` can cut from Natural Earth. All
of it is fixed text and fixed dates, so the same id always gives the same bytes. The folder is
written under a hidden temporary name and renamed into place at the end: a failure leaves no
half-written pack behind, and an existing folder is never touched.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import shapely

from geo import schema
from geo import synthetic as syn

EVENT_ID = "example-treaty-1850"
SOURCE_ID = "example-source"

# Two boxes (lon_min, lat_min, lon_max, lat_max) sharing the edge at 44° N, inside REGION_BOX.
NORTH_LAND = (25.0, 44.0, 26.0, 44.5)
SOUTH_LAND = (25.0, 43.5, 26.0, 44.0)
STRIP_1850 = (25.0, 43.9, 26.0, 44.0)  # the part of South's land the example treaty moves
REGION_BOX = (24.0, 43.0, 27.0, 45.0)  # Romania and Bulgaria, and nothing else, reach into it

PACK_COMMENT = """\
# The pack: what it tells, from when to when, where, and the sources its events cite.
# Every field is described in treaties/README.md (Fields). Replace each example value with yours.
"""
POLITIES_COMMENT = """\
# The polities: one [id] table each. Ids are lower-case and stable; baseline.geojson and the
# events refer to them. Names are as of the polity's own time, by language code (en required).
"""
EVENT_COMMENT = """\
# One event. Its land, one feature per transfer, is in the .geojson file of the same name.
# The map changes at the start of the day it was signed (treaties) or happened (other kinds).
"""

REGION_TOML = """\
# Region of the {name} data pack. Read by scripts/build_base.py, which cuts the pack's base
# geometry (base/*.geojson) out of Natural Earth; edit this file, then run the script:
#     python scripts/build_base.py --src GEODATA_SRC --pack treaties/{name}
# The values below are an example (the lower Danube); replace them with your region's.

name = {name_value}

# lon_min, lat_min, lon_max, lat_max in degrees (WGS 84): the area your maps show.
bbox = [{bbox}]

# Copied into PROVENANCE.md: what a user of these files must know about this region's data.
caveats = [
  "The straight edges along the bbox are cut lines, not borders.",
]

[admin1]
# Natural Earth adm0_a3 codes of the countries whose admin-1 units the borders are drawn from.
countries = ["BGR", "ROU"]

[admin0]
# ISO 3166-1 numeric code of every country reaching into the bbox, by alpha-3 code, so the
# modern overlay has no blank land; those not in [admin1] are context only.
iso_numeric = {{ BGR = "100", ROU = "642" }}

[places]
# Natural Earth names to write otherwise on this pack's maps, e.g. {{ Ruse = "Ruse (Ruschuk)" }}.
rename = {{}}
# Places every map of this pack names first (names as written after the renaming above).
key = []
"""


class ScaffoldError(Exception):
    """Why a new pack cannot be written: a bad id, an existing folder, an unwritable place."""


def _box(bounds: tuple[float, float, float, float]):
    return shapely.box(*bounds)


def _pack_meta() -> dict:
    return {
        "title": "New region (example)",
        "description": (
            "An example pack to edit: two polities, North and South, and one treaty by which "
            "South cedes a strip of land to North. Replace it with your region's story."
        ),
        "license": "CC0-1.0",
        "baseline_date": dt.date(1800, 1, 1),
        "end_date": dt.date(1899, 12, 31),
        "baseline_precision": "approximate",
        "scope": {
            "description": "The land of the two example polities (replace with your region).",
            "limitations": [
                "The example borders are boxes, not historical lines; list here what your "
                "map cannot show.",
            ],
        },
        "sources": {
            SOURCE_ID: {
                "title": "Example source (replace with a work you cite)",
                "kind": "web",
                "note": "Each event needs one primary, official, scholarly or encyclopedia source.",
            }
        },
    }


def _polities() -> dict:
    return {
        "north": {
            "names": {"en": "North (example)"},
            "colour": syn.PALETTE[8],
            "note": "An example polity; replace it with one of your region's.",
        },
        "south": {
            "names": {"en": "South (example)"},
            "colour": syn.PALETTE[1],
            "note": "An example polity; replace it with one of your region's.",
        },
    }


def _example_treaty() -> dict:
    strip = syn.transfer(
        "border-strip",
        "south",
        "north",
        _box(STRIP_1850),
        name="The border strip (example)",
        modern_units=["none (example)"],
        precision="approximate",
        method="An example box drawn by hand.",
    )
    return {
        "kind": "treaty",
        "names": {"en": "Example treaty of 1850"},
        "signed": dt.date(1850, 6, 1),
        "parties": ["north", "south"],
        "summary": "An example treaty: South cedes the border strip to North.",
        "sources": [SOURCE_ID],
        "transfers": [strip],
    }


def region_toml(pack_id: str) -> str:
    """``base/region.toml`` for the example region, named after the pack."""
    bbox = ", ".join(f"{v:.1f}" for v in REGION_BOX)
    return REGION_TOML.format(name=pack_id, name_value=syn.toml_value(pack_id), bbox=bbox)


def _write(folder: Path, pack_id: str) -> None:
    syn.write_pack(
        folder,
        _polities(),
        [("north", _box(NORTH_LAND)), ("south", _box(SOUTH_LAND))],
        {EVENT_ID: _example_treaty()},
        _pack_meta(),
        comments={
            "pack.toml": PACK_COMMENT,
            "polities.toml": POLITIES_COMMENT,
            f"events/{EVENT_ID}.toml": EVENT_COMMENT,
        },
    )
    (folder / "base").mkdir()
    (folder / "base" / "region.toml").write_text(region_toml(pack_id), encoding="utf-8")


def new_pack(treaties: Path, pack_id: str) -> Path:
    """Write the example pack ``treaties/<pack_id>/`` and return its folder."""
    if not schema.ID_PATTERN.match(pack_id):
        raise ScaffoldError(
            f"pack id {pack_id!r} is not valid: use lower-case letters, digits, '-' and '_', "
            "starting with a letter or digit (e.g. ottoman-habsburg)"
        )
    if not treaties.is_dir():
        raise ScaffoldError(f"--treaties {treaties}: no such folder")
    target = treaties / pack_id
    if target.exists() or target.is_symlink():
        raise ScaffoldError(f"{target} already exists; choose another id or move that folder")
    try:
        # a name starting with '.' is never read as a pack while it is being written
        draft = Path(tempfile.mkdtemp(prefix=f".new-{pack_id}-", dir=treaties))
    except OSError as err:
        raise ScaffoldError(f"cannot write in {treaties}: {err.strerror or err}") from None
    try:
        _write(draft, pack_id)
        draft.chmod(0o755)  # mkdtemp makes it private; a pack folder is ordinary
        if target.exists() or target.is_symlink():  # made meanwhile: still never overwrite
            raise ScaffoldError(f"{target} already exists; choose another id or move that folder")
        draft.rename(target)
    except OSError as err:
        raise ScaffoldError(f"cannot write {target}: {err.strerror or err}") from None
    finally:
        shutil.rmtree(draft, ignore_errors=True)
    return target
