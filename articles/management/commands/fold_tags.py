from django.core.management.base import BaseCommand

from articles.services import tags_fold


class Command(BaseCommand):
    help = (
        "Merge the tags that readers would take for one (case, spaces, hyphens and "
        "underscores, look-alike letters of another script) into one, moving their "
        "links, and give every tag its key: after tags were written past Tag.save() "
        "(a bulk insert, a restore from a dump)."
    )

    def handle(self, *args, **options):
        merged = tags_fold()
        self.stdout.write(self.style.SUCCESS(f"Merged {merged} tags into others."))
