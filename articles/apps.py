from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_init,
            post_save,
            pre_save,
        )
        from taggit.models import Tag

        from articles import cache_keys as changes
        from articles import models as articles
        from articles import receivers as keep
        from core.page_cache import register_schedule
        from people import models as people

        # Cached listings last no longer than until the next story is due.
        register_schedule(changes.next_story_due)

        # Each change invalidates the cache keys of the pages it touches, once it
        # commits (`articles.cache_keys`, `core.cache_keys`).
        source = articles.RelationshipSource
        receivers = [
            (pre_save, changes.story_before_save, articles.Article),
            (post_save, changes.story_saved, articles.Article),
            (post_delete, changes.story_deleted, articles.Article),
            (post_save, changes.section_changed, articles.Section),
            (post_delete, changes.section_deleted, articles.Section),
            (post_save, changes.tag_changed, Tag),
            (post_delete, changes.tag_deleted, Tag),
            (post_save, changes.journalist_saved, people.Person),
            (m2m_changed, changes.race_links_changed, articles.Article.races.through),
            (pre_save, changes.relationship_source_before_save, source),
            (post_save, changes.relationship_source_changed, source),
            (post_delete, changes.relationship_source_changed, source),
        ]
        links = [
            articles.Mention, articles.Byline, articles.TaggedArticle,
            articles.RaceCoverage, articles.ArticleSlug,
        ]  # fmt: skip
        for link in links:
            receivers += [
                (pre_save, changes.link_before_save, link),
                (post_save, changes.link_changed, link),
                (post_delete, changes.link_changed, link),
            ]
        for signal, receiver, sender in receivers:
            uid = f"cache-keys-{receiver.__name__}-{sender.__name__}"
            signal.connect(receiver, sender=sender, dispatch_uid=uid)
        # Every story's `byline_credits` follows its bylines and their people.
        receivers = [
            (post_save, keep.story_saved_credits, articles.Article),
            (post_save, keep.byline_saved_credits, articles.Byline),
            (post_delete, keep.byline_deleted_credits, articles.Byline),
            (post_save, keep.journalist_saved_credits, people.Person),
            # A loaded story remembers its slug and text (`remember_stored`).
            (post_init, keep.story_loaded, articles.Article),
        ]
        for signal, receiver, sender in receivers:
            signal.connect(receiver, sender=sender, dispatch_uid=receiver.__name__)
        # `story.races.add(race)` writes its links in bulk, past
        # `RaceCoverage.save()`: they get their story's publish time here.
        m2m_changed.connect(
            keep.race_links_added,
            sender=articles.Article.races.through,
            dispatch_uid="race-links-published-at",
        )
