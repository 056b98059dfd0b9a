"""A phone that only applies the pushes it receives still shows the room as it is, play after play,
while each mid-set push carries a few rows instead of the whole history."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from pika.db import session_scope
from pika.db_types import utcnow
from pika.realtime.hub import ROOM_FIELDS, room_fields
from pika.services import accounts, interactions, plays, sessions
from pika.services.rooms import room_counts, room_snapshot
from tests.realtime.test_hub import sent
from tests.support.rooms import shown_history


async def test_a_phone_kept_up_by_pushes_alone_shows_the_set_as_it_is(bound_hub, engine):
    start = utcnow() - timedelta(hours=3)
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
        session_id = sessions.open_session(db, dj, title="Friday Social").id
        first = room_snapshot(db, sessions.get_session(db, session_id))
    await bound_hub.publish(first)
    phone = room_fields(first)  # what a phone that joined before the first track holds
    mid_set_pushes = []
    for k in range(45):
        with session_scope(engine) as db:
            session = sessions.get_session(db, session_id)
            play_id = str(uuid.uuid4())
            plays.record_plays(db, session, [plays.PlayIn(
                play_id=play_id, artist=f"Artist {k}", title=f"Song {k}", version="Extended Mix", bpm=96,
                played_at=start + timedelta(minutes=4 * k))])
            db.flush()
            snapshot = room_snapshot(db, session)
        already = len(sent(bound_hub))
        await bound_hub.publish(snapshot)
        if k % 3 == 0:  # the floor likes the track, and an older one: the leader's counts push
            with session_scope(engine) as db:
                session = sessions.get_session(db, session_id)
                interactions.set_like(db, session, f"d{k}", play_id, True)
                for row in shown_history(snapshot)[-1:]:
                    interactions.set_like(db, session, f"d{k}", row["play_id"], True)
                db.flush()
                counts = room_counts(db, session)
            await bound_hub.publish_counts(session_id, counts)
        for update in sent(bound_hub)[already:]:
            phone.update(update)
        canonical = room_fields(await bound_hub.store.get(session_id), await bound_hub.store.get_counts(session_id))
        assert phone == canonical, f"after play {k}"
        if k >= 35:
            mid_set_pushes.append(len(json.dumps(sent(bound_hub)[already])))
    assert set(phone) == set(ROOM_FIELDS)
    assert [row["full_title"] for row in shown_history(phone)][:3] == [
        "Song 43 (Extended Mix)", "Song 42 (Extended Mix)", "Song 41 (Extended Mix)"]
    whole = len(json.dumps(room_fields(snapshot)))
    # Mid-set, the whole picture is over 6 KB; a play's push is a few rows of it.
    assert whole > 6000
    assert max(mid_set_pushes) < 2500, mid_set_pushes
