from django.core.management.base import BaseCommand
from django.db import transaction

from articles.cache_keys import story_link_keys
from articles.models import Article
from articles.story_copies import refresh_byline_credits, refresh_story_links
from core import cache_keys as keys
from core.cache_keys import invalidate


class Command(BaseCommand):
    help = (
        "Copy each story's publish state onto its mentions and tag links again (what "
        "person and tag pages read), and write its bylines as readers see them "
        "(Article.byline_credits) again, after changes made outside the models' "
        "saves: a bulk SQL update, a restore from a dump, a hand-made import."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "ids", nargs="*", type=int, help="Story ids (default: every story)."
        )

    def handle(self, *args, ids, **options):
        with transaction.atomic():
            refresh_story_links(ids or None)
            refresh_byline_credits(ids or Article.objects.values_list("pk", flat=True))
            # Rows written past their saves: the stories' pages and every listing
            # their links are on (every page, for every story).
            found = {keys.SITE}
            if ids:
                found = set().union(*(story_link_keys(pk) for pk in ids))
                found |= {keys.story(pk) for pk in ids} | {keys.SITEMAP_INDEX}
            invalidate(found, hard=False)
        which = f"{len(ids)} stories" if ids else "every story"
        self.stdout.write(self.style.SUCCESS(f"Refreshed the links of {which}."))
