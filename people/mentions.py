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
from functools import cache

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
# Lowercase particles that belong to the surname: "Osama bin Laden", "de la Cruz".
_PARTICLES = {
    "bin", "ibn", "al", "de", "del", "della", "der", "den", "di", "da", "dos", "du",
    "la", "le", "van", "von", "ter", "st.",
}  # fmt: skip


def surname_of(name: str) -> str | None:
    """The family name: last word, with its particles ("bin Laden"), without
    "Jr."; hyphenated ("Hyde-Smith") and apostrophe ("O'Hare") names whole."""
    tokens = [t.strip(",") for t in name.split()]
    while len(tokens) > 1 and fold(tokens[-1]) in _SUFFIXES:
        tokens.pop()
    if len(tokens) < 2:
        return None
    first = len(tokens) - 1
    while first > 1 and tokens[first - 1] in _PARTICLES:
        first -= 1
    surname = " ".join(tokens[first:])
    return surname if len(surname) >= 2 and surname[0].isalpha() else None


_INITIALS = re.compile(r"\b(\w\.) (?=\w\.)")
_SPACED_INITIALS = re.compile(r"\b(\w\.)(?=\w\.)")
_APOSTROPHE_PARTICLE = re.compile(r"\b([OoDd]['’])(?=\w)")
_GLUED_PARTICLE = re.compile(
    r"\b((?i:de|la|le|van|von|di|du|da|del|mc|mac))(?=[A-Z]\w)"
)
_MAY_VARY = re.compile(r"[.'’-]|\b(?i:de|la|le|van|von|di|du|da|del|mc|mac)[A-Z ]")
_HYPHENATED = re.compile(r"(?<=[a-z])-(?=[A-Z])")  # "Hyde-Smith" written "Hyde Smith"
_SPACED_PARTICLE = re.compile(r"\b(De|La|Le|Van|Von|Di|Du|Da|Del|Mc|Mac) (?=[A-Z]\w)")


def name_variants(name: str) -> set[str]:
    """Ways a name is written that fold differently: "George H.W. Bush" and
    "George H. W. Bush", "Rosie O' Donnell" (a space after the apostrophe),
    "DeSantis" and "De Santis"."""
    name = " ".join(name.split())
    if not _MAY_VARY.search(name):
        return {name}
    variants = {name, _INITIALS.sub(r"\1", name), _SPACED_INITIALS.sub(r"\1 ", name)}
    variants |= {_GLUED_PARTICLE.sub(r"\1 ", v) for v in variants}
    variants |= {_SPACED_PARTICLE.sub(r"\1", v) for v in variants}
    variants |= {_APOSTROPHE_PARTICLE.sub(r"\1 ", v, count=1) for v in variants}
    variants |= {_HYPHENATED.sub(" ", v) for v in variants}
    return variants


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
    # What tells them from a namesake in the desk's lists: an identifier
    # (Wikidata's Q…) or their latest role; empty when there is neither.
    detail: str = ""


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
    # False when only a lone surname ("President Reagan", "the Bush years") or a
    # name shared with others points to them: the editor should look twice.
    certain: bool = True

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
_SPEECH = (
    r"said|says|told|tells|added|adds|announced|tweeted|wrote|writes|declared"
    r"|insisted|stated|concluded|continued|noted|argued|explained|asked"
    r"|replied|responded|warned|acknowledged|claimed|testified|posted|remarked"
    r"|commented|referred to|urged|praised|reported|condemned|criticized|criticised"
    r"|denounced|rebuked|blasted|slammed|(?:made|issued|released|gave) (?:the|a)"
    r"(?: following| joint| written)? statement"
)
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
            r"|stump(?:ed|ing)? for|volunteer(?:ed|ing|s)? for|vote for"
            r"|rall(?:ied|ying|y) for|urg(?:ed|ing|es|e) voters|drove voters"
            r"|knock(?:ed|ing) on doors|door to door|fund-?rais\w*)"
        ),
    ),
    ("quoted", re.compile(rf"\b({_SPEECH})\b")),
]
# "Trump was said to be ill": the verb does not make anyone a speaker.
_PASSIVE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+$")
# Up to MAX_BEFORE_WORDS words may stand between: "support from actress X". A verb
# of speech counts before a name only inverted, after a quotation or a comma
# ("…,” said Senator X"): in "X said Y was wrong" Y is not the speaker.
_BEFORE = [
    ("endorser", r"support from|endorsed by|backed by|endorsement (?:of|from)"),
    ("donor", r"donations? from|money from|contributions? from|gifts? from"),
    (
        "quoted",
        r"according to|told by|statement (?:from|by)"
        r"|(?<=[,\":] )(?:said|says|added|wrote|asked|continued|stated|noted)",
    ),
]
MAX_BEFORE_WORDS = 3
_BEFORE_PATTERN = re.compile(
    "(?:"
    + "|".join(rf"(?P<{role}>\b(?:{words}))" for role, words in _BEFORE)
    + rf")\W+(?:\S+\s+){{0,{MAX_BEFORE_WORDS}}}$"
)
# Words that put a candidate's mention in the race: near the name, in its clause.
_ELECTION_WORDS = re.compile(
    r"\b(elections?|electoral|race|runoff|candidacy|candidates?|campaign(?:s|ing|ed)?"
    r"|bid|seat|primary|primaries|caucus(?:es)?|ballot|votes?|voters|polls?"
    r"|polling|delegates?|debates?|running mate|front-runner|nominee"
    r"|(?:democratic|republican|presidential|party's|libertarian|green) nomination)\b"
)
ELECTION_WINDOW = 80  # characters either side of the name, within its clause
_CLAUSE_END = re.compile(r"[;:]\s|\s[—–]\s")
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
            if role == "quoted" and _PASSIVE.search(folded, sentence[0], match.start()):
                continue
            found.append((match.start(), role))
    return sorted(found)


