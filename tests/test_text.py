"""Plain-language descriptions of changes and Markdown escaping."""

from __future__ import annotations

import datetime as dt

import pytest

from geo import text

D = dt.date


def test_treaty_cession_is_described_with_date_parties_and_area(pack):
    words = text.describe(pack, pack.event("turkmenchay-1828"))
    assert words.startswith("By the Treaty of Turkmenchay (22 February 1828) Qajar Persia ceded ")
    assert "Erivan" in words
    assert "Nakhchivan" in words
    assert words.endswith("to Russian Empire.")
    assert ", about 28,000 km²," in words


def test_recognition_conquest_renaming_and_no_change(pack):
    assert "recognised Russian Empire's possession of" in text.describe(
        pack, pack.event("gulistan-1813")
    )
    assert "Russian Empire took" in text.describe(pack, pack.event("ganja-1804"))
    assert "the land held by Qajar Persia passed unchanged to Pahlavi Persia" in text.describe(
        pack, pack.event("pahlavi-1925")
    )
    assert text.describe(pack, pack.event("basis-relations-2001")).endswith("no border moved.")
    quba = text.describe(pack, pack.event("quba-1806"))
    assert quba.startswith(
        "Russian occupation of Quba (about 15 November 1806): Russian Empire annexed "
    )
    assert quba.endswith("until then held by Quba Khanate (with Derbent).")


def test_describe_day_lists_the_holders(pack):
    words = text.describe_day(pack, D(1995, 1, 1))
    assert words.startswith("On 1 January 1995 the land shown was held by ")
    for name in (
        "Armenia",
        "Azerbaijan",
        "Georgia",
        "Islamic Republic of Iran",
        "Russian Federation",
        "Turkmenistan",
    ):
        assert name in words


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        ("[x](javascript:alert(1))", r"\[x\]\(javascript:alert\(1\)\)"),
        ("<b>tag</b>", r"\<b\>tag\</b\>"),
        ("1. not a list", r"1\. not a list"),
    ],
)
def test_markdown_escaping(raw, escaped):
    assert text.md(raw) == escaped
