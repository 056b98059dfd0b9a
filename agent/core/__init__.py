"""Core of the DJ agent: sources, watcher, detector (and the server client/queue).

Plain Python only. The Textual UI (agent.tui) imports this package, never the
other way round; tests/agent/core/test_no_textual.py enforces that.

Detection entry points for the UI:
    agent.core.detect_installed  detect_installed(), make_source()
    agent.core.live              LiveDetection(source, on_play, ...)
    agent.core.detector          Play (Play.event() is the body to queue)

Nothing is imported here, so importing one module stays cheap.
"""
