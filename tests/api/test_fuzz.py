"""Fuzzing the agent API from its own OpenAPI document (schemathesis), on PostgreSQL and Redis.

Every operation gets generated requests in three shapes: valid data for a real open session with
its owner's token (reaches the services), invalid data for that session (reaches validation), and
everything generated, the token and ids included (reaches auth and lookups). Across all of them:
no 5xx, every status and body as the document declares (4xx bodies are `{error, detail}`), and
at least MIN_REQUESTS requests in total, bounded to about a minute on a 2-core machine.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import _get_portal
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pika.api.app import create_api
from pika.db import session_scope
from pika.domain import polls as poll_rules
from pika.models import DJ
from pika.realtime.store import RedisRoomStore
from pika.services import accounts, announcements, polls, sessions
from tests.api.conftest import FakeApp, RecordingNamespace, _State
from tests.support.hub import hub_bound_to

MIN_REQUESTS = 1_000
# Examples per operation and shape. Operations without a body or query have one valid request for
# the owner and nothing to make invalid, so the figures lean on the six that do: ≈ 6 × 150 + 8 × 31.
OWNER_VALID, OWNER_INVALID, ANYONE = 70, 50, 30
# Not `negative_data_rejection`: inputs are trimmed before their bounds are checked (a title of 121
# characters whose first is a space is accepted as 120), which that check reads as a violation.
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

APP = create_api()
SCHEMA = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@dataclass
class Target:
    """The real things a request can be about: one DJ's live session with a poll and an announcement."""

    headers: dict
    ids: dict[str, object]


@dataclass
class Tally:
    statuses: Counter = field(default_factory=Counter)
    by_operation: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.statuses.values())


@pytest.fixture
def target(engine) -> Target:
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email="fuzz@example.com", display_name_="Fuzz", slug="fuzz")
        _, raw = accounts.issue_token(db, dj, label="fuzz")
        session = sessions.open_session(db, db.get(DJ, dj.id), title="Fuzzed set")
        poll = polls.open_poll(db, session, poll_rules.preset("vibe", None))
        note = announcements.announce(db, session, "Water at the bar", None)
        db.flush()
        ids = {"session_id": session.id, "poll_id": poll.id, "announcement_id": note.id}
    return Target({"authorization": f"Bearer {raw}"}, ids)


@pytest.fixture
def live_hub(stack):
    """The hub on a real Redis store, used from schemathesis's own event loop (where the app runs)."""
    store = RedisRoomStore(stack.redis_url, prefix=f"fz{uuid.uuid4().hex[:8]}:")
    with hub_bound_to(FakeApp(RecordingNamespace()), _State, store) as bound:
        yield bound
    _get_portal().call(store.close)


def fuzz_operation(operation, mode: GenerationMode, examples: int, tally: Tally, **fixed) -> None:
    @given(case=operation.as_strategy(generation_mode=mode, **fixed))
    @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure prints its request as is
              suppress_health_check=list(HealthCheck))
    def run(case):
        response = case.call_and_validate(checks=CHECKS)
        tally.statuses[response.status_code] += 1
        tally.by_operation[operation.label] += 1

    run()


@pytest.mark.parametrize("stack", ["production"], indirect=True)
def test_the_agent_api_survives_generated_requests(stack, engine, live_hub, target):
    tally = Tally()
    started = time.monotonic()
    # Ending the set last: after it, every write to the session is (rightly) refused.
    operations = sorted((result.ok() for result in SCHEMA.get_all_operations()), key=lambda op: op.path.endswith("/end"))
    for operation in operations:
        path_ids = {name: target.ids[name] for name in (p.name for p in operation.path_parameters)}
        owner = {"headers": target.headers, **({"path_parameters": path_ids} if path_ids else {})}
        fuzz_operation(operation, GenerationMode.POSITIVE, OWNER_VALID, tally, **owner)
        if len(operation.body) or len(operation.query):  # with the ids and token fixed, nothing else to break
            fuzz_operation(operation, GenerationMode.NEGATIVE, OWNER_INVALID, tally, **owner)
        fuzz_operation(operation, GenerationMode.POSITIVE, ANYONE, tally)
    elapsed = time.monotonic() - started
    print(f"\n{tally.total} requests in {elapsed:.0f} s; statuses {dict(sorted(tally.statuses.items()))}")
    print("\n".join(f"  {count:4} {label}" for label, count in sorted(tally.by_operation.items())))
    assert len(operations) >= 14
    assert tally.total >= MIN_REQUESTS
    assert not [status for status in tally.statuses if status >= 500]
    # The valid requests really reached the services: some were accepted, not all refused at the door.
    assert tally.statuses[200] + tally.statuses[201] > 100


# -- what the fuzzer found (each was a 500) --------------------------------------------------------
@pytest.mark.parametrize(("path", "body"), [
    ("", {"title": "Friday\x00"}),
    ("/plays", {"play_id": str(uuid.uuid4()), "artist": "Nova\x00Lane", "title": "Slow Burn",
                "played_at": "2026-01-01T21:00:00+00:00"}),
    ("/polls", {"question": "Vibe?", "options": ["Good", "Great\x00"]}),
    ("/announcements", {"message": "Water\x00at the bar"}),
])
async def test_nul_characters_are_a_422_not_a_failed_insert(client, dj, path, body):
    session_id = (await client.post("/api/v1/sessions", json={"title": "Friday"}, headers=dj.headers)).json()["id"]
    url = "/api/v1/sessions" + (f"/{session_id}{path}" if path else "")
    r = await client.post(url, json=body, headers=dj.headers)
    assert r.status_code == 422, r.text
    assert r.json()["error"] == "invalid" and "NUL" in r.json()["detail"]


@pytest.mark.parametrize("path", ["/polls", "/announcements"])
@pytest.mark.parametrize("duration_s", [8635461119424065.0, -1e300, 1e308])
async def test_absurd_durations_are_a_422_not_an_overflow(client, dj, path, duration_s):
    session_id = (await client.post("/api/v1/sessions", json={"title": "Friday"}, headers=dj.headers)).json()["id"]
    body = {"preset": "vibe"} if path == "/polls" else {"message": "Last dance"}
    r = await client.post(f"/api/v1/sessions/{session_id}{path}", json={**body, "duration_s": duration_s},
                          headers=dj.headers)
    assert r.status_code == 422, r.text
    assert set(r.json()) == {"error", "detail"}
