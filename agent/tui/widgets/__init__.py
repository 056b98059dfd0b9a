"""Widgets of the live screen; each renders plain data it is given (no I/O)."""
