"""Reader search over stories, people and races.

On PostgreSQL, stories are matched with full-text search against a weighted vector
(headline > dek > body) kept by a trigger and served by a GIN index, ranked, with
highlighted snippets from `ts_headline`; only the newest RANKED_MATCHES matches are
ranked, so a common word never means ranking half the archive. On SQLite the same
function falls back to case-insensitive substring matching of every word, newest
first, with the snippet highlighted in Python. Either way, any query string gives a
page, never an error.
"""

import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Q, Subquery
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from core.postgresql.lookups import AnyOf
from core.text import strip_control_characters

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
RANKED_MATCHES = 1000  # newest matching stories that are ranked against each other
# Where a common word's newest matches are looked for first (see `newest_matches`).
NEWEST_WINDOW = 10_000
# Markers ts_headline puts around matches; escaped text can never contain them.
START, STOP = "\x02", "\x03"


def clean_query(raw: str | None) -> str:
    """The query as searched: control characters out, whitespace folded, bounded."""
    text = " ".join(strip_control_characters(raw or "").split())
    return text[:MAX_QUERY_LENGTH]


def query_words(query: str) -> list[str]:
    return re.findall(r"\w[\w'’.-]*", query)[:MAX_WORDS]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_articles(articles, query: str):
    """Filter `articles` (a queryset already limited to what readers may see).

    On PostgreSQL the newest matches are found at once (one query) and the result
    carries their number as `match_count`."""
    words = query_words(query)
    if not words:
        return articles.none()
    if is_postgresql():
        search = SearchQuery(" ".join(words), search_type="websearch", config="english")
        # Rank only the newest matches: a word found in half the archive would
        # otherwise mean ranking 50,000 stories for every page of results. Their
        # ids are read first, in a query of their own: as a subquery they were
        # found twice a page (for the count, then for the page).
        newest = newest_matches(articles, search)
        found = (
            articles.filter(AnyOf(F("pk"), newest))
            .annotate(
                rank=SearchRank(F("search_vector"), search),
                snippet_source=SearchHeadline(
                    "dek",
                    search,
                    config="english",
                    start_sel=START,
                    stop_sel=STOP,
                    highlight_all=True,
                ),
            )
            .order_by("-rank", "-published_at", "-id")
        )
        found.match_count = len(newest)  # what a COUNT(*) would say: no query
        return found
    matches = Q()
    for word in words:
        matches &= (
            Q(headline__icontains=word)
            | Q(dek__icontains=word)
            | Q(body__icontains=word)
        )
    return articles.filter(matches).order_by("-published_at", "-id")


def newest_matches(articles, search: SearchQuery) -> list[int]:
    """Ids of the newest RANKED_MATCHES of `articles` that match (PostgreSQL).

    Walking the newest stories until enough match reads every story's vector on
    the way: a word in one story in ten cost 30 ms, most of a search's time. So
    the newest NEWEST_WINDOW stories are asked first, which PostgreSQL answers by
    ANDing the GIN index with the publish-time index and reading only the matches
    (7 ms). When they hold RANKED_MATCHES matches, those are exactly the newest
    ones: every story outside the window is older than every story in it. A rarer
    word falls back to the whole archive, where its matches are few to find.
    """
    matching = (
        articles.filter(search_vector=search)
        .order_by("-published_at", "-id")
        .values_list("pk", flat=True)
    )
    window_start = articles.order_by("-published_at", "-id").values("published_at")[
        NEWEST_WINDOW : NEWEST_WINDOW + 1
    ]
    # A smaller archive has no window start: NULL matches nothing, and the
    # whole archive is asked, as it should be.
    in_window = list(
        matching.filter(published_at__gte=Subquery(window_start))[:RANKED_MATCHES]
    )
    if len(in_window) == RANKED_MATCHES:
        return in_window
    return list(matching[:RANKED_MATCHES])


def search_for_editors(articles, term: str):
    """The admin story search: stories whose headline, dek or body has every word
    (as a prefix, so "Ossof" finds Ossoff), or that are linked to a person so named
    (in their name or an alias: `Person.objects.named`, trigram indexes).

    On PostgreSQL it reads the full-text GIN index instead of scanning every body
    with LIKE, which took seconds at 100,000 stories. Returns None on SQLite, where
    the admin's own search is fast enough.
    """
    from articles.models import Mention
    from people.models import Person

    if not is_postgresql():
        return None
    words = [w for w in (re.sub(r"\W", "", w) for w in query_words(term)) if w]
    if not words:
        return articles.none()
    prefixes = " & ".join(f"{word}:*" for word in words)
    matches = Q(
        search_vector=SearchQuery(prefixes, search_type="raw", config="english")
    )
    people = Person.objects.named(words).values("pk")[:20]
    # The linked stories' ids as a list, not a subquery: PostgreSQL then ORs two
    # index scans instead of testing every story against the subquery.
    linked = list(
        Mention.objects.filter(person__in=people)
        .values_list("article_id", flat=True)
        .distinct()[:5000]
    )
    if linked:
        matches |= Q(pk__in=linked)
    return articles.filter(matches)


def naming_any(names) -> Q:
    """Stories whose headline, dek or body holds one of `names`: a first sieve
    for the mention finder, which then confirms whole-word mentions.

    On PostgreSQL each name is a phrase query on the full-text GIN index: a LIKE
    on every body took 2.3 s at 100,000 stories. The text-search parser splits
    the story and the name alike, so a story that names someone matches the
    phrase (possessives, curly apostrophes, markup between the words included).
    A name made of stop words only ("The Who") has no phrase to look for, and is
    looked for with LIKE."""
    matches = Q()
    phrases = with_lexemes(names) if is_postgresql() else set()
    for name in phrases:
        matches |= Q(
            search_vector=SearchQuery(name, search_type="phrase", config="english")
        )
    for name in names:
        if name not in phrases:
            matches |= (
                Q(headline__icontains=name)
                | Q(dek__icontains=name)
                | Q(body__icontains=name)
            )
    return matches


def with_lexemes(texts) -> set[str]:
    """Those of `texts` in which PostgreSQL's English text search finds a word to
    look for (not only stop words or punctuation): one query for all."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT text FROM unnest(%s::text[]) AS texts(text) "
            "WHERE numnode(phraseto_tsquery('english', text)) > 0",
            [list(texts)],
        )
        return {text for (text,) in cursor.fetchall()}


def highlight(text: str, query: str) -> str:
    """`text` (HTML or plain) as safe HTML with the query's words in <mark>."""
    if START in text:  # PostgreSQL marked the matches already
        marked = escape(strip_tags(text))
        marked = marked.replace(START, "<mark>").replace(STOP, "</mark>")
        return mark_safe(marked)
    plain = escape(strip_tags(text))
    words = [re.escape(escape(w)) for w in query_words(query)]
    if not words:
        return mark_safe(plain)
    pattern = re.compile(r"\b(" + "|".join(words) + r")", re.IGNORECASE)
    return mark_safe(pattern.sub(r"<mark>\1</mark>", plain))
