"""Splitting big files into lines a piece at a time gives the same lines as all at once."""

from __future__ import annotations

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
