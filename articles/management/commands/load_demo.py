import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.demo.data import EDITOR_USERNAME
from articles.demo.loader import demo_newsroom_load
from core import cache_keys as keys
from core.cache_keys import invalidate


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (the 2017 Georgia 6th District runoff): stories, "
        "people, "
        "the race with certified results, and an editor account. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though DEBUG is off (the demo editor can log in to the "
            "admin).",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to load the demo newsroom with DEBUG off: it creates an "
                "editor "
                "account. Set DJANGO_DEBUG=1, or pass --force if this is really wanted."
            )
        result = demo_newsroom_load()
        # Some of its rows are written in bulk, past their saves: every page may
        # show them.
        invalidate({keys.SITE}, hard=False)
        created = ", ".join(f"{n} {label}" for label, n in result.created.items() if n)
        self.stdout.write(
            self.style.SUCCESS(f"Demo newsroom loaded: {created}.")
            if created
            else "Demo newsroom already loaded; nothing changed."
        )
        if result.editor_password:
            self.stdout.write(
                "Editor login (shown once): "
                f"{EDITOR_USERNAME} / {result.editor_password}"
            )
            # Kept for `make run` to show again, readable by this user only.
            credentials = Path(settings.NEWSROOM_DEMO_LOGIN_FILE)
            credentials.write_text(f"{EDITOR_USERNAME} / {result.editor_password}\n")
            os.chmod(credentials, 0o600)
        else:
            self.stdout.write(
                f"Editor login: {EDITOR_USERNAME} (password as first printed; reset it "
                "with "
                f"`python manage.py changepassword {EDITOR_USERNAME}`)."
            )
