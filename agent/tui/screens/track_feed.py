"""The DJ software side of the live screen: watch it, queue each play, offer earlier tracks.

A mixin of LiveScreen. The watcher runs on its own thread (agent.core.live) and reaches
the screen only through post_message; queueing happens here, on the UI's thread.
"""

from __future__ import annotations

import dataclasses

from rich.text import Text
from textual import work
from textual.widgets import Static

from agent.core.detector import Play
from agent.core.live import LiveDetection
from agent.core.track import DetectedTrack
from agent.tui.messages import EarlierTonight, PlayDetected, SourceProblem, SourceRead
from agent.tui.widgets.connection import ConnectionBar
from agent.tui.widgets.now_playing import NowPlaying


class TrackFeed:
    def start_detection(self) -> None:
        tuning = self.app.tuning
        self.detection = LiveDetection(
            self.source,
            on_play=lambda play: self.post_message(PlayDetected(play)),
            on_error=lambda exc: self.post_message(SourceProblem(exc)),
            on_reading=lambda track: self.post_message(SourceRead(track)),
            settle_s=0.0 if self.source.name == "manual" else tuning.settle_s,  # typed = sure
            poll_s=tuning.poll_s, debounce_s=tuning.debounce_s, observer=tuning.observer,
        )
        self.detection.start()
        self.find_earlier()

    def stop_detection(self) -> None:
        if self.detection is not None:
            self.detection.stop()
            self.detection = None

    @work(thread=True, exclusive=True, group="earlier")
    def find_earlier(self) -> None:
        detection = self.detection
        if detection is None:
            return
        try:
            tracks = detection.earlier_tonight()
        except Exception as exc:  # history unreadable: no offer, the live part still works
            self.post_message(SourceProblem(exc))
            return
        # A track that started within the grace period is announced live, so it is no "earlier" play.
        tracks = [t for t in tracks if detection.detector.is_stale(t)]
        if tracks:
            self.post_message(EarlierTonight(tracks))

    def on_play_detected(self, message: PlayDetected) -> None:
        if self.ended:
            return
        if self.session is None:
            self.waiting.append(message.play)
            return
        self.queue_play(message.play)

    def queue_play(self, play: Play) -> None:
        assert self.session is not None and self.sender is not None
        outbox = self.app.outbox
        known = outbox.find_play(self.session.id, play.event())
        if known is None:
            outbox.add(self.session.id, play.event())
            self.sender.wake()
            self.query_one(ConnectionBar).pending = outbox.count(self.session.id)
        else:  # the same real play, seen again after a restart: keep its first id
            play = dataclasses.replace(play, play_id=known)
        if not play.imported:
            self.current = play
            self.show_now_playing()
            self.refresh_bindings()

    def show_now_playing(self) -> None:
        marks = self.app.marks.for_play(self.session.id, self.current.play_id) if self.session and self.current else []
        self.query_one(NowPlaying).show(self.current, marks, self.last_reading)

    def on_source_read(self, message: SourceRead) -> None:
        status = self.query_one("#source-status", Static)
        status.remove_class("-problem")
        if message.track is None:
            reading = "press t when a track starts" if self.source.name == "manual" else "nothing playing yet"
        else:
            reading = message.track.display
        status.update(Text(f"{self.source.label} says: {reading}"))

    def on_source_problem(self, message: SourceProblem) -> None:
        status = self.query_one("#source-status", Static)
        status.add_class("-problem")
        status.update(Text(f"{self.source.label}: {message.error}"))

    def on_earlier_tonight(self, message: EarlierTonight) -> None:
        session_id = self.session.id if self.session else None
        outbox = self.app.outbox
        # After a restart some of these may already be on the server: offer only the rest.
        self.earlier = [t for t in message.tracks if not (session_id and outbox.find_play(session_id, _body(t)))]
        offer = self.query_one("#offer", Static)
        offer.set_class(not self.earlier, "-empty")
        if self.earlier:
            names = ", ".join(t.title for t in self.earlier[:3]) + ("…" if len(self.earlier) > 3 else "")
            offer.update(Text(f"{len(self.earlier)} earlier track(s) tonight, before the agent started ({names}). "
                              "Press i to add them to the set's history."))
        self.refresh_bindings()


def _body(track: DetectedTrack) -> dict:
    """Enough of a play event to look the track up in the outbox."""
    started = track.started_at.isoformat() if track.started_at else ""
    return {"play_id": "", "artist": track.artist, "title": track.title, "played_at": started}
