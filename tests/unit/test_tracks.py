from pika.domain.tracks import display_name, full_title, normalize_name, track_key


def test_case_and_surrounding_whitespace_do_not_change_identity():
    assert track_key("Nova Lane", "Slow Burn") == track_key("  NOVA LANE ", "slow burn  ")


def test_inner_whitespace_is_collapsed():
    assert track_key("Nova   Lane", "Slow \t Burn") == track_key("Nova Lane", "Slow Burn")


def test_unicode_compatibility_forms_and_casefold_are_one_identity():
    # NFKC folds the full-width letters and the ligature; casefold folds ß to ss.
    assert track_key("Ｂjörk", "Straße ﬁre") == track_key("björk", "STRASSE fire")
    # Composed and decomposed accents are the same name.
    assert track_key("Bjo\u0308rk", "Joga") == track_key("Bj\u00f6rk", "Joga")


def test_versions_stay_part_of_the_identity():
    assert track_key("A", "Song (Remix)") != track_key("A", "Song")
    assert track_key("A", "Song", "Remix") != track_key("A", "Song")
    assert track_key("A", "Song", "Remix") == track_key("A", "Song (Remix)")


def test_artist_and_title_cannot_bleed_into_each_other():
    assert track_key("A B", "C") != track_key("A", "B C")


def test_display_keeps_original_casing():
    assert display_name("  DJ  Pika  ") == "DJ Pika"
    assert normalize_name("DJ Pika") == "dj pika"
    assert full_title("Song", "Extended Mix") == "Song (Extended Mix)"
    assert full_title("Song (Extended Mix)", "extended mix") == "Song (Extended Mix)"
