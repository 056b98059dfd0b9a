"""Who taps what in the bench: every tap is one a phone could send."""

from __future__ import annotations

from bench.actions import per_song_actions


def test_no_dancer_is_asked_to_vote_twice_in_one_poll():
    # 1,176 dancers, 10% per song, 10 songs: the slices wrap round the crowd in the last song.
    voters: list[int] = []
    for song in range(10):
        for index, handler, *_ in per_song_actions(1176, 0.1, song, f"play-{song}", 7, 1.0):
            if handler == "vote":
                voters.append(index)
    assert voters and len(voters) == len(set(voters))


def test_each_song_taps_a_tenth_of_the_crowd_in_all_three_kinds():
    taps = per_song_actions(2000, 0.1, 3, "play-3", 7, 1.0)
    assert len(taps) == 200 and len({t[0] for t in taps}) == 200
    assert {t[1] for t in taps} == {"toggle_like", "tap_tempo", "vote"}