def _in_race(folded: str, sentence: tuple[int, int], occurrence) -> bool:
    """Whether the words next to the name, in its clause, are about a race."""
    start = max(sentence[0], occurrence.start - ELECTION_WINDOW)
    end = min(sentence[1], occurrence.end + ELECTION_WINDOW)
    for clause_end in _CLAUSE_END.finditer(folded, start, end):
        if clause_end.end() <= occurrence.start:
            start = clause_end.end()
        elif clause_end.start() >= occurrence.end:
            end = clause_end.start()
            break
    return bool(_ELECTION_WORDS.search(folded, start, end))


def _roles_in_sentence(
    text, folded, sentence, keywords, occurrence, person, actors
) -> set[str]:
    """Roles the sentence gives the person at `occurrence`; `actors` are the spans
    of the other names that act in their sentences (not "an Ossoff supporter")."""
    roles = set()
    s_start, s_end = sentence
    if not _MODIFIED.match(folded, occurrence.end, occurrence.end + 16):
        others = [span for span in actors if span != (occurrence.start, occurrence.end)]
        for position, role in keywords:
            if position < occurrence.end or role in roles:
                continue
            between = folded[occurrence.end : position]
            if role == "quoted" and '"' in between:
                continue  # the name is inside someone else's quotation
            if _acts_in(text, occurrence.end, position, others):
                roles.add(role)
    head = folded[max(s_start, occurrence.start - 80) : occurrence.start]
    match = _BEFORE_PATTERN.search(head)
    if match:
        roles.add(match.lastgroup)
    # "Candidate" comes from who the person is, when the text is about the race;
    # never from the text alone ("X, who is running…" of someone not standing).
    if person.kind == "candidate" and _in_race(folded, sentence, occurrence):
        roles.add("candidate")
    return roles


# --- New names ---------------------------------------------------------------------

