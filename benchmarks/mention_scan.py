"""Mention finder benchmark: automaton build time and scan time per 1,000-word story
for 1,000, 10,000 and 100,000 people. Pure Python, no database.

Run: `make bench` or `python -m benchmarks.mention_scan [--people 1000 10000 100000]`.
"""

import argparse
import json
import random
import statistics
import time
from pathlib import Path

from people.mentions import KnownPerson, MentionFinder

SEEDS = Path(__file__).resolve().parent.parent / "articles" / "demo" / "seeds"
SYLLABLES = "ba be bo da de di ka ke ko la le li ma me mo na ne ri ro sa se ta".split()
DEMO_NAMES = ["Jon Ossoff", "Karen Handel", "Samuel L. Jackson", "Jane Fonda"]


def synthetic_people(count: int, rng: random.Random) -> list[KnownPerson]:
    def word():
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).title()

    people = [
        KnownPerson(n, f"{word()} {word()}", rng.choice(["candidate", "celebrity"]))
        for n in range(count)
    ]
    # The demo people too, so the stories have real hits.
    for offset, name in enumerate(DEMO_NAMES):
        people.append(KnownPerson(count + offset, name, "celebrity"))
    return people


def thousand_word_story() -> str:
    text = "\n\n".join(p.read_text() for p in sorted(SEEDS.glob("*.txt")))
    words = text.split(" ")
    while len(words) < 1000:
        words += words
    return " ".join(words[:1000])


def timed(function, repeat: int) -> float:
    """Median seconds of `repeat` runs."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def measure(counts: list[int]) -> list[dict]:
    """Build time, and find and scan time per 1,000-word story, for each size."""
    rng = random.Random(2017)
    story = thousand_word_story()
    results = []
    for count in counts:
        people = synthetic_people(count, rng)
        build = timed(lambda people=people: MentionFinder(people), 1)
        finder = MentionFinder(people)
        find = timed(lambda finder=finder: finder.find(story), 50)
        scan = timed(lambda finder=finder: finder.scan(story), 50)
        results.append(
            {
                "people": count,
                "build_seconds": round(build, 3),
                "find_ms_per_1000_words": round(find * 1000, 3),
                "scan_ms_per_1000_words": round(scan * 1000, 3),
                "hits": len(finder.find(story).hits),
            }
        )
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    options = parser.parse_args()
    results = measure(options.people)
    print(f"{'people':>8} {'build s':>8} {'find ms':>8} {'scan ms':>8} {'hits':>5}")
    for row in results:
        print(
            f"{row['people']:>8} {row['build_seconds']:>8.2f} "
            f"{row['find_ms_per_1000_words']:>8.3f} "
            f"{row['scan_ms_per_1000_words']:>8.3f} {row['hits']:>5}"
        )
    print("find: names only (reader links, bulk scans); scan: with roles and new names")
    if options.json:
        options.json.parent.mkdir(parents=True, exist_ok=True)
        options.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
