from agent.core.textio import decode_text, sniff_encoding, split_lines


def test_utf8_bom_crlf_and_partial_last_line():
    data = "\ufeffline one\r\nBjörk\r\nhalf".encode()
    assert split_lines(data) == ["line one", "Björk"]
    assert split_lines(data, complete_only=False) == ["line one", "Björk", "half"]


def test_cp1252_and_latin1_fallbacks_per_line():
    data = "Björk – Army\n".encode("cp1252") + "Sigur Rós\n".encode() + b"\x81odd\n"
    assert split_lines(data) == ["Björk – Army", "Sigur Rós", "\x81odd"]


def test_utf16_with_bom_both_orders():
    for encoding, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")):
        data = bom + "Title: Alpha\r\nArtist: Björk\r\nAlb".encode(encoding)
        assert sniff_encoding(data)[0] == encoding
        assert split_lines(data) == ["Title: Alpha", "Artist: Björk"]


def test_utf16_without_bom_is_recognised():
    data = "Title: Alpha\nArtist: A\n".encode("utf-16-le")
    assert split_lines(data) == ["Title: Alpha", "Artist: A"]


def test_odd_byte_count_in_utf16_does_not_crash():
    data = b"\xff\xfe" + "Alpha\n".encode("utf-16-le") + b"B"
    assert split_lines(data) == ["Alpha"]


def test_empty_and_decode_text():
    assert split_lines(b"") == []
    assert decode_text(b"a\r\nb") == "a\nb"
