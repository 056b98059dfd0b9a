"""Turning the bytes DJ software writes into text lines, in one place.

Order: byte-order mark, then strict UTF-8, then the Windows ANSI code page
(cp1252), then latin-1 (never fails). Non-BOM files are decoded per line so a
file that mixes UTF-8 and ANSI lines (VirtualDJ on Windows, WNP #241) still
reads. Only complete lines count by default: a writer may be mid-line.
"""

from __future__ import annotations

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def sniff_encoding(data: bytes) -> tuple[str | None, int]:
    """(encoding, bytes to skip) from a BOM, or a BOM-less UTF-16 guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    sample = data[:256]
    if len(sample) >= 4:
        even_nul = sample[0::2].count(0)
        odd_nul = sample[1::2].count(0)
        half = len(sample) // 2
        # ASCII-ish UTF-16 text has a NUL in every other byte, and nowhere else.
        if odd_nul >= half * 0.6 and even_nul == 0:
            return "utf-16-le", 0
        if even_nul >= half * 0.6 and odd_nul == 0:
            return "utf-16-be", 0
    return None, 0


def decode_line(raw: bytes) -> str:
    for encoding in ("utf-8", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def split_lines(data: bytes, *, complete_only: bool = True) -> list[str]:
    """Decoded lines without line endings (LF or CRLF).

    complete_only drops a last line that has no newline yet: it may still be
    being written. Leading U+FEFF is stripped from every line.
    """
    encoding, skip = sniff_encoding(data)
    body = data[skip:]
    if encoding in ("utf-16-le", "utf-16-be"):
        body = body[: len(body) - (len(body) % 2)]
        parts = body.decode(encoding, errors="replace").split("\n")
    elif encoding == "utf-8":
        parts = [_utf8_or_fallback(chunk) for chunk in body.split(b"\n")]
    else:
        parts = [decode_line(chunk) for chunk in body.split(b"\n")]
    tail = parts.pop()
    if tail and not complete_only:
        parts.append(tail)
    return [part.rstrip("\r").lstrip("\ufeff") for part in parts]


def _utf8_or_fallback(chunk: bytes) -> str:
    try:
        return chunk.decode("utf-8")
    except UnicodeDecodeError:
        return decode_line(chunk)


def decode_text(data: bytes) -> str:
    """Whole text of a small file, last line included, LF line endings."""
    return "\n".join(split_lines(data, complete_only=False))
