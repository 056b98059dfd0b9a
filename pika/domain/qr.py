"""QR codes for the join link: SVG for the web, text blocks for the terminal."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> bytes:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=20, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def qr_text(data: str) -> str:
    """Half-block characters: two QR rows per terminal line, readable by phone cameras."""
    code = qrcode.QRCode(border=2)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    if len(matrix) % 2:
        matrix.append([False] * len(matrix[0]))
    blocks = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
    return "\n".join(
        "".join(blocks[(top, bottom)] for top, bottom in zip(matrix[y], matrix[y + 1], strict=True))
        for y in range(0, len(matrix), 2)
    )
