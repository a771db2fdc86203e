"""Splitting big files into lines a piece at a time gives the same lines as all at once."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rapport.core.contact_formats import decoding


@given(st.lists(st.sampled_from(["a", "é", "\r\n", "\n", "\r", "xyz", "\u2028"])))
def test_piecewise_split_matches_whole(parts: list[str]) -> None:
    text = "".join(parts)
    whole = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    original = decoding.SPLIT_PIECE
    decoding.SPLIT_PIECE = 5
    try:
        assert decoding.split_lines(text) == whole
    finally:
        decoding.SPLIT_PIECE = original


@given(st.text(alphabet=st.sampled_from(["a", "é", "東", "😀", "\n"])))
def test_piecewise_decoding_matches_whole(text: str) -> None:
    original = decoding.SPLIT_PIECE
    decoding.SPLIT_PIECE = 3  # multi-byte characters straddle the pieces
    try:
        assert decoding.decode_in_pieces(text.encode("utf-8"), "utf-8") == text
        assert decoding.count_in_pieces(text, "\n") == text.count("\n")
    finally:
        decoding.SPLIT_PIECE = original


def test_a_bad_byte_is_reported_where_it_is_in_the_whole_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = ("x" * 10 + "\n").encode() * 5 + b"\xff" + b"tail"
    monkeypatch.setattr(decoding, "SPLIT_PIECE", 4)
    with pytest.raises(UnicodeDecodeError) as err:
        decoding.decode_in_pieces(data, "utf-8")
    assert err.value.start == 55
