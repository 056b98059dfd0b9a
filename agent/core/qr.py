"""The join link as a QR code made of half-block characters, for the terminal.

Two QR rows per text line keeps it square and small enough for a laptop screen; the
quiet zone (border) is what lets a phone camera find it on a dark terminal.
"""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_L

_BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_matrix(data: str, border: int = 2) -> list[list[bool]]:
    code = qrcode.QRCode(border=border, error_correction=ERROR_CORRECT_L)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def qr_text(data: str, *, invert: bool = False, border: int = 2) -> str:
    """Lines of half blocks, dark modules drawn. Show it dark-on-light (the UI sets both
    colours); invert=True draws the light modules instead, for plain light-on-dark output."""
    matrix = qr_matrix(data, border)
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    if invert:
        matrix = [[not cell for cell in row] for row in matrix]
    return "\n".join(
        "".join(_BLOCKS[(top, bottom)] for top, bottom in zip(matrix[y], matrix[y + 1], strict=True))
        for y in range(0, len(matrix), 2)
    )
