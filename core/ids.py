"""Row ids as forms and addresses send them.

`str.isdigit()` is true of "²" and "①", which `int()` refuses: a check with it
let such a value through to a 500. An id is ASCII digits, within the 64 bits the
database's ids have.
"""

# Ids are 64-bit integers in the database: a larger one (in a forged cursor, say)
# fails in the driver when sent as it is.
LARGEST_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """The id `value` spells, or None when it spells none."""
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if number <= LARGEST_ID else None
