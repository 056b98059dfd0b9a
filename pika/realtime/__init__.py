"""How a session's public picture reaches its dancers: one canonical copy, one emit per update."""
