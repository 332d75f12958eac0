from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from articles import services
from articles.models import Article
from people.mention_index import current_finder


class Command(BaseCommand):
    help = (
        "Scan stories for the people they name. Dry run by default: prints what it "
        "would link; --apply links every unambiguous suggestion with its role."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Story ids to scan.")
        parser.add_argument("--all", action="store_true", help="Scan every story.")
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Link the suggestions (default: dry run).",
        )

    def handle(self, *args, ids, all=False, apply=False, **options):
        if bool(ids) == bool(all):
            raise CommandError("Name story ids, or pass --all (not both).")
        stories = Article.objects.defer("search_vector").order_by("pk")
        if ids:
            stories = stories.filter(pk__in=ids)
            missing = set(ids) - set(stories.values_list("pk", flat=True))
            if missing:
                raise CommandError(
                    f"No story with id {', '.join(map(str, sorted(missing)))}."
                )
        finder = current_finder()
        totals = Counter()
        new_names = Counter()
        progress = tqdm(
            stories.iterator(chunk_size=500),
            total=stories.count(),
            unit="story",
            file=self.stderr._out,
            disable=None,
        )
        for article in progress:
            suggestions = services.article_suggestions(article, finder=finder)
            totals["stories"] += 1
            totals["suggested"] += len(suggestions.hits)
            totals["ambiguous"] += len(suggestions.ambiguous)
            new_names.update(name.name for name in suggestions.new_names)
            if apply and suggestions.hits:
                linked = services.article_link_all_suggested(
                    article=article, finder=finder
                )
                totals["linked"] += len(linked)
            elif suggestions.hits and options["verbosity"] > 1:
                names = ", ".join(
                    f"{h.person.name} ({h.role})" for h in suggestions.hits
                )
                self.stdout.write(f"#{article.pk} {article.headline}: {names}")
        verb = "Linked" if apply else "Would link"
        self.stdout.write(
            f"Scanned {totals['stories']} stories. {verb} "
            f"{totals['linked'] if apply else totals['suggested']} people; "
            f"{totals['ambiguous']} ambiguous names left for an editor."
        )
        if new_names:
            common = ", ".join(f"{name} ({n})" for name, n in new_names.most_common(10))
            self.stdout.write(f"Names not in the database: {common}.")
        if not apply:
            self.stdout.write("Dry run: nothing was linked. Pass --apply to link.")
