"""Which map labels to show: the placement and collision rules for pictures and the browser map.

The rules, in the order they apply (the browser map is to follow the same ones):

1. Every label is a candidate with a unique key, a priority (higher wins) and one or more boxes
   in display units (pixels, y up or down alike), in order of preference: other positions
   around its anchor, then shorter or smaller forms of its text.
2. Candidates are taken by priority, highest first; equal priorities by key, so the result never
   depends on the order they are given in.
3. A candidate takes its first box that lies wholly inside the frame and overlaps neither a box
   taken before it nor a fixed obstacle (a scale bar); boxes that only touch do not overlap.
   When none of its boxes is free, the label is hidden.

Priorities come in tiers, so that a lower tier never hides a higher one: the pack's key places,
then holders by their share of the visible land (the larger holder's name wins), then rivers by
the length shown, then other places by importance. Each priority lies in [tier, tier + 1).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Box = tuple[float, float, float, float]  # x0, y0, x1, y1 with x0 <= x1 and y0 <= y1

KEY_PLACE, HOLDER, RIVER, PLACE = 4.0, 3.0, 2.0, 1.0  # tiers
WORST_SCALERANK = 10  # Natural Earth ranks places 0 (most important) to 10


@dataclass(frozen=True)
class Candidate:
    key: str
    priority: float
    boxes: tuple[Box, ...]


@dataclass(frozen=True)
class Placement:
    key: str
    choice: int  # index of the chosen box in the candidate's boxes
    box: Box


def overlaps(a: Box, b: Box) -> bool:
    """True when the boxes share some area; touching edges do not count."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box: Box, frame: Box) -> bool:
    return frame[0] <= box[0] and frame[1] <= box[1] and box[2] <= frame[2] and box[3] <= frame[3]


def ranked(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The order labels are placed in: highest priority first, then by key."""
    return sorted(candidates, key=lambda c: (-c.priority, c.key))


def place(
    candidates: Iterable[Candidate], frame: Box | None = None, obstacles: Sequence[Box] = ()
) -> list[Placement]:
    """The labels to show, in placement order, each with the box it takes."""
    order = ranked(candidates)
    keys = [c.key for c in order]
    if len(set(keys)) != len(keys):
        raise ValueError("label keys must be unique")
    taken: list[Box] = list(obstacles)
    placed = []
    for candidate in order:
        for choice, box in enumerate(candidate.boxes):
            if frame is not None and not inside(box, frame):
                continue
            if any(overlaps(box, other) for other in taken):
                continue
            taken.append(box)
            placed.append(Placement(candidate.key, choice, box))
            break
    return placed


def holder_priority(share: float) -> float:
    """A holder's share of the visible holders' land, 0..1: the larger holder wins."""
    return HOLDER + min(max(share, 0.0), 0.999)


def rank(scalerank: int | None) -> int:
    """A Natural Earth scalerank within 0..10; an unknown one counts as the least important
    (0 is the most important rank, not a missing one)."""
    return WORST_SCALERANK if scalerank is None else min(max(scalerank, 0), WORST_SCALERANK)


def place_priority(key: bool, scalerank: int | None, population: int | None) -> float:
    """Key places first; then by Natural Earth scalerank (lower is more important), population."""
    rank_ = rank(scalerank)
    people = math.log10(max(population or 0, 0) + 1) / 10  # under 1 below 10 billion
    return (KEY_PLACE if key else PLACE) + (WORST_SCALERANK - rank_) / 11 + min(people, 0.99) / 11


def river_priority(share: float) -> float:
    """A river's share of the longest labelled river's length in view, 0..1."""
    return RIVER + min(max(share, 0.0), 0.999)
