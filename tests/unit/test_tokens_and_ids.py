import hashlib

from pika.domain.ids import ALPHABET, LENGTH, is_session_id, new_session_id
from pika.domain.tokens import TOKEN_PREFIX, generate_token, hash_token, looks_like_token


def test_tokens_have_the_prefix_and_at_least_128_random_bits():
    token = generate_token()
    assert token.startswith(TOKEN_PREFIX)
    # base64url carries 6 bits per character.
    assert (len(token) - len(TOKEN_PREFIX)) * 6 >= 128
    assert len({generate_token() for _ in range(1000)}) == 1000


def test_only_the_sha256_of_a_token_is_derived_for_storage():
    token = generate_token()
    digest = hash_token(token)
    assert digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in digest


def test_token_shape_check():
    assert looks_like_token(generate_token())
    assert not looks_like_token("Bearer nonsense")


def test_session_ids_are_short_and_unguessable():
    ids = {new_session_id() for _ in range(5000)}
    assert len(ids) == 5000
    assert all(is_session_id(i) and len(i) == LENGTH and set(i) <= set(ALPHABET) for i in ids)
    assert len(ALPHABET) ** LENGTH > 2**58
    assert not is_session_id("../../etc") and not is_session_id("ABCDEFGHJKMN")
