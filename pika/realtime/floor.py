"""Dancers' actions, end to end: limit (shared across workers) → database → room marked for a refresh
(batched with the other taps of the moment: realtime/taps.py).

Each returns None when done, or a sentence for the dancer saying why not. The room's counts are
not pushed here: the leader refreshes dirty rooms at most once a second (see chores), so one tap
never costs one message to every dancer.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.concurrency import run_in_threadpool

from pika.db import session_scope
from pika.domain.limits import LIKES, PIN_ATTEMPTS, TEMPO, THANKS, Limit
from pika.realtime.hub import hub
from pika.realtime.taps import Tap, TapDesk
from pika.services import access, interactions, polls
from pika.services.errors import Forbidden, NotFound, ServiceError
from pika.services.sessions import get_session


def _gated(dancer_id: str, work: Callable) -> Callable:
    def gated(db, session) -> None:
        if not access.may_enter(db, session, dancer_id):
            raise Forbidden("Enter the session's PIN first.")
        work(db, session)
    return gated


desk = TapDesk(lambda: hub.store)


async def _act(session_id: str, dancer_id: str, limit: Limit | None, work: Callable,
               what: tuple | None = None) -> str | None:
    """`work(db, session)` inside the session's checks, batched with the other taps of the moment
    (`what` it sets lets a batched statement store it: see taps.Tap)."""
    return await desk.submit(Tap(session_id, dancer_id, limit, _gated(dancer_id, work), what))


async def like(session_id: str, dancer_id: str, play_id: str, liked: bool) -> str | None:
    return await _act(session_id, dancer_id, LIKES,
                      lambda db, s: interactions.set_like(db, s, dancer_id, play_id, liked),
                      ("like", play_id, liked))


async def tempo(session_id: str, dancer_id: str, play_id: str, choice: str | None) -> str | None:
    return await _act(session_id, dancer_id, TEMPO,
                      lambda db, s: interactions.set_tempo(db, s, dancer_id, play_id, choice),
                      ("tempo", play_id, choice))


async def vote(session_id: str, dancer_id: str, poll_id: int, option: int) -> str | None:
    # One vote per poll is the limit, held by the database's unique constraint.
    return await _act(session_id, dancer_id, None, lambda db, s: polls.vote(db, s, dancer_id, poll_id, option),
                      ("vote", poll_id, option))


async def thank(session_id: str, dancer_id: str) -> str | None:
    return await _act(session_id, dancer_id, THANKS, lambda db, s: interactions.thank(db, s, dancer_id))


def _may_enter(session_id: str, dancer_id: str) -> bool | None:
    with session_scope() as db:
        try:
            return access.may_enter(db, get_session(db, session_id), dancer_id)
        except NotFound:
            return None


async def may_enter(session_id: str, dancer_id: str) -> bool | None:
    """True/False for a PIN gate, None for an unknown session."""
    return await run_in_threadpool(_may_enter, session_id, dancer_id)


def _unlock(session_id: str, dancer_id: str, pin: str) -> None:
    with session_scope() as db:
        access.unlock(db, get_session(db, session_id), dancer_id, pin)


async def unlock(session_id: str, dancer_id: str, pin: str) -> str | None:
    verdict = await hub.store.limiter.hit(PIN_ATTEMPTS, f"{session_id}:{dancer_id}")
    if not verdict.allowed:
        return f"Too many tries. Try again in {max(1, round(verdict.retry_after))} s."
    try:
        await run_in_threadpool(_unlock, session_id, dancer_id, pin[:16])
    except ServiceError as exc:
        return exc.detail
    return None


def _dancer_view(session_id: str, dancer_id: str) -> dict:
    with session_scope() as db:
        session = get_session(db, session_id)
        poll = polls.visible_poll(db, session)
        return {
            "liked": interactions.liked_play_ids(db, session_id, dancer_id),
            "my_tempo": {"play_id": session.current_play_id or "",
                         "choice": interactions.my_tempo(db, dancer_id, session.current_play_id)},
            "my_vote": {"poll_id": poll.id if poll else 0,
                        "option": polls.my_vote(db, poll.id, dancer_id) if poll else -1},
        }


async def dancer_view(session_id: str, dancer_id: str) -> dict:
    """This dancer's own likes and votes in the session (for a late joiner or a reconnect)."""
    return await run_in_threadpool(_dancer_view, session_id, dancer_id)
