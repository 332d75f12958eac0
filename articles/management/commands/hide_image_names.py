from django.core.management.base import BaseCommand

from articles.services import images_hide_names


class Command(BaseCommand):
    help = (
        "Move lead images and photos stored under their uploaded file names (before "
        "uploads got random names) to random names, keeping the uploaded name for "
        "editors, and delete the old files and their renditions: a draft's picture "
        "must not sit at an address made from its file name. Safe to run again."
    )

    def handle(self, *args, **options):
        result = images_hide_names()
        for name in result.missing:
            self.stderr.write(f"Missing from storage, left as it is: {name}")
        self.stdout.write(
            self.style.SUCCESS(f"Moved {result.moved} image files to random names.")
        )
