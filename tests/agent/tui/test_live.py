"""Going live, polls, announcements, marks and the end of a set, against the real agent API."""

from __future__ import annotations

import io

from rich.console import Console
from textual.widgets import Input

from agent.core.remembered import load_session
from agent.core.token_store import save_token
from agent.tui.screens.dialogs import AnnounceDialog, ConfirmDialog, ManualTrackDialog, TextDialog
from agent.tui.screens.ended import EndedScreen
from agent.tui.screens.live import LiveScreen
from agent.tui.screens.poll_dialog import PollDialog
from agent.tui.widgets.announcement import AnnouncementPanel
from agent.tui.widgets.connection import ConnectionBar
from agent.tui.widgets.poll_panel import PollPanel
from pika.db import session_scope
from pika.models import LiveSession
from pika.services import interactions, polls
from tests.agent.tui.conftest import SIZE, agent, until


def text_of(widget) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.render())
    return console.export_text()


async def go_live(pilot, floor) -> LiveScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, LiveScreen) and pilot.app.screen.session is not None,
                what="the live screen with a session")
    return pilot.app.screen


def manual_agent(config, floor, **kwargs):
    """An agent with a saved token and the manual source: it goes straight to the live screen."""
    save_token(config.config_dir, floor.token)
    config.source = "manual"
    return agent(config, auto_source=True, **kwargs)


async def type_track(pilot, title: str, artist: str) -> None:
    await pilot.press("t")
    await until(pilot, lambda: isinstance(pilot.app.screen, ManualTrackDialog))
    dialog = pilot.app.screen
    dialog.query_one("#title", Input).value = title
    dialog.query_one("#artist", Input).value = artist
    await pilot.click("#send")


async def test_go_live_shows_the_join_link_and_qr_and_sends_plays(config, floor):
    app = manual_agent(config, floor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_live(pilot, floor)
        [session] = floor.sessions()
        assert screen.session.id == session.id and session.status == "live"
        assert session.id in text_of(screen.query_one("#join-url"))
        qr = text_of(screen.query_one("#qr"))
        assert "▀" in qr and len(qr.splitlines()) >= 12
        bar = screen.query_one(ConnectionBar)
        await until(pilot, lambda: bar.online is True, what="online")
        assert "ONLINE" in text_of(bar)

        await type_track(pilot, "Slow Burn Sunday", "Nova Lane")
        await until(pilot, lambda: floor.plays(session.id), what="the play on the server")
        [(play_id, artist, title)] = floor.plays(session.id)
        assert (artist, title) == ("Nova Lane", "Slow Burn Sunday")
        assert screen.current.play_id == play_id
        assert "Slow Burn Sunday" in text_of(screen.query_one("#right NowPlaying"))
        await until(pilot, lambda: bar.pending == 0, what="nothing queued")
    # Remembered for a restart; quitting leaves the set live.
    assert load_session(config.session_file, floor.url).session_id == session.id
    assert floor.sessions()[0].status == "live"


async def test_poll_opens_shows_live_tallies_and_closes(config, floor):
    app = manual_agent(config, floor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_live(pilot, floor)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PollDialog))
        await pilot.click("#open")  # the first preset: vibe check
        panel = screen.query_one(PollPanel)
        await until(pilot, lambda: panel.poll is not None and panel.poll.open, what="the open poll")
        crowd = floor.api("GET", f"/sessions/{screen.session.id}/crowd").json()
        assert crowd["poll"]["open"] and crowd["poll"]["question"].startswith("Vibe check")

        # A dancer votes on the server: the tally reaches the DJ through the crowd feed.
        with session_scope(floor.engine) as db:
            session = db.get(LiveSession, screen.session.id)
            polls.vote(db, session, "dancer-1", panel.poll.id, 0)
        await until(pilot, lambda: panel.poll.counts[0] == 1, what="the vote in the tally")
        assert "100% (1)" in text_of(panel)

        await pilot.press("c")
        await until(pilot, lambda: not panel.poll.open, what="the closed poll")
        assert floor.api("GET", f"/sessions/{screen.session.id}/crowd").json()["poll"]["open"] is False
        assert "winner" in text_of(panel)


