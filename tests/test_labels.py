"""Label placement rules (geo.labels): properties over random boxes, and the priority tiers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geo import labels
from geo.labels import Candidate, overlaps, place

FRAME = (0.0, 0.0, 400.0, 300.0)


@st.composite
def boxes(draw):
    x = draw(st.floats(-50, 420, allow_nan=False))
    y = draw(st.floats(-50, 320, allow_nan=False))
    w = draw(st.floats(1, 120, allow_nan=False))
    h = draw(st.floats(1, 40, allow_nan=False))
    return (x, y, x + w, y + h)


@st.composite
def candidate_lists(draw, distinct=True):
    count = draw(st.integers(0, 25))
    if distinct:
        priorities = draw(
            st.lists(st.integers(0, 10_000), min_size=count, max_size=count, unique=True)
        )
    else:
        priorities = draw(st.lists(st.integers(0, 3), min_size=count, max_size=count))
    return [
        Candidate(f"label-{i}", float(p), tuple(draw(st.lists(boxes(), min_size=1, max_size=4))))
        for i, p in enumerate(priorities)
    ]


@settings(max_examples=300)
@given(candidate_lists(distinct=False), st.booleans())
def test_kept_labels_never_overlap_and_stay_in_the_frame(candidates, framed):
    kept = place(candidates, FRAME if framed else None)
    for i, a in enumerate(kept):
        assert all(not overlaps(a.box, b.box) for b in kept[i + 1 :])
        if framed:
            assert labels.inside(a.box, FRAME)


@settings(max_examples=300)
@given(candidate_lists())
def test_a_label_gives_way_only_to_a_kept_label_of_higher_priority(candidates):
    kept = {p.key: p for p in place(candidates, FRAME)}
    priority = {c.key: c.priority for c in candidates}

    def blocked(box, by_priority):
        if not labels.inside(box, FRAME):
            return True
        return any(
            overlaps(box, other.box) and priority[other.key] > by_priority
            for other in kept.values()
        )

    for candidate in candidates:
        placed = kept.get(candidate.key)
        refused = candidate.boxes if placed is None else candidate.boxes[: placed.choice]
        # every box passed over is off the frame or covered by a higher-priority label
        assert all(blocked(box, candidate.priority) for box in refused)
        if placed is not None:
            assert placed.box == candidate.boxes[placed.choice]


@settings(max_examples=200)
@given(candidate_lists(), st.randoms(use_true_random=False))
def test_the_result_does_not_depend_on_the_input_order(candidates, rnd):
    shuffled = list(candidates)
    rnd.shuffle(shuffled)
    assert set(place(shuffled, FRAME)) == set(place(candidates, FRAME))


@given(candidate_lists(), boxes())
def test_no_label_covers_an_obstacle(candidates, obstacle):
    assert all(not overlaps(p.box, obstacle) for p in place(candidates, FRAME, [obstacle]))


def test_the_higher_priority_label_wins_and_the_other_takes_its_next_box():
    big = Candidate("big", 3.5, ((0, 0, 100, 20),))
    small = Candidate("small", 3.1, ((50, 0, 150, 20), (0, 30, 100, 50)))
    hidden = Candidate("hidden", 3.0, ((10, 5, 20, 15),))
    result = {p.key: p.choice for p in place([hidden, small, big])}
    assert result == {"big": 0, "small": 1}


def test_touching_boxes_do_not_overlap_and_duplicate_keys_are_refused():
    assert not overlaps((0, 0, 10, 10), (10, 0, 20, 10))
    assert overlaps((0, 0, 10, 10), (9.5, 9.5, 20, 20))
    with pytest.raises(ValueError, match="unique"):
        place([Candidate("a", 1, ((0, 0, 1, 1),)), Candidate("a", 2, ((5, 5, 6, 6),))])


@given(
    st.booleans(),
    st.one_of(st.none(), st.integers(-3, 15)),
    st.one_of(st.none(), st.integers(0, 10**10)),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_priorities_stay_in_their_tiers(key, scalerank, population, share, length):
    place_tier = labels.KEY_PLACE if key else labels.PLACE
    assert place_tier <= labels.place_priority(key, scalerank, population) < place_tier + 1
    assert labels.HOLDER <= labels.holder_priority(share) < labels.HOLDER + 1
    assert labels.RIVER <= labels.river_priority(length) < labels.RIVER + 1


def test_more_important_places_rank_higher():
    assert labels.place_priority(False, 3, 1_000_000) > labels.place_priority(False, 7, 5_000_000)
    assert labels.place_priority(False, 7, 200_000) > labels.place_priority(False, 7, 100_000)
    assert labels.place_priority(True, 7, 100_000) > labels.place_priority(False, 1, 8_000_000)
    assert labels.holder_priority(0.5) > labels.holder_priority(0.1)


def test_scalerank_zero_is_the_most_important_not_a_missing_rank():
    assert labels.rank(0) == 0
    assert labels.rank(None) == labels.WORST_SCALERANK
    capital = labels.place_priority(False, 0, None)
    assert (
        capital > labels.place_priority(False, 1, None) > labels.place_priority(False, None, None)
    )
