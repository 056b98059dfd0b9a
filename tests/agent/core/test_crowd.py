"""The crowd feed is read defensively: whatever the server (or a proxy) answers, no crash."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from agent.core.crowd import Crowd, Poll
from agent.core.qr import qr_matrix, qr_text

GOOD = {
    "status": "live", "listeners": 12, "now_playing_play_id": "p1", "likes_current": 3, "likes_total": 40,
    "tempo": {"slower": 1, "perfect": 2, "faster": 1, "slower_pct": 25, "perfect_pct": 50, "faster_pct": 25,
              "total": 4},
    "thanks_total": 9, "thanks_since": 2, "cursor": "2024-05-31T22:00:00+00:00",
    "poll": {"id": 4, "question": "Vibe?", "options": ["A", "B"], "counts": [3, 1], "percents": [75, 25],
             "total": 4, "closes_at": "", "open": True, "winners": [0]},
}


def test_a_full_answer_is_read():
    crowd = Crowd.parse(GOOD)
    assert (crowd.listeners, crowd.likes_current, crowd.thanks_since, crowd.tempo.perfect_pct) == (12, 3, 2, 50)
    assert crowd.poll == Poll(4, "Vibe?", ("A", "B"), (3, 1), (75, 25), 4, "", True, (0,))


def test_odd_values_become_safe_defaults():
    crowd = Crowd.parse({**GOOD, "listeners": -3, "likes_current": "7", "tempo": None, "cursor": 5,
                         "poll": {**GOOD["poll"], "counts": [1], "winners": [0, 9, "x"]}})
    assert (crowd.listeners, crowd.likes_current, crowd.tempo.total, crowd.cursor) == (0, 0, 0, None)
    assert crowd.poll.counts == (1, 0) and crowd.poll.winners == (0,)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=6),
    max_leaves=30,
)


@settings(deadline=None)
@given(json_values)
def test_no_answer_crashes_the_reader(body):
    Crowd.parse(body)
    Crowd.parse({**GOOD, "poll": body})
    Crowd.parse({**GOOD, "tempo": body})


@settings(deadline=None, max_examples=40)  # a big code takes a while to compute on a busy machine
@given(st.text(min_size=1, max_size=300))
def test_any_join_link_draws_a_square_code(data):
    lines = qr_text(data).splitlines()
    size = len(qr_matrix(data))
    assert len(lines) == (size + 1) // 2 and {len(line) for line in lines} == {size}
