from datetime import UTC, datetime, timedelta

from agent.core.sources.base import pick_deck
from agent.core.track import DetectedTrack

T0 = datetime(2024, 5, 31, 22, 0, tzinfo=UTC)


def deck(n, minutes, title=None):
    at = T0 + timedelta(minutes=minutes) if minutes is not None else None
    return DetectedTrack(title=title or f"Deck {n}", deck=str(n), started_at=at)


def test_newest_oldest_skip_and_ties():
    tracks = [deck(1, 0), deck(2, 5), deck(3, 7)]
    assert pick_deck(tracks).deck == "3"
    assert pick_deck(tracks, "oldest").deck == "1"
    assert pick_deck(tracks, skip_decks=[3]).deck == "2"
    assert pick_deck(tracks, skip_decks=["1", "2", "3"]) is None
    tie = [deck(1, 5, "A"), deck(2, 5, "B")]
    assert pick_deck(tie).title == "B"
    assert pick_deck(tie, "oldest").title == "A"
    assert pick_deck([deck(1, None), deck(2, 1)], "oldest").deck == "1"
    assert pick_deck([]) is None
