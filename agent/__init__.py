"""Pika! DJ agent: detects now playing in the DJ software and feeds the server."""
