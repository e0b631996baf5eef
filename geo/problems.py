"""Problems found in pack files, reported all together rather than stopping at the first."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem: which file, where in it, and what is wrong (with what would be valid)."""

    path: str
    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.location}: {self.message}"


class PackError(Exception):
    """Raised by queries that cannot be answered (unknown pack, date before the baseline)."""


def unknown_polity(polity_id: str, polities: dict) -> str:
    near = sorted(p for p in polities if p.split("_")[0] == polity_id.split("_")[0])[:3]
    hint = f"; similar ids: {', '.join(near)}" if near else ""
    return f"unknown polity id {polity_id!r} (not in polities.toml){hint}"
