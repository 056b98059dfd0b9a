"""Picking the source, then the real detection loop: a VirtualDJ history line → a play on the server."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from textual.widgets import Input, OptionList, Select, Static

from agent.core.token_store import save_token
from agent.tui.screens.live import LiveScreen
from agent.tui.screens.source import SourceScreen
from tests.agent.tui.conftest import SIZE, agent, until
from tests.agent.tui.test_live import text_of


def vdj_entry(artist: str, title: str, started: int) -> bytes:
    """One history entry exactly as VirtualDJ appends it (CRLF, #EXTVDJ then the file path)."""
    return (f"#EXTVDJ:<time>{datetime.fromtimestamp(started):%H:%M}</time><lastplaytime>{started}</lastplaytime>"
            f"<filesize>7340032</filesize><artist>{artist}</artist><title>{title}</title>\r\n"
            f"C:\\Music\\WCS\\{artist} - {title}.mp3\r\n").encode()


def vdj_home(tmp_path, entries: bytes = b""):
    history = tmp_path / "VirtualDJ" / "History"
    history.mkdir(parents=True)
    day = history / f"{datetime.now(UTC):%Y-%m-%d}.m3u"
    day.write_bytes(b"\xef\xbb\xbf#EXTM3U\r\n" + entries)
    return tmp_path / "VirtualDJ", day


async def on_source_screen(pilot) -> SourceScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, SourceScreen), what="the source screen")
    screen = pilot.app.screen
    options = screen.query_one("#found", OptionList)
    await until(pilot, lambda: options.get_option_at_index(0).id is not None, what="auto-detection")
    return screen


async def test_a_wrong_path_is_explained_and_manual_entry_is_always_offered(config, floor, tmp_path):
    save_token(config.config_dir, floor.token)
    app = agent(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_source_screen(pilot)
        options = screen.query_one("#found", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert ids[-1] == "manual"
        screen.query_one("#kind", Select).value = "virtualdj"
        screen.query_one("#path", Input).value = str(tmp_path / "nowhere")
        await pilot.click("#use-path")
        message = text_of(screen.query_one("#source-message", Static))
        assert "No VirtualDJ data found at" in message and "nowhere" in message
        assert isinstance(app.screen, SourceScreen)


async def test_virtualdj_history_line_reaches_the_server(config, floor, tmp_path):
    now = int(time.time())
    home, day = vdj_home(tmp_path, vdj_entry("Ada Lux", "Opener", now - 1800) + vdj_entry("Ada Lux", "Warmup", now - 1500))
    save_token(config.config_dir, floor.token)
    app = agent(config)
    async with app.run_test(size=SIZE) as pilot:
        screen = await on_source_screen(pilot)
        screen.query_one("#set-title", Input).value = "Friday late night"
        screen.query_one("#kind", Select).value = "virtualdj"
        screen.query_one("#path", Input).value = str(home)
        await pilot.click("#use-path")
        await until(pilot, lambda: isinstance(app.screen, LiveScreen) and app.screen.session, what="live")
        live = app.screen
        session_id = live.session.id
        assert floor.sessions()[0].title == "Friday late night"
        assert config.source == "virtualdj" and config.path == str(home)  # remembered for next time

        # History from before the agent started is offered, not announced.
        await until(pilot, lambda: live.earlier, what="the earlier-tonight offer")
        assert "2 earlier track(s)" in text_of(live.query_one("#offer"))
        assert floor.plays(session_id) == []

        with day.open("ab") as handle:  # VirtualDJ appends the next track
            handle.write(vdj_entry("Nova Lane", "Slow Burn Sunday", int(time.time())))
        await until(pilot, lambda: floor.plays(session_id), what="the play on the server")
        assert [p[2] for p in floor.plays(session_id)] == ["Slow Burn Sunday"]
        assert live.current.track.title == "Slow Burn Sunday"

        await pilot.press("i")
        await until(pilot, lambda: len(floor.plays(session_id)) == 3, what="the imported plays")
        assert [p[2] for p in floor.plays(session_id)] == ["Opener", "Warmup", "Slow Burn Sunday"]
        assert live.current.track.title == "Slow Burn Sunday"  # imports never take over now playing
        assert live.query_one("#offer").has_class("-empty")
