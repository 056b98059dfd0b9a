"""Errors a source raises when it cannot read (the UI shows them to the DJ)."""


class SourceError(Exception):
    """The DJ software's files exist but can't be read right now.

    Examples: no permission (macOS "Files and Folders" consent), a database
    that stays locked, a file that is not a database. A missing file is not an
    error: sources return None / [] for "nothing yet".
    """