# A capitalised word with its particle glued on: "McCarthy", "MacDonald",
# "DeSantis", "DuBose", "O'Rourke", "D'Angelo".
_NAME_WORD = r"[A-ZÀ-Þ](?:[a-zß-ÿ]+(?:[A-ZÀ-Þ][a-zß-ÿ]+)?|['’][A-ZÀ-Þ][a-zß-ÿ]+)"
# A word, hyphenated ("Ocasio-Cortez"), initials ("J.D.", "C."), or "St." ("Mike
# St. Pierre"); a run starts at a word's start, not inside "J.D." or "O'Rourke".
_NAME_TOKEN = (
    r"(?:St\.|(?:[A-Z]\.){1,3}"
    rf"|{_NAME_WORD}(?:['’-][A-ZÀ-Þ]?[a-zß-ÿ]+(?:[A-ZÀ-Þ][a-zß-ÿ]+)?)*)"
)
_CAPITALISED_RUN = re.compile(
    rf"(?<![\w.'’-]){_NAME_TOKEN}(?: {_NAME_TOKEN})+(?:['’]s)?"
)
# A surname shaped by its particle marks a person whatever the first name ("Beto
# O'Rourke"); so do initials first ("J.D. Vance").
_PARTICLE_SURNAME = re.compile(r"(?:Mc|Mac|O['’]|D['’])[A-Z]")
_LEADING_INITIALS = re.compile(r"(?:[A-Z]\.){1,3}")
# Titles and words that precede a name without being part of it; a name that
# follows one of the titles is a person's even with an unusual first name.
_TITLES = {
    "mr", "mrs", "ms", "dr", "rep", "sen", "gov", "president", "vice", "actor",
    "actress", "actresses", "actors", "comedian", "comedienne", "singer", "senator",
    "representative", "governor", "mayor", "judge", "former", "democrat",
    "republican", "candidate", "secretary", "star", "host", "director", "producer",
    "reporter", "writer", "author", "chairman", "chairwoman", "chair", "speaker",
    "principal", "intern", "regional", "librarian", "librarians", "general",
    "counsel", "congressman", "congresswoman", "admiral", "adm", "gen", "lt", "col",
    "sgt", "commander", "chief", "deputy", "superintendent", "superintendant",
    "moderator", "aide", "adviser", "advisor", "spokesman", "spokeswoman",
    "executive", "officer", "senior", "presumptive", "attorney", "justice",
    "professor", "prof", "coach", "minister", "ambassador", "lawyer", "activist",
    "analyst", "strategist", "consultant", "pastor", "reverend", "rev", "father",
    "sister", "brother", "son", "daughter", "wife", "husband", "interim", "acting",
    "assistant", "associate", "manager", "treasurer", "clerk", "sheriff",
    "commissioner", "councilman", "councilwoman", "councilor", "trustee", "dean",
    "nominee", "challenger", "incumbent", "pollster", "economist", "founder",
    "honorable", "hon", "specialist", "expert", "scholar", "historian", "organizer",
}  # fmt: skip
_LEADING_WORDS = _TITLES | {
    "the", "a", "an", "with", "and", "but", "or", "in", "on", "at", "for", "from", "by",
    "to", "of", "as", "if", "when", "while", "after", "before", "despite", "however",
    "although", "though", "some", "many", "this", "that", "these", "those", "it", "he",
    "she", "they", "we", "his", "her", "their", "our", "its", "follow", "like", "even",
    "also", "then", "still", "yet", "so", "both", "every", "each", "today", "yesterday",
    "tonight", "meanwhile", "additionally", "previously", "around", "according",
    "democratic", "libertarian", "green", "independent", "party", "defense", "state",
    "u.s", "us", "federal", "national", "presidential", "gubernatorial",
}  # fmt: skip
_NOT_PEOPLE = {
    "georgia", "atlanta", "washington", "america", "american", "americans", "united",
    "states", "hollywood", "congress", "congressional", "house", "senate", "white",
    "capitol", "district", "sixth", "county", "counties", "republicans", "democrats",
    "democratic", "party", "fund", "committee", "council", "leadership", "twitter",
    "facebook", "instagram", "variety", "politico", "new", "york", "yorker", "times",
    "post", "news", "journal", "street", "avenue", "health", "human", "services",
    "department", "iraq", "trek", "townhall", "university", "college", "city",
    "state", "supreme", "court", "administration", "campaign", "election", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "north", "south", "east", "west", "church",
    "school", "foundation", "institute", "association", "union", "company", "group",
    "network", "press", "agency", "office", "national", "federal", "republic",
    "kingdom", "islands", "river", "lake", "park", "center", "centre", "club",
    "league", "boss", "charmed", "principled", "pac", "airport", "program",
    "programme", "project", "act", "bill", "bank", "bancorp", "foodbank", "treaty",
    "index", "security", "affairs", "chiefs", "initiative", "commission", "sound",
    "trust", "parade", "education", "hospital", "pharmaceuticals", "politics",
    "operations", "appropriations", "shipyard", "naval", "navy", "army", "marine",
    "marines", "corps", "force", "farms", "relations", "modernization", "academy",
    "library", "museum", "memorial", "bridge", "building", "stadium", "arena",
    "hall", "highway", "road", "boulevard", "plaza", "square", "station", "field",
    "forest", "mountain", "island", "parish", "valley", "bay", "beach",
    "international", "global", "inc", "corp", "llc", "ltd", "co", "coalition",
    "caucus", "convention", "debate", "poll", "policy", "report", "summit", "forum",
    "conference", "board", "authority", "service", "system", "reserve",
    "bureau", "ministry", "embassy", "mission",
    "command", "unit", "division", "regiment", "battalion", "squadron", "fleet",
    "festival", "award", "awards", "prize", "medal", "cup", "series", "tour",
    "techniques", "interrogation", "enhanced", "san", "santa", "los",
    "las", "el", "fort", "mount", "saint", "st", "port", "lady", "youth", "mural",
    "mosaic", "arts", "literary", "land", "community", "commons", "fellowship",
    "god", "lord", "jesus", "christ", "allah", "big", "bird", "sesame", "one",
    "day", "week", "year", "eve", "christmas", "thanksgiving", "easter", "holiday",
    "prosecutor", "prosecuting", "special", "don't", "don’t", "ask", "tell",
    "clear", "real", "nursing", "geriatric", "medical", "care",
    "research", "science", "sciences", "technology", "energy", "water", "food",
    "pantry", "assistance", "material", "emergency", "kids", "hunger", "justice",
    "freedom", "liberty", "independence", "unity", "victory", "action", "citizens",
}  # fmt: skip


