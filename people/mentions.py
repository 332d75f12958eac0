"""Find the people a story names. Pure: no database, no Django.

One Aho-Corasick automaton holds every full name, alias and surname, so a story is
scanned in time linear in its length whatever the number of people. Text and names
are folded the same way (case, diacritics, curly apostrophes and quotes, odd spaces),
one character for one character, so offsets in the folded text are offsets in the
original. `people.mention_index` builds the finder from the database.
"""

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

# --- Folding -------------------------------------------------------------------

_APOSTROPHES = "’‘ʼ`´′"
_QUOTES = "“”„«»″"
_FOLDED: dict[int, str] = {}


def _fold_char(char: str) -> str:
    if char in _APOSTROPHES:
        return "'"
    if char in _QUOTES:
        return '"'
    if char.isspace():
        return " "
    base = unicodedata.normalize("NFKD", char)[:1] or char
    lowered = base.lower()
    return lowered[:1] or base


def fold(text: str) -> str:
    """Case-, accent- and apostrophe-folded `text`, exactly as long as `text`."""
    for char in set(text):
        if ord(char) not in _FOLDED:
            _FOLDED[ord(char)] = _fold_char(char)
    return text.translate(_FOLDED)


def name_key(name: str) -> str:
    return " ".join(fold(name).split())


_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def surname_of(name: str) -> str | None:
    tokens = [t.strip(",") for t in name.split()]
    while len(tokens) > 1 and fold(tokens[-1]) in _SUFFIXES:
        tokens.pop()
    if len(tokens) < 2:
        return None
    surname = tokens[-1]
    return surname if len(surname) >= 2 and surname[0].isalpha() else None


# --- What a scan reports ---------------------------------------------------------

ROLE_PRIORITY = ["candidate", "endorser", "donor", "quoted", "mentioned"]


@dataclass(frozen=True)
class KnownPerson:
    person_id: int
    name: str
    kind: str = "other"
    aliases: tuple[str, ...] = ()
    party: str = ""  # "D", "R", … where it applies
    # Lowercase words that place the person: offices, titles, states ("senator",
    # "texas"); a sentence holding one picks them among people of the same name.
    clues: tuple[str, ...] = ()
    coverage: int = 0  # stories linked to them: who a lone surname most likely is


@dataclass
class Occurrence:
    start: int
    end: int
    text: str
    how: str  # "name", "alias" or "surname"


@dataclass
class Hit:
    """A known person found in the text."""

    person: KnownPerson
    occurrences: list[Occurrence] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)  # role -> evidence sentence

    @property
    def matched_text(self) -> str:
        return self.occurrences[0].text

    @property
    def start(self) -> int:
        return self.occurrences[0].start

    @property
    def end(self) -> int:
        return self.occurrences[0].end

    @property
    def count(self) -> int:
        return len(self.occurrences)

    @property
    def role(self) -> str:
        """The suggested role: the most specific one the text states plainly."""
        for role in ROLE_PRIORITY:
            if role in self.roles:
                return role
        return "mentioned"

    @property
    def sentence(self) -> str:
        return self.roles.get(self.role) or self._first_sentence

    _first_sentence: str = ""


@dataclass
class Ambiguous:
    """A name that fits more than one known person: never linked silently."""

    text: str
    start: int
    end: int
    candidates: list[KnownPerson]
    sentence: str
    count: int = 1


@dataclass
class NewName:
    """Capitalised words that look like a person nobody has entered yet."""

    name: str
    start: int
    count: int
    sentence: str


@dataclass
class ScanResult:
    hits: list[Hit]
    ambiguous: list[Ambiguous]
    new_names: list[NewName]

    def hit_for(self, person_id: int) -> Hit | None:
        return next((h for h in self.hits if h.person.person_id == person_id), None)


