"""LiveDetection end to end: files on disk → plays through the callback."""

import os
import threading
import time
from datetime import UTC, datetime

from agent.core.live import LiveDetection
from agent.core.sources.manual import ManualSource
from agent.core.sources.virtualdj import VirtualDJSource


def entry(title, lastplaytime):
    return (
        f"#EXTVDJ:<lastplaytime>{lastplaytime}</lastplaytime><artist>Artist</artist><title>{title}</title>\r\n"
        f"C:\\Music\\{title}.mp3\r\n"
    )


def test_vdj_history_to_plays(tmp_path, wait_until):
    history = tmp_path / "VirtualDJ" / "History"
    history.mkdir(parents=True)
    now = int(time.time())
    day_file = history / f"{datetime.now(UTC):%Y-%m-%d}.m3u"
    # Earlier tonight, then the track that was on when the agent started.
    day_file.write_bytes(
        b"\xef\xbb\xbf"
        + (entry("Opener", now - 3600) + entry("Warmup", now - 1800) + entry("On Now", now - 60)).encode()
    )
    plays, lock = [], threading.Lock()

    def on_play(play):
        with lock:
            plays.append(play)

    live = LiveDetection(VirtualDJSource(tmp_path / "VirtualDJ"), on_play, settle_s=0.3, debounce_s=0.05, poll_s=0.5)
    live.start()
    try:
        assert wait_until(lambda: [p.track.title for p in plays] == ["On Now"], timeout=3)
        assert plays[0].played_at == datetime.fromtimestamp(now - 60, UTC)
        with day_file.open("ab") as handle:
            handle.write(entry("Next One", now + 1).encode())
        assert wait_until(lambda: [p.track.title for p in plays][-1] == "Next One", timeout=3)
        # Re-reads of the same rows never announce anything again.
        os.utime(day_file)
        live.refresh()
        time.sleep(0.5)  # give a wrong re-announcement the chance to happen
        assert [p.track.title for p in plays] == ["On Now", "Next One"]
        earlier = live.earlier_tonight()
        assert [t.title for t in earlier] == ["Opener", "Warmup"]
        imported = live.import_plays(earlier)
        assert [p.imported for p in imported] == [True, True]
        assert live.earlier_tonight() == []
    finally:
        live.stop()


def test_manual_entry_with_refresh(wait_until):
    source = ManualSource()
    plays = []
    live = LiveDetection(source, plays.append, settle_s=0, poll_s=30)
    live.start()
    try:
        source.enter("Alpha", "Artist A")
        live.refresh()
        assert wait_until(lambda: [p.track.title for p in plays] == ["Alpha"], timeout=2)
    finally:
        live.stop()
