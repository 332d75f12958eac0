"""Django's `escape()` and `conditional_escape()`, for HTML built in Python on hot
paths (a listing's teasers and pictures escape about two hundred strings a page).

Django's versions go through `keep_lazy`, which looks at every argument for a lazy
string before doing anything: measured here, over a third of a teaser's time. These
give the same text (`tests/test_escaping.py` holds them to Django's), for plain and
lazy strings alike, as plain `str`: callers wrap the finished HTML in `SafeString`.
"""

from html import escape as _html_escape

from django.utils.functional import Promise
from django.utils.safestring import SafeString


def escape(text) -> str:
    """`django.utils.html.escape()`: always escaped, even if marked safe."""
    return _html_escape(str(text))


def conditional_escape(text) -> str:
    """`django.utils.html.conditional_escape()`: escaped unless marked safe."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return _html_escape(str(text))


def conditional_escape_safe(text) -> SafeString:
    """`django.utils.html.conditional_escape()` itself, safe string and all (the
    reader templates' `finalize`: every value a page prints passes here)."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return SafeString(_html_escape(str(text)))