@cache
def given_names() -> frozenset[str]:
    """Common given names (US Census 1990, public domain, as the `names` package
    ships them), lowercase; a capitalised pair starting with one looks like a
    person, "Summit Bank" does not."""
    from importlib.resources import files

    found = set()
    for table in ("dist.male.first", "dist.female.first"):
        for line in (files("names") / table).read_text().splitlines():
            if line.strip():
                found.add(line.split()[0].lower())
    return frozenset(found)


def _looks_like_a_person(tokens: list[str], titled: bool) -> bool:
    """A name after a title, or one whose first full word is a given name."""
    if titled or _LEADING_INITIALS.fullmatch(tokens[0]):
        return True
    if _PARTICLE_SURNAME.match(tokens[-1]):
        return True
    first = next((t for t in tokens if not t.endswith(".")), "")
    return _is_given_name(first)


def _is_given_name(word: str) -> bool:
    """ "Kevin", "José", "Jean-Luc" (by its first part)."""
    folded = fold(word)
    return folded in given_names() or folded.split("-")[0] in given_names()


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
        # "Principal", "the", "Regional Director" in front of the name
        before = masked_text[max(0, offset - 12) : offset].lower().split()
        titled = bool(before) and before[-1].rstrip(".,") in _TITLES
        # "Belfer Center Director Graham Allison": the name follows the last title
        words = [t.lower().rstrip(".") for t in tokens]
        last_title = max((i for i, w in enumerate(words) if w in _TITLES), default=-1)
        if last_title >= 0:
            titled = True
            offset += sum(len(t) + 1 for t in tokens[: last_title + 1])
            tokens = tokens[last_title + 1 :]
        while tokens and tokens[0].lower().rstrip(".") in _LEADING_WORDS:
            offset += len(tokens[0]) + 1
            tokens.pop(0)
        if (
            len(tokens) > 2
            and not tokens[0].endswith(".")
            and not _is_given_name(tokens[0])
            and _is_given_name(tokens[1])
        ):  # "Later Kevin McCarthy", "Sources Jane Doe": a word before the name
            offset += len(tokens[0]) + 1
            tokens.pop(0)
        if len(tokens) < 2 or len(tokens) > 4:
            continue
        if any(
            t.lower().rstrip(".") in _NOT_PEOPLE
            for i, t in enumerate(tokens)
            if i == 0 or t != "St."  # "Mike St. Pierre", not "St. Louis"
        ):
            continue
        acronym = any(len(t) > 1 and t.isupper() and t[1] != "." for t in tokens)
        if acronym or tokens[-1].endswith("."):
            continue
        after = masked_text[match.end() : match.end() + 24].lower().split()
        if after and after[0].strip(",.;:") in _NOT_PEOPLE:
            continue  # "Walter Reed Hospital", "Kings Point Academy"
        if not _looks_like_a_person(tokens, titled):
            continue
        name = " ".join(tokens)
        if name in found:
            found[name].count += 1
            continue
        index = bisect_right(sentence_starts, offset) - 1
        s_start, s_end = sentences[max(index, 0)]
        found[name] = NewName(name, offset, 1, text[s_start:s_end].strip())
    return list(found.values())