async def test_custom_poll_is_checked_before_it_is_sent(config, floor):
    app = manual_agent(config, floor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_live(pilot, floor)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, PollDialog))
        dialog = app.screen
        await pilot.click("#kind-custom")
        dialog.query_one("#question", Input).value = "Next block?"
        dialog.query_one("#options", Input).value = "Blues"
        await pilot.click("#open")
        assert "2 to 10 options" in text_of(dialog.query_one(".problem"))
        dialog.query_one("#options", Input).value = "Blues, Funk, Pop"
        # The problem line made the dialog taller: let it lay out again before clicking, as the
        # DJ's eye does (a click computed on the old layout can land beside the button).
        await pilot.pause()
        await pilot.click("#open")
        panel = screen.query_one(PollPanel)
        await until(pilot, lambda: panel.poll is not None, what="the custom poll")
        assert panel.poll.options == ("Blues", "Funk", "Pop")


async def test_announcement_send_and_cancel(config, floor):
    app = manual_agent(config, floor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_live(pilot, floor)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AnnounceDialog))
        app.screen.query_one("#message", Input).value = "Last dance in 10 minutes!"
        await pilot.press("enter")
        panel = screen.query_one(AnnouncementPanel)
        await until(pilot, lambda: panel.current is not None, what="the announcement")
        [stored] = floor.announcements(screen.session.id)
        assert stored.message == "Last dance in 10 minutes!" and stored.cancelled_at is None
        assert "Last dance" in text_of(panel)

        await pilot.press("x")
        await until(pilot, lambda: panel.current is None, what="the announcement taken down")
        assert floor.announcements(screen.session.id)[0].cancelled_at is not None


async def test_marks_and_notes_stay_on_this_laptop(config, floor):
    app = manual_agent(config, floor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_live(pilot, floor)
        await type_track(pilot, "Push & Pull", "The Velvet Hours")
        await until(pilot, lambda: screen.current is not None, what="the current play")
        await pilot.press("u")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, TextDialog))
        app.screen.query_one("#text", Input).value = "floor filled up"
        await pilot.press("enter")
        await until(pilot, lambda: len(app.marks.for_play(screen.session.id, screen.current.play_id)) == 2)
        assert [m.kind for m in app.marks.for_session(screen.session.id)] == ["peak", "note"]
        shown = text_of(screen.query_one("#right NowPlaying"))
        assert "peak ×1" in shown and "floor filled up" in shown


async def test_thanks_make_it_rain(config, floor):
    app = manual_agent(config, floor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_live(pilot, floor)
        await until(pilot, lambda: screen.crowd is not None, what="the first crowd reading")
        with session_scope(floor.engine) as db:
            interactions.thank(db, db.get(LiveSession, screen.session.id), "dancer-7")
        rain = screen.query_one("ThanksRain")
        await until(pilot, lambda: rain.raining, what="the thank-you rain")
        await until(pilot, lambda: "thank you ×1" in text_of(rain), what="the rain drawn")
        await until(pilot, lambda: screen.crowd.thanks_total == 1)


async def test_end_set_after_confirming(config, floor):
    app = manual_agent(config, floor)
    async with app.run_test(size=SIZE) as pilot:
        screen = await go_live(pilot, floor)
        session_id = screen.session.id
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")  # the default answer is "Keep playing"
        assert isinstance(app.screen, LiveScreen)
        assert floor.sessions()[0].status == "live"
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.click("#yes")
        await until(pilot, lambda: isinstance(app.screen, EndedScreen), what="the ended screen")
        assert floor.sessions()[0].status == "ended"
        assert "has ended" in text_of(app.screen.query_one("#ended-summary"))
    assert load_session(config.session_file, floor.url) is None
    assert session_id


async def test_a_restart_offers_to_continue_the_same_set(config, floor):
    app = manual_agent(config, floor)
    async with app.run_test(size=SIZE) as pilot:
        first = (await go_live(pilot, floor)).session.id
    app = manual_agent(config, floor)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the resume offer")
        assert "Continue" in text_of(app.screen.query_one(".title"))
        await pilot.press("enter")  # continuing is the default
        screen = await go_live(pilot, floor)
        assert screen.session.id == first
    assert [s.id for s in floor.sessions()] == [first]
