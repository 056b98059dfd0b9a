"""Poll votes: one per dancer and poll, only while it is open, only for its own options."""

from __future__ import annotations

import pytest

from pika.domain.polls import make_poll
from pika.services import accounts, polls, sessions
from pika.services.errors import Conflict, Invalid, NotFound


@pytest.fixture
def floor(db):
    dj = accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
    here = sessions.open_session(db, dj, title="Here")
    elsewhere = sessions.open_session(db, dj, title="Elsewhere")
    poll = polls.open_poll(db, here, make_poll("Next?", ["Blues", "Pop", "Lyrical"], None))
    other = polls.open_poll(db, elsewhere, make_poll("Theirs?", ["A", "B"], None))
    return here, poll, other


def test_a_vote_is_refused_with_the_reason(db, floor):
    here, poll, other = floor
    polls.vote(db, here, "d1", poll.id, 2)
    db.flush()
    with pytest.raises(Conflict, match="already voted"):
        polls.vote(db, here, "d1", poll.id, 0)
    with pytest.raises(Invalid, match="No such option"):
        polls.vote(db, here, "d2", poll.id, 3)
    with pytest.raises(NotFound, match="No such poll"):
        polls.vote(db, here, "d2", other.id, 0)
    with pytest.raises(Invalid, match="Unknown dancer"):
        polls.vote(db, here, "", poll.id, 0)
    polls.close_poll(db, here, poll.id)
    with pytest.raises(Invalid, match="has closed"):
        polls.vote(db, here, "d3", poll.id, 0)
    assert polls.tallies(db, poll) == [0, 0, 1]


def test_batched_votes_store_first_votes_and_leave_the_rest_to_vote(db, floor):
    here, poll, other = floor
    polls.vote(db, here, "d1", poll.id, 0)
    db.flush()
    stored = polls.quick_votes(db, here, [
        ("d2", poll.id, 1),
        ("d3", poll.id, 2),
        ("d1", poll.id, 1),  # voted before: vote() says so
        ("d4", poll.id, 3),  # no such option
        ("d5", other.id, 0),  # another session's poll
        ("d6", 999_999, 0),  # no such poll
        ("d7", poll.id, 0), ("d7", poll.id, 1),  # two taps in one batch: vote() keeps the first
        ("", poll.id, 0),
    ])
    assert stored == {("d2", poll.id), ("d3", poll.id)}
    db.flush()
    assert polls.tallies(db, poll) == [1, 1, 1]
    assert polls.my_vote(db, poll.id, "d1") == 0  # the earlier vote stands


def test_batched_votes_stop_when_the_poll_closes_or_the_session_has_a_pin(db, floor):
    here, poll, _ = floor
    polls.close_poll(db, here, poll.id)
    assert polls.quick_votes(db, here, [("d1", poll.id, 0)]) == set()
    dj = accounts.create_dj(db, email="vega@example.com", display_name_="Vega", slug="vega")
    private = sessions.open_session(db, dj, title="Private", pin="4321")
    private_poll = polls.open_poll(db, private, make_poll("Secret?", ["Yes", "No"], None))
    assert polls.quick_votes(db, private, [("d1", private_poll.id, 0)]) == set()
    db.flush()
    assert polls.tallies(db, poll) == [0, 0, 0] and polls.tallies(db, private_poll) == [0, 0]
