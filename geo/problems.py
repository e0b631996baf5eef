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
