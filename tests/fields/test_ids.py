"""Row ids as forms and addresses send them."""

import pytest

from core.ids import LARGEST_ID, parse_id


@pytest.mark.parametrize(
    ("sent", "read"), [("1", 1), ("0042", 42), (str(LARGEST_ID), LARGEST_ID)]
)
def test_ascii_digits_within_64_bits_are_an_id(sent, read):
    assert parse_id(sent) == read


@pytest.mark.parametrize(
    "sent", ["", "-1", "1.5", " 1", "abc", "²", "①", "٣", str(LARGEST_ID + 1), None]
)
def test_anything_else_is_no_id(sent):
    assert parse_id(sent) is None
