"""Signal receivers that keep the columns a story's links copy from it (publish
times, byline credits) and what a loaded story remembers; connected in
`ArticlesConfig.ready`. The cache keys' receivers are in `articles.cache_keys`."""

from django.db import models

from articles.models import Article, Byline, RaceCoverage
from articles.story_copies import refresh_byline_credits, refresh_story_links


def story_loaded(*, instance, **kwargs):
    """A `post_init` receiver for `Article`: a story read from the database (it
    has a primary key) remembers what it was loaded with (`remember_stored`)."""
    if instance.pk is not None:
        instance.remember_stored()


def race_links_added(*, action, instance, reverse, pk_set, **kwargs):
    """An `m2m_changed` receiver for `Article.races`: the links `add()` (or `set()`)
    just wrote in bulk get their stories' publish time (connected in
    `ArticlesConfig.ready`)."""
    if action != "post_add" or not pk_set:
        return
    stories = list(pk_set) if reverse else [instance.pk]
    refresh_story_links(stories, link_models=[RaceCoverage])


def story_saved_credits(*, instance, **kwargs):
    """A `post_save` receiver for `Article`: a save writes the credits the
    instance held, which a byline change since it was loaded may have outdated;
    a reverted version or a fixture brings its own."""
    refresh_byline_credits([instance.pk])


def byline_saved_credits(*, instance, **kwargs):
    """A `post_save` receiver for `Byline`: its story's credits."""
    refresh_byline_credits([instance.article_id])


def byline_deleted_credits(*, instance, origin=None, **kwargs):
    """A `post_delete` receiver for `Byline`: its story's credits, unless the
    story is going too (a thousand stories deleted at once would each be
    refreshed for nothing)."""
    deleting_stories = isinstance(origin, Article) or (
        isinstance(origin, models.QuerySet) and origin.model is Article
    )
    if not deleting_stories:
        refresh_byline_credits([instance.article_id])


def journalist_saved_credits(*, instance, **kwargs):
    """A `post_save` receiver for `Person`: the credits of the stories they
    have a byline on, which show their name and address."""
    stories = Byline.objects.filter(person_id=instance.pk).values_list(
        "article_id", flat=True
    )
    refresh_byline_credits(list(stories))
