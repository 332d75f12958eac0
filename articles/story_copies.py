"""Columns copied from a story onto rows that point at it, so that pages read
them without a join: its publish time on its links (`StoryLink`), its bylines'
names and addresses in `Article.byline_credits`. `Article.save()` and the
receivers in `articles.receivers` keep them; these write them again after a
change that went past them (a queryset `update()`, a bulk load)."""

from collections import defaultdict

from django.db import models, transaction

from articles.models import STORY_LINKS, Article, Byline


def refresh_story_links(article_ids=None, *, link_models=None) -> None:
    """Copy stories' publish state onto their tag links, mentions and race links
    (or only those of `link_models`) again, after a change that did not go through
    Article.save() (a queryset update(), a bulk load)."""
    for link in STORY_LINKS if link_models is None else link_models:
        story_field = f"{link.STORY_FIELD}_id"
        rows = link.objects.all()
        if article_ids is not None:
            rows = rows.filter(**{f"{story_field}__in": article_ids})
        published = Article.objects.filter(
            pk=models.OuterRef(story_field), status=Article.Status.PUBLISHED
        )
        rows.update(published_at=models.Subquery(published.values("published_at")[:1]))


# Stories a refresh reads and writes at a time: well inside PostgreSQL's 65,535
# parameters a statement, however many stories a journalist has.
CREDITS_REFRESH_BATCH = 5_000


def refresh_byline_credits(article_ids) -> None:
    """Write the stories' `byline_credits` again from their bylines and the people
    in them, where they differ: after any change to a story, its bylines or a
    journalist's name or address (receivers in `articles.apps`; a queryset
    `update()` or bulk insert of bylines calls this itself).

    A story whose credits changed is locked before they are read again and
    written, so that two editors changing one story's bylines at once leave the
    later one's full list: the later waits for the earlier to commit, then reads
    both its own bylines and the earlier's."""
    ids = sorted(set(article_ids))
    for start in range(0, len(ids), CREDITS_REFRESH_BATCH):
        batch = ids[start : start + CREDITS_REFRESH_BATCH]
        if not _changed_credits(batch):
            continue
        with transaction.atomic():
            locked = list(
                Article.objects.filter(pk__in=batch)
                .select_for_update(no_key=True)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            by_credits = defaultdict(list)
            for pk, credits in _changed_credits(locked).items():
                by_credits[tuple(map(tuple, credits))].append(pk)
            for credits, pks in by_credits.items():
                Article.objects.filter(pk__in=pks).update(
                    byline_credits=[list(credit) for credit in credits]
                )


def _changed_credits(article_ids) -> dict[int, list]:
    """{story id: its credits as its bylines make them} of the stories among
    `article_ids` whose stored `byline_credits` differ."""
    stored = dict(
        Article.objects.filter(pk__in=article_ids).values_list("pk", "byline_credits")
    )
    made = {pk: [] for pk in stored}
    bylines = (
        Byline.objects.filter(article_id__in=stored)
        .order_by("position", "id")
        .values_list("article_id", "person__name", "person__slug")
    )
    for article_id, name, slug in bylines:
        made[article_id].append([name, slug])
    return {pk: credits for pk, credits in made.items() if credits != stored[pk]}
