"""How far an editor can trust the mention finder's suggestions, measured on the
hand-annotated political news texts in tests/data/mentions/ (see its README.md).

For each text, and overall for the tuning and held-out parts separately:
- known people: precision, recall and F1 of the people the finder links;
- roles: how often the suggested role is the annotated one, with a confusion
  table (annotated role down, suggested role across);
- "new people?": precision and recall of the names it proposes for people nobody
  has entered yet.

Pure Python, no database: the known people are loaded straight into the finder.
Run: `make eval-mentions` or `python -m benchmarks.eval_mentions [--out bench]`.
"""

import argparse
import json
from collections import Counter
from pathlib import Path

from people.mentions import KnownPerson, MentionFinder, name_key

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "mentions"
ROLES = ["subject", "candidate", "endorser", "donor", "quoted", "mentioned"]
PARTS = ["tuning", "heldout"]


def load_known(path: Path = DATA / "known_people.json") -> list[KnownPerson]:
    return [
        KnownPerson(
            row["id"],
            row["name"],
            row["kind"],
            tuple(row["aliases"]),
            row.get("party", ""),
            tuple(row.get("clues", ())),
            row.get("coverage", 0),
        )
        for row in json.loads(path.read_text())
    ]


def load_texts(folder: Path = DATA / "texts") -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def _gold(text: dict, by_name: dict[str, list[KnownPerson]]):
    """({person_id: role} for known people, [annotations] for new people)."""
    known, new = {}, []
    for person in text["people"]:
        matches = by_name.get(person["name"], [])
        if "id" in person:
            known[person["id"]] = person["role"]
        elif len(matches) == 1:
            known[matches[0].person_id] = person["role"]
        elif not matches:
            new.append(person)
        else:
            raise ValueError(f"{text['id']}: say which {person['name']} (an id)")
    return known, new


def _ratio(numerator: int, denominator: int) -> float:
    return round(numerator / denominator, 3) if denominator else 1.0


def _f1(precision: float, recall: float) -> float:
    total = precision + recall
    return round(2 * precision * recall / total, 3) if total else 0.0


class Tally:
    """Counts for one text or one part; `scores()` turns them into figures."""

    def __init__(self):
        self.counts = Counter()
        self.confusion: Counter = Counter()  # (annotated role, suggested role)

    def add(self, other: "Tally"):
        self.counts.update(other.counts)
        self.confusion.update(other.confusion)

    def scores(self) -> dict:
        c = self.counts
        precision = _ratio(c["tp"], c["tp"] + c["fp"])
        recall = _ratio(c["tp"], c["tp"] + c["fn"])
        return {
            "precision": precision,
            "recall": recall,
            "f1": _f1(precision, recall),
            "role_accuracy": _ratio(c["role_ok"], c["tp"]),
            "new_precision": _ratio(c["new_tp"], c["new_proposed"]),
            "new_recall": _ratio(c["new_found"], c["new_gold"]),
            "counts": dict(sorted(c.items())),
        }


def evaluate_text(finder: MentionFinder, text: dict, by_name) -> tuple[Tally, dict]:
    gold, gold_new = _gold(text, by_name)
    result = finder.scan(text["text"])
    tally = Tally()
    found = {hit.person.person_id: hit for hit in result.hits}
    errors = []
    for person_id, hit in found.items():
        if person_id not in gold:
            tally.counts["fp"] += 1
            errors.append(f"wrong person: {hit.person.name} from {hit.matched_text!r}")
            continue
        tally.counts["tp"] += 1
        role = gold[person_id]
        tally.confusion[(role, hit.role)] += 1
        if role == hit.role:
            tally.counts["role_ok"] += 1
        else:
            errors.append(f"role of {hit.person.name}: {hit.role}, not {role}")
    for person_id in gold.keys() - found.keys():
        tally.counts["fn"] += 1
        errors.append(f"missed: {finder.people[person_id].name}")
    # New people: a proposal is right when it is a name (or a form of one) of an
    # annotated person nobody has entered.
    wanted = {
        name_key(form): index
        for index, person in enumerate(gold_new)
        for form in [person["name"], *person["forms"]]
    }
    hit_new = set()
    for name in result.new_names:
        tally.counts["new_proposed"] += 1
        index = wanted.get(name_key(name.name))
        if index is None:
            errors.append(f"new-people list proposes {name.name!r}")
        else:
            tally.counts["new_tp"] += 1
            hit_new.add(index)
    tally.counts["new_gold"] += len(gold_new)
    tally.counts["new_found"] += len(hit_new)
    for index, person in enumerate(gold_new):
        if index not in hit_new:
            errors.append(f"new person not proposed: {person['name']}")
    return tally, {"id": text["id"], "part": text["part"], "errors": errors}