# --- Places and institutions named after people -----------------------------------

# A name followed by one of these (within two capitalised words) names a place or an
# institution: "the Jefferson Memorial", "Reagan National Airport", "John F.
# Kennedy School of Government", "the Carter Center".
_INSTITUTION_AFTER = re.compile(
    r"(?:\s+[A-Z][\w'’.-]*){0,2}?\s+(?:University|College|School|Center|Centre"
    r"|Memorial|Airport|Library|Institute|Foundation|Hospital|High|Elementary"
    r"|Middle|Academy|Bridge|Building|Park|Street|St\.|Avenue|Ave\.|Boulevard"
    r"|Blvd\.|Road|Highway|Expressway|Parkway|Tunnel|Dam|County|Parish|City"
    r"|Stadium|Arena|Field|Hall|Museum|Square|Plaza|Station|Forest|Lake|River"
    r"|Mountain|Island|Prize|Award|Fellowship|Scholarship|Modernization|Terminal"
    r"|Theater|Theatre|Auditorium|Chapel|Cathedral|Church|Boulevard|Way|Trail"
    r"|Monument|Birthplace|Home|Presidential Library)\b"
)
# "Lincoln, Nebraska"; "Fort Bragg", "USS Ronald Reagan", "Mount Rushmore".
_STATES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida"
    "|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine"
    "|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska"
    "|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota"
    "|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota"
    "|Tennessee|Texas|Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin"
    "|Wyoming|Neb\\.|Ill\\.|Ark\\.|Calif\\.|Mass\\."
)
_PLACE_AFTER = re.compile(rf",\s+(?:{_STATES})\b")
_PLACE_BEFORE = re.compile(
    r"\b(?:Fort|Ft\.|Mount|Mt\.|Lake|Camp|USS|Port|Cape|Lady)\s+$"
)


def _names_a_place(text: str, start: int, end: int) -> bool:
    """Whether the name at start:end is part of a place's or institution's; ",
    Nebraska" counts only after a single word ("Jon Ossoff, Georgia's Democrat" is
    the man)."""
    one_word = " " not in text[start:end].strip()
    return bool(
        _INSTITUTION_AFTER.match(text, end)
        or (one_word and _PLACE_AFTER.match(text, end))
        or _PLACE_BEFORE.search(text, max(0, start - 8), start)
    )


