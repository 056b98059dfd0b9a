"""Dancers tapping while plays fan out, and the storm: who taps what, and what the receipts say.

A tap is the event the page sends (toggle_like / tap_tempo / vote); its receipt is the server's
update that drops the tap from the dancer's `saving` list, sent after the database has it.
"""

from __future__ import annotations

import random
import time

from bench import stats

TEMPO_CHOICES = ("slower", "perfect", "faster")
POLL_OPTIONS = ["Yes", "No", "More blues"]


def per_song_actions(n: int, fraction: float, song: int, play_id: str, poll_id: int, spread: float) -> list[list]:
    """`fraction` of the crowd taps during song `song`: a different slice each song, so over 1/fraction
    songs everyone taps once (one vote per poll, likes well under 10 a minute). Kinds rotate
    like → tempo → vote; each tap lands at a random moment within `spread` seconds. Once the
    slices wrap round the crowd, a dancer's second turn is never a vote: the page disables voting
    twice in one poll, so no phone could send it (the server ignores it, and it has no receipt)."""
    size = round(n * fraction)
    rng = random.Random(song)
    actions = []
    for j in range(size):
        index = (song * size + j) % n
        kind = (index + song) % 3
        if kind == 2 and song * size + j >= n:
            kind = 0
        delay = rng.uniform(0, spread)
        if kind == 0:
            actions.append([index, "toggle_like", {"play_id": play_id}, f"like:{play_id}", delay])
        elif kind == 1:
            choice = TEMPO_CHOICES[index % 3]
            actions.append([index, "tap_tempo", {"play_id": play_id, "choice": choice}, f"tempo:{play_id}", delay])
        else:
            option = index % len(POLL_OPTIONS)
            actions.append([index, "vote", {"poll_id": poll_id, "option": option}, f"vote:{poll_id}", delay])
    return actions


def storm_actions(n: int, play_id: str, spread: float = 1.0) -> list[list]:
    """Every dancer likes the current play within `spread` seconds (evenly spaced, as a crowd would be)."""
    return [[i, "toggle_like", {"play_id": play_id}, f"like:{play_id}", i * spread / max(1, n)] for i in range(n)]


def summarize(rows: list[list], t0: float) -> dict:
    """Receipts of one batch of taps. rows: [handler, sent, acked or None, refused] (monotonic times)."""
    sent = [r for r in rows if r[1]]
    acked = [r for r in sent if r[2]]
    refused = sum(1 for r in acked if r[3])
    problems: dict[str, int] = {}  # refusals' sentences, and why a tap could not be sent
    for r in rows:
        if r[4] and (r[3] or not r[1]):
            problems[r[4]] = problems.get(r[4], 0) + 1
    by_kind: dict[str, int] = {}
    for r in acked:
        if not r[3]:
            by_kind[r[0]] = by_kind.get(r[0], 0) + 1
    return {
        "scheduled": len(rows),
        "sent": len(sent),
        "unsent": len(rows) - len(sent),
        "acked": len(acked),
        "lost": len(sent) - len(acked),
        "refused": refused,
        "problems": problems,
        "stored": by_kind,
        "ack_ms": stats.summary_ms([r[2] - r[1] for r in acked]),
        "_ack_times": [r[2] - r[1] for r in acked],
        # From the first tap to the last receipt: "all acknowledged within".
        "all_acked_s": round(max(r[2] for r in acked) - t0, 3) if acked else None,
    }


def combine(batches: list[dict]) -> dict | None:
    """All per-song batches as one: counts added, receipt times pooled."""
    if not batches:
        return None
    times = [t for b in batches for t in b["_ack_times"]]
    stored: dict[str, int] = {}
    for b in batches:
        for kind, count in b["stored"].items():
            stored[kind] = stored.get(kind, 0) + count
    return {
        **{key: sum(b[key] for b in batches) for key in ("scheduled", "sent", "unsent", "acked", "lost", "refused")},
        "stored": stored,
        "ack_ms": stats.summary_ms(times),
        "worst_batch_p95_ms": max((b["ack_ms"]["p95_ms"] or 0) for b in batches),
    }


def expected_feed(batches: list[dict], last_play_id: str, last_play_likes: int) -> dict:
    """What the DJ's crowd feed must say after every batch: each stored like and vote, counted once."""
    likes = sum(b["stored"].get("toggle_like", 0) for b in batches)
    votes = sum(b["stored"].get("vote", 0) for b in batches)
    return {"likes_total": likes, "poll_total": votes, "now_playing_play_id": last_play_id,
            "likes_current": last_play_likes}


def send(crowds: list, first_indices: list[int], actions: list[list], t0: float) -> None:
    """Hand each crowd process the taps of its own dancers (they land at t0 + each tap's delay)."""
    bounds = [*first_indices[1:], float("inf")]
    for crowd, lo, hi in zip(crowds, first_indices, bounds, strict=True):
        crowd.send("act", t0=t0, actions=[a for a in actions if lo <= a[0] < hi])
    for crowd in crowds:
        crowd.recv(30)


def gather(crowds: list, t0: float, deadline: float) -> dict:
    """Every crowd's receipts (each waits until `deadline` at most), summed up from t0."""
    for crowd in crowds:
        crowd.send("acks", deadline=deadline)
    wait = max(0.0, deadline - time.monotonic())
    return summarize([row for crowd in crowds for row in crowd.recv(wait + 60)["acks"]], t0)


def dispatch(crowds: list, first_indices: list[int], actions: list[list], t0: float, wait: float) -> dict:
    """Taps out, receipts in: each tap has `wait` seconds after the last one is sent."""
    send(crowds, first_indices, actions, t0)
    return gather(crowds, t0, t0 + max((a[4] for a in actions), default=0.0) + wait)
