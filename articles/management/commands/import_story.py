from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles import services


class Command(BaseCommand):
    help = (
        "Import plain-text stories (blank lines between paragraphs; a short first "
        "line is taken as the headline). Finds the people they name; --link links "
        "the unambiguous ones. Imports nothing if any file is unreadable."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--headline", help="Headline (else the first short line).")
        parser.add_argument("--byline", help="Journalist's name; created if new.")
        parser.add_argument("--section", default="News", help="Section name or slug.")
        parser.add_argument(
            "--publish", action="store_true", help="Publish now (default: draft)."
        )
        parser.add_argument(
            "--link", action="store_true", help="Link the people found (unambiguous)."
        )

    def handle(self, *args, files, headline, byline, section, publish, link, **options):
        if headline and len(files) > 1:
            raise CommandError("--headline names one story: import one file with it.")
        try:
            texts = [services.read_story_file(path) for path in files]
        except services.StoryFileError as error:
            raise CommandError(str(error)) from error
        with transaction.atomic():
            for path, text in zip(files, texts, strict=True):
                try:
                    result = services.story_import(
                        text=text,
                        headline=headline,
                        byline=byline,
                        section=section,
                        publish=publish,
                        link=link,
                    )
                except services.StoryFileError as error:
                    raise CommandError(f"{path}: {error}") from error
                self.report(path, result)

    def report(self, path, result):
        article = result.article
        self.stdout.write(
            self.style.SUCCESS(f"Imported {path} as #{article.pk} “{article.headline}”")
            + f" ({article.get_status_display().lower()})."
        )
        if result.linked:
            names = ", ".join(f"{m.person.name} ({m.role})" for m in result.linked)
            self.stdout.write(f"  Linked: {names}.")
        elif result.suggestions.hits:
            names = ", ".join(
                f"{h.person.name} ({h.role})" for h in result.suggestions.hits
            )
            self.stdout.write(f"  People found (pass --link to link them): {names}.")
        for name in result.suggestions.ambiguous:
            candidates = " or ".join(p.name for p in name.candidates)
            self.stdout.write(f"  Ambiguous: “{name.text}” could be {candidates}.")
        if result.suggestions.new_names:
            names = ", ".join(n.name for n in result.suggestions.new_names)
            self.stdout.write(f"  New people?: {names}.")