# --- Lone surnames and shared names ------------------------------------------------

# A surname alone links a person only after a title ("President Reagan",
# "Secretary of Defense Gates") or before a word of their time in office ("the
# Reagan years", "the Bush administration"); "Gates, Granville and Warren counties"
# names nobody.
_TITLE_BEFORE = re.compile(
    r"\b(?P<title>presidents?|senators?|sen\.|secretary(?: of (?:state|defense|the"
    r" treasury|\w+))?|gov\.|governor|rep\.|representative|congress(?:wo)?man|mayor"
    r"|general|gen\.|admiral|adm\.|justice|judge|speaker|vice president"
    r"|ambassador|director|chairman|mr\.|mrs\.|ms\.|dr\.|first lady)\s+$"
)
_TIME_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:administration|years|era|presidency|white house|government"
    r"|campaign|tenure|doctrine)\b"
)
# A capitalised word right after a surname makes it part of a longer name.
_IN_LONGER_NAME = re.compile(r"\s+(?:[A-Z]\.\s+)?[A-ZÀ-Þ][a-zß-ÿ]")
_PARTY_WORDS = {
    "D": re.compile(r"\b(?:democrat\w*|\(d-|d-[a-z]{2}\b)"),
    "R": re.compile(r"\b(?:republican\w*|gop|\(r-|r-[a-z]{2}\b)"),
    "I": re.compile(r"\b(?:independent|\(i-|i-[a-z]{2}\b)"),
    "L": re.compile(r"\blibertarian"),
    "G": re.compile(r"\bgreen party"),
}
CLUE_WINDOW = 120  # characters either side of a name searched for its clues
COVERAGE_MARGIN = 2  # the most covered wins a tie if covered this many times more


def _clue_score(person: KnownPerson, window: str) -> int:
    """How many of the person's clues (office, state, party) the folded text holds."""
    score = sum(
        1 for clue in person.clues if re.search(rf"\b{re.escape(clue)}", window)
    )
    party = _PARTY_WORDS.get(person.party)
    if party and party.search(window):
        score += 1
    if person.kind == "candidate" and _ELECTION_WORDS.search(window):
        score += 1
    return score


def _pick(
    people: list[KnownPerson], windows: list[str]
) -> tuple[KnownPerson | None, bool]:
    """(person, certain) among `people` of the same name: the one the nearest
    clues fit, else the story's, else the most covered, less certain; None when
    nothing tells them apart."""
    for window in windows:
        scores = sorted(
            ((_clue_score(p, window), p) for p in people), key=lambda pair: pair[0]
        )
        if scores[-1][0] > 0 and scores[-1][0] > scores[-2][0]:
            return scores[-1][1], True
    ranked = sorted(people, key=lambda p: p.coverage)
    if ranked[-1].coverage >= COVERAGE_MARGIN * max(ranked[-2].coverage, 1):
        return ranked[-1], False
    return None, False


# --- The finder ----------------------------------------------------------------------