def evaluate(known=None, texts=None) -> dict:
    """Scores per text and per part for the finder built from `known`."""
    known = load_known() if known is None else known
    texts = load_texts() if texts is None else texts
    by_name: dict[str, list[KnownPerson]] = {}
    for person in known:
        by_name.setdefault(person.name, []).append(person)
    finder = MentionFinder(known)
    parts = {part: Tally() for part in PARTS}
    per_text = []
    for text in texts:
        tally, detail = evaluate_text(finder, text, by_name)
        parts[text["part"]].add(tally)
        if text["part"] != "tuning":
            detail["errors"] = []  # held out: scores only, so nobody tunes on them
        per_text.append({**detail, **tally.scores()})
    report = {"texts": per_text}
    for part, tally in parts.items():
        report[part] = tally.scores()
        report[part]["confusion"] = {
            gold: {role: tally.confusion[(gold, role)] for role in ROLES}
            for gold in ROLES
            if any(tally.confusion[(gold, role)] for role in ROLES)
        }
        report[part]["texts"] = sum(1 for t in texts if t["part"] == part)
    return report


HEAD = ("precision", "recall", "f1", "role_accuracy", "new_precision", "new_recall")


def markdown(report: dict) -> str:
    lines = ["# Mention finder on the annotated set", ""]
    lines.append("| part | texts | " + " | ".join(HEAD) + " |")
    lines.append("|---" * (len(HEAD) + 2) + "|")
    for part in PARTS:
        row = report[part]
        cells = " | ".join(f"{row[h]:.3f}" for h in HEAD)
        lines.append(f"| {part} | {row['texts']} | {cells} |")
    for part in PARTS:
        lines += ["", f"## Roles, {part} (annotated down, suggested across)", ""]
        lines.append("| | " + " | ".join(ROLES) + " |")
        lines.append("|---" * (len(ROLES) + 1) + "|")
        for gold, row in report[part]["confusion"].items():
            lines.append(f"| {gold} | " + " | ".join(str(row[r]) for r in ROLES) + " |")
    lines += ["", "## Per text", ""]
    lines.append("| text | part | " + " | ".join(HEAD) + " |")
    lines.append("|---" * (len(HEAD) + 2) + "|")
    for text in report["texts"]:
        cells = " | ".join(f"{text[h]:.2f}" for h in HEAD)
        lines.append(f"| {text['id']} | {text['part']} | {cells} |")
    # The held-out part's errors stay unread: tune on the tuning part only.
    lines += ["", "## What went wrong (tuning part)", ""]
    for text in report["texts"]:
        if text["part"] == "tuning":
            lines += [f"- {text['id']}: {error}" for error in text["errors"]]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("bench"))
    parser.add_argument(
        "--errors", action="store_true", help="Print the tuning part's errors."
    )
    options = parser.parse_args()
    report = evaluate()
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / "mentions.json").write_text(json.dumps(report, indent=2) + "\n")
    text = markdown(report)
    (options.out / "mentions.md").write_text(text)
    if not options.errors:
        text = text[: text.index("## What went wrong")]
    print(text)
    print(f"Written to {options.out}/mentions.json and mentions.md")


if __name__ == "__main__":
    main()
