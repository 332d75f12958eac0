import argparse
import time

from django.core.management.base import BaseCommand, CommandError

from people.results_import import ResultsSourceError, read_location, results_import


class Command(BaseCommand):
    help = (
        "Import a round's results from a file or URL: the newsroom's CSV, an "
        "OpenElections precinct CSV or an AP Elections API JSON feed (the columns "
        "and fields: people/results_import.py). Each snapshot is imported whole or "
        "not at all; each problem is reported with its line or record."
    )

    def add_arguments(self, parser):
        parser.add_argument("location", help="A file path or an http(s) URL.")
        parser.add_argument("--race", help="The race's slug, for the whole file.")
        parser.add_argument(
            "--round", help="The round's date (2017-06-20) or type (runoff)."
        )
        parser.add_argument("--status", help="election-night, unofficial or certified.")
        parser.add_argument("--as-of", help="ISO 8601 time of the figures.")
        parser.add_argument("--source", help="Who gave the figures.")
        parser.add_argument("--source-url", help="Where they are published.")
        parser.add_argument(
            "--office", help="OpenElections: keep only the rows of this office."
        )
        parser.add_argument(
            "--ap-race-id", help="AP feed: the raceID to import, of several."
        )
        parser.add_argument(
            "--watch",
            type=float,
            metavar="SECONDS",
            help="Read the location again every SECONDS (election night); stop "
            "with Ctrl-C.",
        )
        # For tests: stop after this many reads.
        parser.add_argument("--max-polls", type=int, help=argparse.SUPPRESS)

    def handle(self, location, *, watch=None, max_polls=None, **options):
        given = {
            name: options.get(name)
            for name in (
                "race",
                "round",
                "status",
                "as_of",
                "source",
                "source_url",
                "office",
                "ap_race_id",
            )
            if options.get(name)
        }
        if watch is None:
            if self.import_once(location, given):
                raise CommandError("Some results were not imported (see above).")
            return
        if watch <= 0:
            raise CommandError("--watch needs a number of seconds above 0.")
        polls = 0
        try:
            while True:
                self.import_once(location, given)
                polls += 1
                if max_polls is not None and polls >= max_polls:
                    return
                time.sleep(watch)
        except KeyboardInterrupt:
            self.stdout.write("Stopped watching.")

    def import_once(self, location, given) -> int:
        """Read and import `location` once; the number of problems."""
        try:
            results = results_import(text=read_location(location), **given)
        except ResultsSourceError as error:
            self.stderr.write(str(error))
            return 1
        problems = 0
        for result in results:
            if result.snapshot is not None:
                count = result.snapshot.rows.count()
                self.stdout.write(
                    self.style.SUCCESS(f"Imported {result.snapshot} ({count} rows).")
                )
            elif result.skipped:
                self.stdout.write(f"Skipped: {result.skipped}.")
            for problem in result.problems:
                self.stderr.write(problem)
            problems += len(result.problems)
        return problems