class MentionFinder:
    """Built once from every known person; `scan()` is then linear in the text."""

    def __init__(self, people: Iterable[KnownPerson]):
        self.people: dict[int, KnownPerson] = {}
        # One-word names match capitalised ("Warren", not "a warren") unless the
        # desk entered them lowercase.
        self.any_case: set[str] = set()
        keys: dict[str, list[tuple[int, str]]] = {}
        for person in people:
            self.people[person.person_id] = person
            entries = [(person.name, "name")] + [(a, "alias") for a in person.aliases]
            surname = surname_of(person.name)
            if surname:
                entries.append((surname, "surname"))
            for text, how in entries:
                for variant in name_variants(text):
                    key = name_key(variant)
                    if len(key) < 2:
                        continue
                    if not text[:1].isupper():
                        self.any_case.add(key)  # entered lowercase: matches so
                    bucket = keys.setdefault(key, [])
                    if (person.person_id, how) not in bucket:
                        bucket.append((person.person_id, how))
        self.automaton = ahocorasick.Automaton()
        for key, entries in keys.items():
            self.automaton.add_word(key, (len(key), tuple(entries)))
        if keys:
            self.automaton.make_automaton()
        self.empty = not keys

    def _matches(self, text: str, folded: str) -> list[tuple[int, int, tuple]]:
        """Whole-word matches, longest first where they overlap; a name with a
        middle initial the desk did not enter ("Kay R. Hagan") matches too."""
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
        for match in _MIDDLE_INITIAL.finditer(text):
            first, _, last = (folded[match.start(g) : match.end(g)] for g in (1, 2, 3))
            key = f"{first} {last}"
            entries = self.automaton.get(key, None)
            if entries and any(how != "surname" for _, how in entries[1]):
                found.append((match.start(), match.end(), entries[1]))
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
        surnames = []

        def add(person_id, occurrence, certain=True):
            hit = hits.setdefault(person_id, Hit(self.people[person_id]))
            hit.occurrences.append(occurrence)
            hit.certain = hit.certain and certain

        def ask(start, end, candidates):
            key = folded[start:end]
            if key in ambiguous:
                ambiguous[key].count += 1
                return
            s_start, s_end = sentence_of(start)
            ambiguous[key] = Ambiguous(
                text[start:end],
                start,
                end,
                sorted((self.people[p] for p in candidates), key=lambda p: p.name),
                text[s_start:s_end].strip(),
            )

        for start, end, entries in self._matches(text, folded):
            key = folded[start:end]
            one_word = " " not in key and key not in self.any_case
            if one_word and not text[start].isupper():
                continue  # "a warren of offices", "the price": not Warren, Price
            if _names_a_place(text, start, end):
                continue
            full = {pid: how for pid, how in entries if how != "surname"}
            if not full:
                surnames.append((start, end, entries))
                continue
            occurrence = Occurrence(
                start, end, text[start:end], next(iter(full.values()))
            )
            if len(full) == 1:
                add(next(iter(full)), occurrence)
                continue
            person, certain = _pick(
                [self.people[p] for p in full],
                [folded[max(0, start - CLUE_WINDOW) : end + CLUE_WINDOW], folded],
            )
            if person is None:
                ask(start, end, full)
            else:
                add(person.person_id, occurrence, certain)
        # Surnames, once every full name is known: the person named in full before,
        # else (after a title, before "administration") the likeliest, less certain.
        for start, end, entries in surnames:
            occurrence = Occurrence(start, end, text[start:end], "surname")
            named = {
                pid
                for pid, _ in entries
                if pid in hits and hits[pid].occurrences[0].start < start
            }
            if len(named) == 1:
                add(next(iter(named)), occurrence)
                continue
            title = _TITLE_BEFORE.search(folded, max(0, start - 30), start)
            if not named and not title and not _TIME_AFTER.match(folded, end):
                continue
            if not named and _IN_LONGER_NAME.match(text, end):
                continue  # "Secretary of State Warren Christopher": not Warren
            people = [self.people[pid] for pid in (named or {p for p, _ in entries})]
            if len(people) == 1:
                add(people[0].person_id, occurrence, certain=bool(named))
                continue
            windows = [title.group("title")] if title else []
            windows.append(folded[max(0, start - CLUE_WINDOW) : end + CLUE_WINDOW])
            person, _ = _pick(people, windows)
            if person is None:
                ask(start, end, {p.person_id for p in people})
            else:
                add(person.person_id, occurrence, certain=False)
        for hit in hits.values():
            hit.occurrences.sort(key=lambda o: o.start)
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


# "Kay R. Hagan" for the desk's "Kay Hagan": first name, one initial, surname.
_MIDDLE_INITIAL = re.compile(r"\b([A-ZÀ-Þ][\w'’-]+) ([A-Z]\.) ([A-ZÀ-Þ][\w'’-]*[\w])")
