"""The connection line tells the truth: offline with plays queued, then online with all delivered."""

from __future__ import annotations

from agent.core.config import AgentConfig
from agent.tui.widgets.connection import ConnectionBar
from tests.agent.tui.conftest import SIZE, until
from tests.agent.tui.test_live import go_live, manual_agent, text_of, type_track
from tests.support.agent_floor import Floor, new_dj, start_server


async def test_offline_then_back_online_delivers_the_queued_plays(tmp_path):
    server, engine = start_server(tmp_path)
    try:
        token, slug = new_dj(engine)
        floor = Floor(server, engine, token, slug)
        config = AgentConfig(server=floor.url, config_dir=tmp_path / "config", data_dir=tmp_path / "data")
        app = manual_agent(config, floor)
        async with app.run_test(size=SIZE) as pilot:
            screen = await go_live(pilot, floor)
            bar = screen.query_one(ConnectionBar)
            await until(pilot, lambda: bar.online is True, what="online")

            server.stop()  # the venue Wi-Fi drops
            await type_track(pilot, "Offline One", "Nova Lane")
            await type_track(pilot, "Offline Two", "Nova Lane")
            await until(pilot, lambda: bar.online is False and bar.pending == 2, what="offline with 2 queued")
            assert "OFFLINE" in text_of(bar) and "2 queued" in text_of(bar)

            server.start()  # back
            await until(pilot, lambda: bar.online is True and bar.pending == 0, timeout=30, what="delivered")
            assert [p[2] for p in floor.plays(screen.session.id)] == ["Offline One", "Offline Two"]
    finally:
        server.stop()
        engine.dispose()
