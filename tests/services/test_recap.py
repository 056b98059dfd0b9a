"""The recap: the set in order with likes, the peak of the night, poll results."""

from __future__ import annotations

import uuid
from datetime import timedelta

from pika.db_types import utcnow
from pika.domain.polls import make_poll
from pika.services import accounts, interactions, plays, polls, sessions
from pika.services.recap import recap


def test_recap_lists_the_set_with_likes_peak_and_polls(db):
    dj = accounts.create_dj(db, email="nova@example.com", display_name_="DJ Nova", slug="nova")
    session = sessions.open_session(db, dj, title="Friday")
    start = utcnow() - timedelta(minutes=90)
    ids = []
    for i, title in enumerate(["Opener", "Floor filler", "Closer"]):
        ids.append(str(uuid.uuid4()))
        plays.record_plays(db, session, [plays.PlayIn(play_id=ids[-1], artist="A", title=title,
                                                      played_at=start + timedelta(minutes=30 * i))])
    for dancer in ("d1", "d2"):
        interactions.set_like(db, session, dancer, ids[1], True)
    interactions.set_like(db, session, "d1", ids[2], True)
    interactions.thank(db, session, "d1")
    poll = polls.open_poll(db, session, make_poll("Next?", ["Blues", "Pop"], None))
    polls.vote(db, session, "d1", poll.id, 1)
    sessions.end_session(db, session)
    db.flush()

    data = recap(db, session)
    assert data["dj_name"] == "DJ Nova"
    assert [t["title"] for t in data["tracks"]] == ["Opener", "Floor filler", "Closer"]
    assert [t["likes"] for t in data["tracks"]] == [0, 2, 1]
    assert data["peak"]["title"] == "Floor filler"
    assert (data["total_likes"], data["thanks"]) == (3, 1)
    assert data["polls"][0]["winners"] == "Pop"
    assert data["polls"][0]["options"][1] == {"label": "Pop", "count": 1, "percent": 100}


def test_a_set_without_likes_has_no_peak(db):
    dj = accounts.create_dj(db, email="quiet@example.com", display_name_="Quiet", slug="quiet")
    session = sessions.open_session(db, dj)
    plays.record_plays(db, session, [plays.PlayIn(play_id=str(uuid.uuid4()), artist="A", title="T", played_at=utcnow())])
    assert recap(db, session)["peak"] is None
