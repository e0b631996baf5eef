"""History spot checks for the russia-iran pack: (place, date, expected holder) from the sources,
across the whole period and scope, including points near borders and dates next to changes.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import shapely

from geo import query
from geo.areas import area_km2
from geo.catalog import TREATIES
from tests.geodesy import geodesic_km2

D = dt.date
PLACES = {
    "Tbilisi": (44.79, 41.72),
    "Yerevan": (44.51, 40.18),
    "Baku": (49.87, 40.41),
    "Ganja": (46.36, 40.68),
    "Shusha": (46.75, 39.76),
    "Shamakhi": (48.64, 40.63),
    "Derbent": (48.29, 42.06),
    "Makhachkala": (47.50, 42.98),
    "Lankaran": (48.85, 38.75),
    "Lerik": (48.41, 38.77),
    "Nakhchivan": (45.41, 39.21),
    "Meghri": (46.24, 38.90),
    "Goris": (46.34, 39.51),
    "Igdir": (44.04, 39.92),
    "Akhaltsikhe": (42.98, 41.64),
    "Kutaisi": (42.70, 42.27),
    "Sukhumi": (41.02, 43.00),
    "Zaqatala": (46.64, 41.63),
    "Tabriz": (46.29, 38.08),
    "Qotur": (44.41, 38.47),
    "Ashgabat": (58.38, 37.95),
    "Firyuza": (58.0, 37.88),
    "Krasnovodsk": (52.97, 40.02),
    "Kyzyl-Arvat": (56.27, 38.98),
    "Chikishlyar": (53.95, 37.62),
    "Mary": (61.83, 37.60),
    "Turkmenabat": (63.57, 39.08),
    "Dashoguz": (59.97, 41.84),
    "Mashhad": (59.60, 36.30),
    "Gorgan": (54.43, 36.84),
    "Ordubad (north bank of the Aras)": (46.02, 38.93),
    "Jolfa (south bank of the Aras)": (45.62, 38.93),
    "Julfa (north bank of the Aras)": (45.63, 38.97),
    "Kars": (43.10, 40.60),
    "Caspian Sea": (50.5, 41.0),
}

CASES = [
    ("Tbilisi", D(1800, 6, 1), "kartli_kakheti"),
    ("Tbilisi", D(1801, 1, 30), "russian_empire"),
    ("Tbilisi", D(1919, 1, 1), "georgia_dr"),
    ("Tbilisi", D(1930, 1, 1), "georgian_ssr"),
    ("Tbilisi", D(1995, 1, 1), "georgia"),
    ("Yerevan", D(1828, 2, 21), "erivan_khanate"),
    ("Yerevan", D(1828, 2, 22), "russian_empire"),
    ("Yerevan", D(1919, 6, 1), "armenia_dr"),
    ("Yerevan", D(1921, 1, 1), "armenian_ssr"),
    ("Yerevan", D(2000, 1, 1), "armenia"),
    ("Baku", D(1806, 10, 14), "baku_khanate"),
    ("Baku", D(1806, 10, 15), "russian_empire"),
    ("Baku", D(1919, 1, 1), "azerbaijan_dr"),
    ("Baku", D(1925, 1, 1), "azerbaijan_ssr"),
    ("Baku", D(2010, 1, 1), "azerbaijan"),
    ("Ganja", D(1803, 6, 1), "ganja_khanate"),
    ("Ganja", D(1804, 1, 15), "russian_empire"),
    ("Shusha", D(1810, 1, 1), "karabakh_khanate"),
    ("Shusha", D(1823, 6, 1), "russian_empire"),
    ("Shamakhi", D(1815, 1, 1), "shirvan_khanate"),
    ("Derbent", D(1806, 7, 3), "quba_khanate"),
    ("Derbent", D(1806, 7, 4), "russian_empire"),
    ("Makhachkala", D(1850, 1, 1), "dagestan"),
    ("Makhachkala", D(1860, 1, 1), "russian_empire"),
    ("Makhachkala", D(1950, 1, 1), "rsfsr"),
    ("Makhachkala", D(2000, 1, 1), "russian_federation"),
    ("Lankaran", D(1812, 1, 1), "talysh_khanate"),
    ("Lankaran", D(1830, 1, 1), "russian_empire"),
    ("Lerik", D(1820, 1, 1), "qajar_persia"),
    ("Lerik", D(1828, 3, 1), "russian_empire"),
    ("Nakhchivan", D(1827, 1, 1), "nakhchivan_khanate"),
    ("Nakhchivan", D(1829, 1, 1), "russian_empire"),
    ("Nakhchivan", D(1919, 1, 1), "azerbaijan_dr"),
    ("Nakhchivan", D(1990, 1, 1), "azerbaijan_ssr"),
    ("Meghri", D(1812, 1, 1), "karabakh_khanate"),
    ("Meghri", D(1815, 1, 1), "qajar_persia"),
    ("Meghri", D(1829, 1, 1), "russian_empire"),
    ("Goris", D(1815, 1, 1), "karabakh_khanate"),
    ("Igdir", D(1827, 1, 1), "erivan_khanate"),
    ("Igdir", D(1850, 1, 1), "russian_empire"),
    ("Igdir", D(1918, 7, 1), "ottoman_empire"),
    ("Igdir", D(1919, 6, 1), "armenia_dr"),
    ("Igdir", D(1921, 6, 1), "ankara_government"),
    ("Igdir", D(1930, 1, 1), "turkey"),
    ("Akhaltsikhe", D(1828, 1, 1), "ottoman_empire"),
    ("Akhaltsikhe", D(1830, 1, 1), "russian_empire"),
    ("Akhaltsikhe", D(1918, 8, 1), "ottoman_empire"),
    ("Akhaltsikhe", D(1919, 6, 1), "georgia_dr"),
    ("Kutaisi", D(1805, 1, 1), "imereti"),
    ("Kutaisi", D(1811, 1, 1), "russian_empire"),
    ("Sukhumi", D(1850, 1, 1), "abkhazia"),
    ("Sukhumi", D(1870, 1, 1), "russian_empire"),
    ("Zaqatala", D(1802, 1, 1), "jar_balakan"),
    ("Zaqatala", D(1831, 1, 1), "russian_empire"),
    ("Tabriz", D(1827, 12, 1), "qajar_persia"),
    ("Tabriz", D(1930, 1, 1), "pahlavi_persia"),
    ("Tabriz", D(1940, 1, 1), "pahlavi_iran"),
    ("Tabriz", D(1980, 1, 1), "iran"),
    ("Qotur", D(1800, 1, 1), "qajar_persia"),
    ("Qotur", D(1860, 1, 1), "ottoman_empire"),
    ("Qotur", D(1880, 1, 1), "qajar_persia"),
    ("Ashgabat", D(1880, 1, 1), "turkmen_tribes"),
    ("Ashgabat", D(1882, 1, 1), "russian_empire"),
    ("Ashgabat", D(1930, 1, 1), "turkmen_ssr"),
    ("Ashgabat", D(2000, 1, 1), "turkmenistan"),
    ("Krasnovodsk", D(1869, 11, 12), "turkmen_tribes"),
    ("Krasnovodsk", D(1869, 11, 13), "russian_empire"),
    ("Krasnovodsk", D(1880, 1, 1), "russian_empire"),
    ("Krasnovodsk", D(1930, 1, 1), "turkmen_ssr"),
    ("Kyzyl-Arvat", D(1875, 1, 1), "turkmen_tribes"),
    ("Chikishlyar", D(1871, 12, 14), "turkmen_tribes"),
    ("Chikishlyar", D(1871, 12, 15), "russian_empire"),
    ("Chikishlyar", D(1930, 1, 1), "turkmen_ssr"),
    ("Kyzyl-Arvat", D(1881, 1, 24), "russian_empire"),
    ("Firyuza", D(1885, 1, 1), "qajar_persia"),
    ("Firyuza", D(1894, 1, 1), "russian_empire"),
    ("Mary", D(1883, 1, 1), "merv"),
    ("Mary", D(1885, 1, 1), "russian_empire"),
    ("Turkmenabat", D(1870, 1, 1), "bukhara"),
    ("Turkmenabat", D(1921, 1, 1), "bukhara_psr"),
    ("Turkmenabat", D(1925, 1, 1), "turkmen_ssr"),
    ("Dashoguz", D(1874, 1, 1), "khiva"),
    ("Dashoguz", D(1921, 1, 1), "khorezm_psr"),
    ("Mashhad", D(2000, 1, 1), "iran"),
    ("Gorgan", D(1900, 1, 1), "qajar_persia"),
    ("Ordubad (north bank of the Aras)", D(1830, 1, 1), "russian_empire"),
    ("Jolfa (south bank of the Aras)", D(1830, 1, 1), "qajar_persia"),
    ("Julfa (north bank of the Aras)", D(1827, 1, 1), "nakhchivan_khanate"),
    ("Kars", D(1900, 1, 1), None),
    ("Caspian Sea", D(1900, 1, 1), None),
]

SOVEREIGNS = [
    ("Shusha", D(1810, 1, 1), "russian_empire", "vassal"),
    ("Shusha", D(1804, 1, 1), "qajar_persia", "vassal"),
    ("Tbilisi", D(1800, 6, 1), "russian_empire", "protectorate"),
    ("Lankaran", D(1820, 1, 1), "russian_empire", "protectorate"),
    ("Dashoguz", D(1874, 1, 1), "russian_empire", "protectorate"),
    ("Baku", D(1950, 1, 1), "ussr", "constituent republic"),
    ("Tbilisi", D(1930, 1, 1), "ussr", "constituent republic"),
]


def test_the_table_is_large_and_wide():
    assert len(CASES) >= 40
    assert {c[1].year // 25 for c in CASES} >= set(range(1800 // 25, 2000 // 25 + 1))


@pytest.mark.parametrize(("place", "day", "holder"), CASES, ids=[f"{p}-{d}" for p, d, _ in CASES])
def test_holder(pack, place, day, holder):
    lon, lat = PLACES[place]
    answer = query.where(pack, lon, lat, day)
    got = answer.polity.id if answer.polity else None
    assert got == holder, answer.note or answer.history


@pytest.mark.parametrize(("place", "day", "sovereign", "status"), SOVEREIGNS)
def test_sovereign(pack, place, day, sovereign, status):
    answer = query.where(pack, *PLACES[place], day)
    assert answer.sovereign.id == sovereign
    assert answer.status == status


def test_history_links_every_change_to_its_event(pack):
    answer = query.where(pack, *PLACES["Yerevan"], D(2025, 12, 1))
    assert [h.polity.id for h in answer.history] == [
        "erivan_khanate",
        "russian_empire",
        "russian_republic",
        "rsfsr",
        "transcaucasia",
        "armenia_dr",
        "armenian_ssr",  # a Soviet republic on its own until 1922,
        "armenian_ssr",  # in the Transcaucasian federation until 1936,
        "armenian_ssr",  # a union republic of the USSR until 1991
        "armenia",
    ]
    assert [h.sovereign and h.sovereign.id for h in answer.history[6:9]] == [
        None,
        "tsfsr",
        "ussr",
    ]
    assert answer.history[1].event == "turkmenchay-1828"
    assert all(h.event for h in answer.history[1:])


def test_names_follow_the_date(pack):
    names = [
        query.where(pack, *PLACES["Tabriz"], day).polity.name
        for day in (D(1900, 1, 1), D(1930, 1, 1), D(1950, 1, 1), D(1990, 1, 1))
    ]
    assert names == [
        "Qajar Persia",
        "Pahlavi Persia",
        "Imperial State of Iran",
        "Islamic Republic of Iran",
    ]


def test_russia_has_no_land_border_with_iran_after_1991(pack):
    from geo.timeline import borders_at

    frame = borders_at(pack, D(1995, 1, 1)).set_index("polity")
    russia, iran = frame.loc["russian_federation"].geometry, frame.loc["iran"].geometry
    assert not russia.intersects(iran)
    soviet = borders_at(pack, D(1980, 1, 1)).set_index("polity")
    assert soviet.loc["azerbaijan_ssr"].geometry.intersects(soviet.loc["iran"].geometry)


# Published areas against ours. Our polygons are modern units standing in for historical
# territories, so the tolerances are wide and each gap is explained in the transfer's note.
def test_erivan_khanate_area_near_the_published_19500(pack):
    transfer = next(t for t in pack.event("turkmenchay-1828").transfers if "rivan" in t.name)
    ours = pack.timeline.transfer_areas[("turkmenchay-1828", transfer.id)]
    assert transfer.published_area_km2 == 19500
    # Ours includes all of Iğdır province and today's Armenian provinces whole: about 6 % more.
    assert ours == pytest.approx(19500, rel=0.10)


def test_nakhchivan_autonomous_republic_area_near_the_published_5503():
    units = [
        "AZE-2415",
        "AZE-2418",
        "AZE-2419",
        "AZE-2420",
        "AZE-2421",
        "AZE-2422",
        "AZE-2423",
        "AZE-5567",
    ]
    from geo.recipes import load_units

    geoms = load_units(TREATIES / "russia-iran")
    ours = area_km2([shapely.union_all([geoms[u]["geometry"] for u in units])])[0]
    admin0 = json.loads((TREATIES / "russia-iran/base/admin0.geojson").read_text())
    azerbaijan = next(
        shapely.geometry.shape(f["geometry"])
        for f in admin0["features"]
        if f["properties"]["iso_a3"] == "AZE"
    )
    exclave = next(p for p in shapely.get_parts(azerbaijan) if p.bounds[0] < 45.5)
    # Natural Earth's 1:10m exclave is itself about 13 % smaller than the official figure
    # (noted in the Turkmenchay transfer): our units match Natural Earth's own outline, and
    # the published figure within the gap that the base data explains.
    assert ours == pytest.approx(geodesic_km2(exclave), rel=0.005)
    assert ours == pytest.approx(5502.75, rel=0.15)


def test_kotur_area_near_the_published_1125(pack):
    transfer = pack.event("berlin-1878").transfers[0]
    ours = pack.timeline.transfer_areas[("berlin-1878", transfer.id)]
    assert transfer.published_area_km2 == 1125
    # A hand-drawn box around Qotur: within 25 % of Meyers' figure.
    assert ours == pytest.approx(1125, rel=0.25)


RUSSIA_SIDE = {"russian_empire", "russian_republic", "rsfsr", "ussr", "russian_federation"}
PERSIA_SIDE = {"qajar_persia", "pahlavi_persia", "pahlavi_iran", "iran"}


def test_russia_persia_treaties_carry_everything_a_card_needs(pack):
    treaties = [
        e
        for e in pack.events
        if e.kind == "treaty"
        and RUSSIA_SIDE & set(e.record["parties"])
        and PERSIA_SIDE & set(e.record["parties"])
    ]
    assert {e.id for e in treaties} >= {
        "gulistan-1813",
        "turkmenchay-1828",
        "atrek-1869",
        "akhal-khorasan-1881",
        "tehran-firuza-1893",
        "friendship-1921",
        "guarantee-neutrality-1927",
        "commerce-navigation-1940",
        "border-financial-1954",
        "border-regime-1957",
        "basis-relations-2001",
        "caspian-convention-2018",
        "comprehensive-strategic-partnership-2025",
    }
    for event in treaties:
        assert {"en", "ru", "fa"} <= set(event.names), event.id
        for key in (
            "signed",
            "place",
            "summary",
            "clauses",
            "status",
            "border_precision",
            "sources",
        ):
            assert event.record.get(key), (event.id, key)


def test_fast_path_equals_the_reference_fold_on_the_real_pack(pack):
    from geo.timeline import borders_at, reference_fold

    for day in (
        D(1800, 1, 1),
        D(1813, 10, 24),
        D(1828, 2, 22),
        D(1881, 12, 21),
        D(1919, 1, 1),
        D(1930, 1, 1),
        D(1995, 1, 1),
    ):
        fast = {r.polity: r.geometry for r in borders_at(pack, day).itertuples()}
        slow = reference_fold(pack, day)
        assert fast.keys() == slow.keys(), day
        for polity, geometry in fast.items():
            difference = shapely.symmetric_difference(geometry, slow[polity])
            assert area_km2([difference])[0] < 1.0, (day, polity)


def test_every_russia_persia_treaty_gives_its_entry_into_force_or_says_it_is_unknown(pack):
    for event in pack.events:
        parties = set(event.record.get("parties", []))
        if event.kind == "treaty" and RUSSIA_SIDE & parties and PERSIA_SIDE & parties:
            status = event.record["status"]
            # Either the date, or a statement that it was not found or never came.
            assert (
                "in_force" in event.record or "not found" in status or "not come into" in status
            ), event.id


def test_history_shows_changes_of_overlord_with_their_events(pack):
    history = query.where(pack, *PLACES["Shusha"], D(1900, 1, 1)).history
    assert [
        (h.polity.id, h.sovereign and h.sovereign.id, h.start, h.event) for h in history[:3]
    ] == [
        ("karabakh_khanate", "qajar_persia", D(1800, 1, 1), None),
        ("karabakh_khanate", "russian_empire", D(1805, 5, 26), "kurakchay-1805"),
        ("russian_empire", None, D(1822, 12, 26), "karabakh-1822"),
    ]
    assert history[1].status == "vassal"
    assert history[0].end == D(1805, 5, 26)
