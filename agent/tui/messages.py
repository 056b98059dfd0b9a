"""Messages from threads and workers to the screens.

The watcher thread may only talk to the UI through post_message (Textual's one
thread-safe entry point), so every callback of agent.core.live becomes one of these.
"""

from __future__ import annotations

from textual.message import Message

from agent.core.crowd import Crowd
from agent.core.detector import Play
from agent.core.sender import SendStatus
from agent.core.track import DetectedTrack


class PlayDetected(Message):
    def __init__(self, play: Play) -> None:
        super().__init__()
        self.play = play


class SourceRead(Message):
    """The DJ software was read (track, or None when it has nothing yet)."""

    def __init__(self, track: DetectedTrack | None) -> None:
        super().__init__()
        self.track = track


class SourceProblem(Message):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class DeliveryStatus(Message):
    def __init__(self, status: SendStatus) -> None:
        super().__init__()
        self.status = status


class CrowdUpdate(Message):
    def __init__(self, crowd: Crowd) -> None:
        super().__init__()
        self.crowd = crowd


class CrowdProblem(Message):
    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error


class EarlierTonight(Message):
    """Plays from before the agent started, found in the DJ software's history."""

    def __init__(self, tracks: list[DetectedTrack]) -> None:
        super().__init__()
        self.tracks = tracks
