"""Dancers' taps reach the database in batches: what arrives while one batch is written goes in the next.

At 2,000 dancers a storm (everyone likes the track within a second) would otherwise be 2,000
transactions, 2,000 thread hops and 4,000 Redis round trips on one worker, and the last phone
would wait seconds for its receipt. Taps waiting together share one Redis pipeline for their
limits, one thread hop, one transaction per session with one statement for all plain likes, one
for all tempo votes and one for all poll votes, then one transaction per session for the rest
(each tap in its own savepoint: a refusal, an unlike, a second vote), and one "counts changed"
mark per room. Each tap still gets its own answer: None, or the sentence for the dancer.

No timer: a lone tap is written at once; batches only form while the database is busy.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from pika.db import session_scope, write_first
from pika.domain.limits import Limit
from pika.models import LiveSession
from pika.realtime.limiter import Verdict
from pika.services import interactions, polls
from pika.services.errors import ServiceError
from pika.services.sessions import get_session

# Rows per statement: well under SQLite's 32,766 bound parameters (4 per like).
MAX_BATCH = 500


@dataclass(frozen=True)
class Tap:
    session_id: str
    dancer_id: str
    limit: Limit | None  # None: the database holds the rule (one vote per poll)
    # The careful path, given the database and the session: ServiceError = the dancer's sentence.
    work: Callable[[Session, LiveSession], None]
    # What it sets, (kind, target, value) — ("like", play id, liked), ("tempo", play id, choice),
    # ("vote", poll id, option): tried in its kind's batched statement first; `work` runs only if
    # that did not store it.
    what: tuple[str, object, object] | None = None


# kind -> (database, session, [(dancer, target, value)]) -> the (dancer, target) pairs it stored.
BATCHED: dict[str, Callable[[Session, LiveSession, list[tuple]], set[tuple]]] = {
    "like": interactions.quick_likes,
    "tempo": interactions.quick_tempo,
    "vote": polls.quick_votes,
}


def too_soon(verdict: Verdict) -> str:
    # The verdict's limit has LIMIT_OVERRIDES applied: the dancer hears the numbers in force.
    return f"Easy there — {verdict.limit.describe()}. Try again in {max(1, round(verdict.retry_after))} s."


Outcome = str | BaseException | None


def _careful(session_id: str, taps: list[Tap]) -> list[Outcome]:
    """One session's taps in one transaction, each in a savepoint: a refused or broken tap rolls
    back alone. Saves a connection checkout, a session load and a commit per tap."""
    outcomes: list[Outcome] = []
    try:
        with session_scope() as db:
            write_first(db)  # the savepoints below read, then write, in one transaction
            session = get_session(db, session_id)
            for tap in taps:
                try:
                    with db.begin_nested():  # flushed on exit, so a constraint breaks this tap only
                        tap.work(db, session)
                    outcomes.append(None)
                except ServiceError as exc:
                    outcomes.append(exc.detail)
                except Exception as exc:  # raised in this tap's own handler, nowhere else
                    outcomes.append(exc)
    except ServiceError as exc:  # e.g. the session is gone: every tap hears why
        return [exc.detail] * len(taps)
    except Exception as exc:  # the commit failed: none of them is stored
        return [exc] * len(taps)
    return outcomes


def _batched(session_id: str, taps: list[Tap]) -> set[int]:
    """One session's simple taps in one transaction, a statement per kind (each in a savepoint: a
    kind that fails leaves its taps to the careful path). Returns the indices of the taps stored."""
    stored: set[int] = set()
    try:
        with session_scope() as db:
            write_first(db)
            session = get_session(db, session_id)
            for kind, write in BATCHED.items():
                mine = [i for i, tap in enumerate(taps) if tap.what and tap.what[0] == kind]
                if not mine:
                    continue
                try:
                    with db.begin_nested():
                        done = write(db, session, [(taps[i].dancer_id, *taps[i].what[1:]) for i in mine])
                except Exception:  # those taps take the careful path, which reports its own error
                    continue
                stored |= {i for i in mine if (taps[i].dancer_id, taps[i].what[1]) in done}
    except Exception:  # unknown session, or the commit failed: nothing of it is stored
        return set()
    return stored


def _write(taps: list[Tap]) -> list[Outcome]:
    """In a worker thread: every tap's outcome. One tap's failure never spoils another's."""
    by_session: dict[str, list[int]] = {}
    for i, tap in enumerate(taps):
        by_session.setdefault(tap.session_id, []).append(i)
    outcomes: list[Outcome] = [None] * len(taps)
    for session_id, indices in by_session.items():
        simple = [i for i in indices if taps[i].what is not None]
        stored = {simple[j] for j in _batched(session_id, [taps[i] for i in simple])} if simple else set()
        careful = [i for i in indices if i not in stored]
        if careful:
            for i, outcome in zip(careful, _careful(session_id, [taps[i] for i in careful]), strict=True):
                outcomes[i] = outcome
    return outcomes


class TapDesk:
    """One per worker (and per event loop: tests run several)."""

    def __init__(self, store_of: Callable[[], object]) -> None:
        self._store_of = store_of  # the hub's current room store (limits, dirty marks)
        self._pending: list[tuple[Tap, asyncio.Future]] = []
        self._task: asyncio.Task | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def submit(self, tap: Tap) -> str | None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._loop, self._pending, self._task = loop, [], None
        future: asyncio.Future = loop.create_future()
        self._pending.append((tap, future))
        if self._task is None or self._task.done():
            self._task = loop.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:MAX_BATCH], self._pending[MAX_BATCH:]
            try:
                outcomes = await self._settle([tap for tap, _ in batch])
            except Exception as exc:  # e.g. Redis down for the limits: every tap of the batch hears it
                outcomes = [exc] * len(batch)
            for (_tap, future), outcome in zip(batch, outcomes, strict=True):
                if future.done():  # the handler was cancelled (socket gone)
                    continue
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)

    async def _settle(self, taps: list[Tap]) -> list[Outcome]:
        store = self._store_of()
        limited = [i for i, tap in enumerate(taps) if tap.limit is not None]
        verdicts = await store.limiter.hit_many([(taps[i].limit, taps[i].dancer_id) for i in limited])
        outcomes: list[Outcome] = [None] * len(taps)
        for i, verdict in zip(limited, verdicts, strict=True):
            if not verdict.allowed:
                outcomes[i] = too_soon(verdict)
        todo = [i for i, outcome in enumerate(outcomes) if outcome is None]  # not refused by a limit
        if todo:
            written = await run_in_threadpool(_write, [taps[i] for i in todo])
            for i, outcome in zip(todo, written, strict=True):
                outcomes[i] = outcome
        # The room's counts changed: the leader pushes them at most once a second (chores).
        for session_id in {taps[i].session_id for i in todo if outcomes[i] is None}:
            await store.mark_dirty(session_id)
        return outcomes