# --- Sentences and roles ---------------------------------------------------------

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "rep", "sen", "gov", "st", "jr", "sr", "vs", "u.s",
    "lt", "gen", "col", "sgt", "prof", "no", "inc", "co", "corp", "mt", "ft",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+|\n\s*\n")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; initials ("Samuel L. Jackson") do not end one."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[start : match.start()].split()
        last_word = before[-1].lower().rstrip(".") if before else ""
        if match.group().strip().startswith(".") and (
            len(last_word) == 1 or last_word in _ABBREVIATIONS
        ):
            continue
        spans.append((start, match.end()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# Words that state a role, after the person ("Jackson cut a radio ad"), or before
# them ("support from actress Debra Messing").
_AFTER = [
    (
        "donor",
        re.compile(
            r"\b(donat\w*|contribut\w*|gave (?:money|\$)|maxed out|wrote checks?)"
        ),
    ),
    (
        "endorser",
        re.compile(
            r"\b(endors\w*|radio ad|ads?\b|campaign(?:ed|ing|s)? for"
            r"|stump(?:ed|ing)? for|volunteer\w*|vote for|rall(?:ied|ying|y) for"
            r"|urg(?:ed|ing|es|e) voters|drove voters|knock(?:ed|ing) on doors"
            r"|door to door|fund-?rais\w*)"
        ),
    ),
    (
        "quoted",
        re.compile(
            r"\b(said|says|told|tells|added|announced|tweeted|wrote|declared|insisted)\b"
        ),
    ),
]
# Up to MAX_BEFORE_WORDS words may stand between: "support from actress X".
_BEFORE = [
    ("endorser", r"support from|endorsed by|backed by|endorsement (?:of|from)"),
    ("donor", r"donations? from|money from|contributions? from|gifts? from"),
    ("quoted", r"said|says|according to|told by"),
]
MAX_BEFORE_WORDS = 3
_BEFORE_PATTERN = re.compile(
    "(?:"
    + "|".join(rf"(?P<{role}>\b(?:{words}))" for role, words in _BEFORE)
    + rf")\W+(?:\S+\s+){{0,{MAX_BEFORE_WORDS}}}$"
)
_ELECTION_WORDS = re.compile(
    r"\b(election|race|runoff|candidacy|candidates?|bid|seat|primary|ballot|votes?)\b"
)
_QUOTATION = re.compile(r"[\"“”].{3,}?[\"“”]")
# A name followed by one of these modifies a noun ("an early Ossoff supporter",
# "Ossoff's campaign"): that person is not the one acting in the sentence.
_MODIFIED = re.compile(
    r"(?:['’]s?\b|\s+(?:supporters?|backers?|campaign|camp|opponents?|allies|ally|fans?"
    r"|administration|team|spokes\w+|era|presidency)\b)"
)
_LIST_WORDS = {"and", "or", "&"}
_WORD = re.compile(r"[\w$][\w'’$-]*")
MAX_GAP_WORDS = 10


def _acts_in(text: str, start: int, end: int, others: list[tuple[int, int]]) -> bool:
    """Whether the person named just before `start` is the one a role word at `end`
    belongs to: few words between, or a list of names ("O'Donnell, Fonda, and
    Jackson donated") whose last name is close enough."""
    crossed = [(s, e) for s, e in others if s >= start and e <= end]
    if not crossed:
        return len(_WORD.findall(text[start:end])) <= MAX_GAP_WORDS
    cursor = start
    for other_start, other_end in sorted(crossed):
        if not set(_WORD.findall(text[cursor:other_start].lower())) <= _LIST_WORDS:
            return False
        cursor = other_end
    return len(_WORD.findall(text[cursor:end])) <= MAX_GAP_WORDS


def _keywords(folded: str, sentence: tuple[int, int]) -> list[tuple[int, str]]:
    """(position, role) of every role word after which a person may act, in order."""
    found = []
    for role, pattern in _AFTER:
        for match in pattern.finditer(folded, *sentence):
            found.append((match.start(), role))
    return sorted(found)


def _roles_in_sentence(
    text, folded, sentence, keywords, occurrence, person, actors
) -> set[str]:
    """Roles the sentence gives the person at `occurrence`; `actors` are the spans
    of the other names that act in their sentences (not "an Ossoff supporter")."""
    roles = set()
    s_start, s_end = sentence
    has_quote = bool(_QUOTATION.search(text, s_start, s_end))
    if not _MODIFIED.match(folded, occurrence.end, occurrence.end + 16):
        others = [span for span in actors if span != (occurrence.start, occurrence.end)]
        for position, role in keywords:
            if position < occurrence.end or role in roles:
                continue
            if role == "quoted" and not has_quote:
                continue
            if _acts_in(text, occurrence.end, position, others):
                roles.add(role)
    head = folded[max(s_start, occurrence.start - 80) : occurrence.start]
    match = _BEFORE_PATTERN.search(head)
    if match and (match.lastgroup != "quoted" or has_quote):
        roles.add(match.lastgroup)
    if person.kind == "candidate" and _ELECTION_WORDS.search(folded, s_start, s_end):
        roles.add("candidate")
    return roles


# --- New names ---------------------------------------------------------------------

_NAME_TOKEN = r"(?:[A-ZÀ-Þ][a-zß-ÿ]+(?:['’-][A-ZÀ-Þ]?[a-zß-ÿ]+)*|[A-Z]\.)"
_CAPITALISED_RUN = re.compile(rf"{_NAME_TOKEN}(?: {_NAME_TOKEN})+(?:['’]s)?")
_LEADING_WORDS = {
    "the", "a", "an", "with", "and", "but", "or", "in", "on", "at", "for", "from", "by",
    "to", "of", "as", "if", "when", "while", "after", "before", "despite", "however",
    "although", "though", "some", "many", "this", "that", "these", "those", "it", "he",
    "she", "they", "we", "his", "her", "their", "our", "its", "follow", "like", "even",
    "also", "then", "still", "yet", "so", "mr", "mrs", "ms", "dr", "rep", "sen", "gov",
    "president", "vice", "actor", "actress", "actresses", "actors", "comedian",
    "comedienne", "singer", "senator", "representative", "governor", "mayor", "judge",
    "former", "democrat", "republican", "candidate", "secretary", "star", "host",
    "director", "producer", "reporter", "writer", "author", "chairman", "speaker",
}  # fmt: skip
_NOT_PEOPLE = {
    "georgia", "atlanta", "washington", "america", "american", "americans", "united",
    "states", "hollywood", "congress", "congressional", "house", "senate", "white",
    "capitol", "district", "sixth", "county", "republicans", "democrats", "democratic",
    "party", "fund", "committee", "council", "leadership", "twitter", "facebook",
    "instagram", "variety", "politico", "new", "york", "yorker", "times", "post",
    "news",
    "journal", "street", "avenue", "health", "human", "services", "department", "iraq",
    "trek", "townhall", "university", "college", "city", "state", "supreme", "court",
    "administration", "campaign", "election", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
    "may", "june", "july", "august", "september", "october", "november", "december",
    "north", "south", "east", "west", "church", "school", "foundation", "institute",
    "association", "union", "company", "group", "network", "press", "agency", "office",
    "national", "federal", "republic", "kingdom", "islands", "river", "lake", "park",
    "center", "centre", "club", "league", "boss", "charmed", "principled", "pac",
}  # fmt: skip


def _new_names(text, spans, sentences, sentence_starts) -> list[NewName]:
    masked = list(text)
    for start, end in spans:  # known names break capitalised runs
        masked[start:end] = "x" * (end - start)
    masked_text = "".join(masked)
    found: dict[str, NewName] = {}
    for match in _CAPITALISED_RUN.finditer(masked_text):
        tokens = match.group().split(" ")
        for index, token in enumerate(tokens):
            if re.search(r"['’]s$", token):  # "Trump’s Secretary": the name ends here
                tokens = tokens[: index + 1]
                tokens[-1] = token[:-2]
                break
        offset = match.start()
        while tokens and tokens[0].lower().rstrip(".") in _LEADING_WORDS:
            offset += len(tokens[0]) + 1
            tokens.pop(0)
        if len(tokens) < 2 or len(tokens) > 4:
            continue
        if any(t.lower().rstrip(".") in _NOT_PEOPLE for t in tokens):
            continue
        if any(len(t) > 1 and t.isupper() for t in tokens) or tokens[-1].endswith("."):
            continue
        name = " ".join(tokens)
        if name in found:
            found[name].count += 1
            continue
        index = bisect_right(sentence_starts, offset) - 1
        s_start, s_end = sentences[max(index, 0)]
        found[name] = NewName(name, offset, 1, text[s_start:s_end].strip())
    return list(found.values())


# --- The finder ----------------------------------------------------------------------


class MentionFinder:
    """Built once from every known person; `scan()` is then linear in the text."""

    def __init__(self, people: Iterable[KnownPerson]):
        self.people: dict[int, KnownPerson] = {}
        keys: dict[str, list[tuple[int, str]]] = {}
        for person in people:
            self.people[person.person_id] = person
            entries = [(person.name, "name")] + [(a, "alias") for a in person.aliases]
            surname = surname_of(person.name)
            if surname:
                entries.append((surname, "surname"))
            for text, how in entries:
                key = name_key(text)
                if len(key) < 2:
                    continue
                bucket = keys.setdefault(key, [])
                if (person.person_id, how) not in bucket:
                    bucket.append((person.person_id, how))
        self.automaton = ahocorasick.Automaton()
        for key, entries in keys.items():
            self.automaton.add_word(key, (len(key), tuple(entries)))
        if keys:
            self.automaton.make_automaton()
        self.empty = not keys

    def _matches(self, folded: str) -> list[tuple[int, int, tuple]]:
        """Whole-word matches, longest first where they overlap."""
        if self.empty:
            return []
        found = []
        length = len(folded)
        for end, (size, entries) in self.automaton.iter(folded):
            start = end - size + 1
            if start > 0 and folded[start - 1].isalnum():
                continue
            if end + 1 < length and folded[end + 1].isalnum():
                continue
            found.append((start, end + 1, entries))
        found.sort(key=lambda m: (m[0], m[0] - m[1]))
        chosen, last_end = [], 0
        for match in found:
            if match[0] >= last_end:
                chosen.append(match)
                last_end = match[1]
        return chosen

    def find(self, text: str) -> ScanResult:
        """Known people and ambiguous names only: the fast path (no roles, no new
        names), for linking on reader pages and for bulk scans."""
        hits, ambiguous = self._resolve(text, fold(text), lambda start: (0, 0))
        return ScanResult(
            sorted(hits.values(), key=lambda h: h.start), list(ambiguous.values()), []
        )

    def _resolve(self, text, folded, sentence_of):
        hits: dict[int, Hit] = {}
        ambiguous: dict[str, Ambiguous] = {}
        for start, end, entries in self._matches(folded):
            full = {pid for pid, how in entries if how != "surname"}
            if full:
                candidates = full
                how = next(h for pid, h in entries if h != "surname")
            else:
                if not text[start].isupper():
                    continue  # "trump card", not Trump
                candidates = {pid for pid, _ in entries if pid in hits}
                how = "surname"
                if not candidates:
                    continue  # a surname counts only after the full name
            occurrence = Occurrence(start, end, text[start:end], how)
            if len(candidates) > 1:
                key = folded[start:end]
                if key in ambiguous:
                    ambiguous[key].count += 1
                else:
                    s_start, s_end = sentence_of(start)
                    ambiguous[key] = Ambiguous(
                        text[start:end],
                        start,
                        end,
                        sorted(
                            (self.people[p] for p in candidates), key=lambda p: p.name
                        ),
                        text[s_start:s_end].strip(),
                    )
                continue
            (person_id,) = candidates
            hit = hits.setdefault(person_id, Hit(self.people[person_id]))
            hit.occurrences.append(occurrence)
        return hits, ambiguous

    def scan(self, text: str) -> ScanResult:
        """Everything an editor needs: people with suggested roles and the
        sentences that say so, ambiguous names, and names nobody has entered."""
        folded = fold(text)
        sentences = sentence_spans(text)
        sentence_starts = [start for start, _ in sentences]

        def sentence_of(offset):
            return sentences[max(bisect_right(sentence_starts, offset) - 1, 0)]

        hits, ambiguous = self._resolve(text, folded, sentence_of)
        spans = [(o.start, o.end) for h in hits.values() for o in h.occurrences]
        spans += [(a.start, a.end) for a in ambiguous.values()]
        actors = [
            span
            for span in spans
            if not _MODIFIED.match(folded[span[1] : span[1] + 16])
        ]
        keywords: dict[tuple[int, int], list] = {}
        for hit in hits.values():
            s_start, s_end = sentence_of(hit.start)
            hit._first_sentence = text[s_start:s_end].strip()
            for occurrence in hit.occurrences:
                sentence = sentence_of(occurrence.start)
                if sentence not in keywords:
                    keywords[sentence] = _keywords(folded, sentence)
                found = _roles_in_sentence(
                    text,
                    folded,
                    sentence,
                    keywords[sentence],
                    occurrence,
                    hit.person,
                    actors,
                )
                for role in found:
                    hit.roles.setdefault(role, text[sentence[0] : sentence[1]].strip())
        new_names = _new_names(text, spans, sentences, sentence_starts)
        ordered = sorted(hits.values(), key=lambda h: h.start)
        return ScanResult(ordered, list(ambiguous.values()), new_names)
