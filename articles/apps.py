from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        # Any change readers could see makes the cached pages stale.
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_save,
            pre_save,
        )
        from taggit.models import Tag

        import newsroom.checks  # noqa: F401  (registers the deployment checks)
        from articles import models as articles
        from newsroom.page_cache import (
            content_changed,
            content_removed,
            story_may_be_withdrawn,
        )
        from people import models as people

        watched = [
            articles.Article, articles.Mention, articles.Byline, articles.Section,
            articles.TaggedArticle, articles.ArticleSlug, articles.RaceCoverage,
            people.Person, people.Alias, people.Race, people.Election,
            people.Candidacy, people.PersonSlug, Tag,
        ]  # fmt: skip
        for model in watched:
            post_save.connect(content_changed, sender=model, dispatch_uid=f"pc-{model}")
            post_delete.connect(
                content_removed, sender=model, dispatch_uid=f"pd-{model}"
            )
        # What readers could see and no longer may is a hard purge of stale pages.
        pre_save.connect(
            story_may_be_withdrawn, sender=articles.Article, dispatch_uid="pc-withdrawn"
        )
        m2m_changed.connect(
            content_changed,
            sender=articles.Article.races.through,
            dispatch_uid="pc-races",
        )
        # Every story's `byline_credits` follows its bylines and their people.
        receivers = [
            (post_save, articles.story_saved_credits, articles.Article),
            (post_save, articles.byline_saved_credits, articles.Byline),
            (post_delete, articles.byline_deleted_credits, articles.Byline),
            (post_save, articles.journalist_saved_credits, people.Person),
        ]
        for signal, receiver, sender in receivers:
            signal.connect(receiver, sender=sender, dispatch_uid=receiver.__name__)
        # `story.races.add(race)` writes its links in bulk, past
        # `RaceCoverage.save()`: they get their story's publish time here.
        m2m_changed.connect(
            articles.race_links_added,
            sender=articles.Article.races.through,
            dispatch_uid="race-links-published-at",
        )
