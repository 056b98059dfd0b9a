"""Agent API v1: what the DJ's terminal agent talks to."""
