"""Dates as reader pages show them, without the `date` filter's set-up cost.

The filter builds a formatter for every date it prints (about 20 µs each); a story
page prints a dozen, a listing two a row. These give the same text, remembered per
moment, time zone and language: the same stories head every page. The tests hold
them to the filters (`tests/articles/test_reader_dates.py`)."""

from datetime import datetime, tzinfo
from functools import lru_cache
from typing import NamedTuple

from django.utils import timezone
from django.utils.dates import MONTHS_AP
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _


def reader_datetime(moment, locale=None) -> tuple[str, str]:
    """(ISO 8601, "June 20, 2017, 10:15 p.m. EDT") in the newsroom's time zone: what
    the `date:'c'` and `date:"N j, Y, P T"` filters give (`locale`: see
    `ReaderLocale`)."""
    zone, language = locale or ReaderLocale.current()
    return _reader_datetime(moment, zone, language)


class ReaderLocale(NamedTuple):
    """The time zone and language a page is rendered in, read once for a list of
    stories: each read of them (context-local state) costs a couple of µs, and a
    listing's teasers asked for them a hundred times."""

    zone: tzinfo
    language: str

    @classmethod
    def current(cls) -> "ReaderLocale":
        return cls(timezone.get_current_timezone(), get_language())


def reader_day(moment, locale=None) -> tuple[str, str]:
    """(ISO 8601, "June 20, 2017"): `date:'c'` and `date:"N j, Y"` of a moment
    (or, for a date, its ISO day and `date:"N j, Y"`; `locale`: see
    `ReaderLocale`)."""
    zone, language = locale or ReaderLocale.current()
    return _reader_day(moment, zone, language)


def time_element(moment, *, day_only=False, locale=None) -> SafeString:
    """`<time datetime="…">…</time>` for a moment, its day only if asked;
    nothing for no moment (a draft's publish time)."""
    if moment is None:
        return SafeString("")
    iso, shown = (reader_day if day_only else reader_datetime)(moment, locale)
    return SafeString(f'<time datetime="{iso}">{shown}</time>')


def updated_visibly(published, updated) -> bool:
    """Whether a story's page says "Updated": edited after it was published, in a
    later minute than the one its publish time shows (never, unpublished)."""
    if published is None or updated is None:
        return False
    minute = {"second": 0, "microsecond": 0}
    return updated > published and updated.replace(**minute) != published.replace(
        **minute
    )


@lru_cache(maxsize=10_000)
def _reader_datetime(moment, zone, language) -> tuple[str, str]:
    local = timezone.localtime(moment, zone)
    hour, minute = local.hour, local.minute
    if minute == 0 and hour == 0:
        clock = _("midnight")
    elif minute == 0 and hour == 12:
        clock = _("noon")
    else:
        twelve = hour % 12 or 12
        clock = f"{twelve}:{minute:02d}" if minute else str(twelve)
        clock += " " + (_("p.m.") if hour > 11 else _("a.m."))
    zone = local.tzname() or ""
    return local.isoformat(), (
        f"{MONTHS_AP[local.month]} {local.day}, {local.year}, {clock} {zone}"
    )


@lru_cache(maxsize=10_000)
def _reader_day(moment, zone, language) -> tuple[str, str]:
    # A moment is shown on its day in the newsroom's time zone; a date as it is.
    local = timezone.localtime(moment, zone) if isinstance(moment, datetime) else moment
    return local.isoformat(), f"{MONTHS_AP[local.month]} {local.day}, {local.year}"
