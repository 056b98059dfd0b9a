from itertools import islice

import pytest

from pika.domain.accounts import RESERVED_SLUGS, slug_problem
from pika.domain.oidc_claims import (
    claims_problem,
    display_name_from,
    email_from,
    email_is_verified,
    slug_candidates,
    slugify,
)


def test_usable_claims_need_a_subject_and_an_email():
    assert claims_problem({"sub": "abc", "email": "nova@example.com"}) is None
    assert claims_problem({"sub": "abc"}) == "email"
    assert claims_problem({"sub": "abc", "email": "not an address"}) == "email"
    assert claims_problem({"email": "nova@example.com"}) == "token"
    assert claims_problem({"sub": "x" * 256, "email": "nova@example.com"}) == "token"


def test_email_is_normalised():
    assert email_from({"email": "  Nova@Example.COM "}) == "nova@example.com"
    assert email_from({"email": 42}) is None


@pytest.mark.parametrize(("value", "verified"), [(True, True), ("true", True), ("TRUE", True),
                                                 (False, False), ("false", False), (None, False), (1, False)])
def test_only_an_explicit_true_counts_as_verified(value, verified):
    assert email_is_verified({"email_verified": value}) is verified


def test_display_name_prefers_the_name_then_given_and_family_then_usernames():
    assert display_name_from({"name": "  Zoë   Lindqvist ", "given_name": "Z"}) == "Zoë Lindqvist"
    assert display_name_from({"given_name": "Ana", "family_name": "Silva"}) == "Ana Silva"
    assert display_name_from({"preferred_username": "djnova"}) == "djnova"
    assert display_name_from({"nickname": "Nova"}) == "Nova"


def test_display_name_falls_back_to_the_email_local_part_and_is_bounded():
    assert display_name_from({"email": "lindy.hopper_42@example.com"}) == "Lindy Hopper 42"
    assert display_name_from({}) == "DJ"
    assert len(display_name_from({"name": "a" * 200})) == 80


def test_slugify_folds_accents_and_punctuation():
    assert slugify("Zoë  Lindqvist!") == "zoe-lindqvist"
    assert slugify("--DJ__Nova--") == "dj-nova"
    assert slugify("東京") == ""
    assert len(slugify("x" * 50)) == 32


def test_candidates_are_all_valid_slugs_in_order_of_preference():
    claims = {"sub": "s1", "name": "DJ Nova", "preferred_username": "nova", "email": "n.ova@example.com"}
    first = list(islice(slug_candidates(claims), 5))
    assert first == ["dj-nova", "dj-nova-2", "dj-nova-3", "dj-nova-4", "dj-nova-5"]
    assert all(slug_problem(s) is None for s in slug_candidates(claims))


def test_the_email_is_used_only_when_the_name_gives_no_slug():
    assert next(slug_candidates({"sub": "s1", "name": "東京", "email": "swing.kid@example.com"})) == "swing-kid"


def test_reserved_names_are_skipped():
    claims = {"sub": "s1", "name": "Admin", "email": "live@example.com"}
    candidates = list(slug_candidates(claims))
    assert not set(candidates) & RESERVED_SLUGS
    assert candidates[0].startswith("dj-")


def test_names_without_latin_letters_get_a_stable_slug_from_the_subject():
    claims = {"sub": "s-123", "name": "東京", "email": "東京@example.com"}
    first = next(slug_candidates(claims))
    assert first == next(slug_candidates(dict(claims))) and first.startswith("dj-")
    assert slug_problem(first) is None


def test_long_names_leave_room_for_the_number():
    claims = {"sub": "s1", "name": "The Extraordinarily Long Name Of A DJ", "email": "x@example.com"}
    numbered = [s for s in slug_candidates(claims) if s.endswith("-12")]
    assert numbered and all(len(s) <= 32 and slug_problem(s) is None for s in numbered)
