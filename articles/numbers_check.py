"""The numbers check before publishing: the vote counts, shares and margins a story
states about the candidates of the races it covers, held against the stored
results; and the style checks of the same panel (a candidate's first reference
without party and state, a person or a race named but not linked).

It warns, it never blocks: nothing here refuses a save.

Three layers, each testable alone:

- `stored_figures(race)`: THE one reader of stored results (votes, share, status,
  as-of time per candidate and round). Point it at another store (dated result
  snapshots) and everything else follows.
- `find_claims(text, candidates)`: pure text work. Each figure is attributed to a
  candidate named in the same sentence (full name, alias, surname, possessive)
  and carries the words that name its round ("runoff", "April").
- `check_story(...)`: the claims against the figures, and the style notes, as the
  panel shows them.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from articles.models import MentionDecision
from articles.services import article_plain_text
from people.mention_index import current_finder
from people.mentions import fold, name_variants, sentence_spans, surname_of
from people.models import Alias, Candidacy, Election, Race, State

# --- Stored results ---


class Status:
    CERTIFIED = "certified"
    UNOFFICIAL = "unofficial"


@dataclass(frozen=True)
class StoredFigure:
    """One candidate's stored result in one round."""

    person_id: int
    name: str
    party: str  # "D", "R"… ("" when unknown)
    race_id: int
    election_id: int
    round_date: datetime.date
    round_kind: str  # an `Election.Kind` value
    votes: int | None
    share: float | None  # percent of the round's votes
    status: str  # `Status`
    # When the figures were stored as they are; today's results are not dated:
    # the round's date stands in (`as_of_label` says so).
    as_of: datetime.datetime | datetime.date | None

    @property
    def round_label(self) -> str:
        kind = dict(Election.Kind.choices).get(self.round_kind, self.round_kind)
        return f"{kind.lower()} of {self.round_date:%B %-d, %Y}"


def stored_figures(race) -> list[StoredFigure]:
    """Every candidate's stored figures in every round of `race` (a Race or its
    id), from `Candidacy` rows: share computed, status from the round's
    "results certified" box, as of the round's date. One query."""
    rows = (
        Candidacy.objects.with_share()
        .filter(election__race=race)
        .order_by("election__date", "-votes", "person__name")
        .values_list(
            "person_id",
            "person__name",
            "party",
            "person__party",
            "election__race_id",
            "election_id",
            "election__date",
            "election__kind",
            "votes",
            "vote_share",
            "election__is_certified",
        )
    )
    return [
        StoredFigure(
            person_id=person_id,
            name=name,
            party=party or person_party or "",
            race_id=race_id,
            election_id=election_id,
            round_date=date,
            round_kind=kind,
            votes=votes,
            share=share,
            status=Status.CERTIFIED if certified else Status.UNOFFICIAL,
            as_of=date,
        )
        for (
            person_id,
            name,
            party,
            person_party,
            race_id,
            election_id,
            date,
            kind,
            votes,
            share,
            certified,
        ) in rows
    ]


# --- Claims in the text ---


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    aliases: tuple[str, ...] = ()


class Kind:
    SHARE = "share"  # 51.8%
    VOTES = "votes"  # 134,799 votes
    POINT_MARGIN = "point margin"  # a 3.6-point margin
    VOTE_MARGIN = "vote margin"  # by 9,282 votes


@dataclass
class Claim:
    kind: str
    text: str  # as written: "51.8%", "134,799 votes"
    value: float
    decimals: int
    start: int
    end: int
    sentence: str
    person_id: int | None = None
    qualifier: str = ""  # "about", "more than", "less than", "nearly"
    round_words: tuple[str, ...] = ()  # folded words naming a round


_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
_BY_ABOUT = (
    r"(?:(?:about|around|roughly|some|nearly|almost|more than|fewer than|less than"
    r"|just over|just under|over|under)\s+)?"
)
_FIGURES = re.compile(
    rf"(?<![\w$.,])(?:"
    rf"(?P<share>\d{{1,3}}(?:\.\d+)?)\s*(?:%|percent\b|per\s+cent\b|pct\b)"
    rf"|by\s+{_BY_ABOUT}(?P<vote_margin>{_NUMBER})\s+votes?\b"
    rf"|(?P<vote_margin2>{_NUMBER})\s+(?:more|fewer)\s+votes\b"
    rf"|(?P<vote_margin3>{_NUMBER})[- ]vote\s+(?:margin|lead|edge)\b"
    rf"|(?P<votes>{_NUMBER})\s+votes\b"
    rf"|(?P<points>\d{{1,2}}(?:\.\d+)?)[- ](?:percentage[- ])?points?\b"
    rf")",
    re.I,
)
# Figures that are not a result: "the 50 percent threshold", "99 percent of
# precincts reporting", "turnout of 58 percent".
_NOT_A_RESULT_AFTER = re.compile(
    r"\s*(?:\+\s*1\b|plus one\b|threshold|mark\b|barrier|cutoff|needed|required"
    r"|turnout|of (?:the )?(?:precincts|expected|estimated|registered|eligible"
    r"|ballots|votes? (?:counted|in|reported|tallied))|of precincts|reporting)",
    re.I,
)
_NOT_A_RESULT_BEFORE = re.compile(
    r"(?:\b(?:reach|reaching|reached|cross|crossing|clear|clearing|break|breaking"
    r"|need|needs|needed|short of|turnout (?:of|was|at|reached))\s+(?:the\s+)?$)",
    re.I,
)
_QUALIFIER = re.compile(
    r"\b(?P<q>about|around|roughly|approximately|some|close to|nearly|almost"
    r"|just over|just above|more than|over|above|at least|just under|less than"
    r"|under|fewer than|below)\s+(?:a\s+)?$",
    re.I,
)
_QUALIFIERS = {
    "about": "about", "around": "about", "roughly": "about",
    "approximately": "about", "some": "about", "close to": "about",
    "nearly": "nearly", "almost": "nearly", "just under": "nearly",
    "just over": "more than", "just above": "more than", "more than": "more than",
    "over": "more than", "above": "more than", "at least": "at least",
    "less than": "less than", "under": "less than", "fewer than": "less than",
    "below": "less than",
}  # fmt: skip
# "51.8% to 48.2%", "134,799 to 125,517 votes": two figures in a pair.
_PAIR_JOIN = re.compile(r"^\s*(?:to|-|–|—|versus|vs\.?)\s*$", re.I)


# A capitalised word just before a surname makes it part of another name
# ("Capitol Hill"), unless it is a title or a party ("Sen. Ossoff").
_IN_ANOTHER_NAME = re.compile(
    r"(?<![\w.])(?!(?:Democrat|Republican|Democratic|Independent|Rep|Sen|Gov|Mr|Mrs"
    r"|Ms|Dr|President|Candidate|Senator|Congressman|Congresswoman|Representative"
    r"|Governor|Mayor|The|But|And|While|When|As|Then|So|If|Former)\b)"
    r"[A-Z][\w'’-]*\.?\s+$"
)


class NameMatcher:
    """Where the candidates are named in a text: full names and their written
    variants, aliases, and surnames (capitalised, and only where no two
    candidates share one). Folded as the mention finder folds, so possessives
    ("Ossoff's", "Ossoff’") and accents match."""

    def __init__(self, candidates: list[Candidate], *, surnames: bool = True):
        keys: dict[str, set[int]] = {}
        self.surnames: set[str] = set()
        for candidate in candidates:
            names = [candidate.name, *candidate.aliases]
            for name in names:
                for variant in name_variants(name):
                    key = " ".join(fold(variant).split())
                    keys.setdefault(key, set()).add(candidate.person_id)
            surname = surname_of(candidate.name) if surnames else None
            if surname:
                key = " ".join(fold(surname).split())
                keys.setdefault(key, set()).add(candidate.person_id)
                self.surnames.add(key)
        # A key shared by two candidates names neither.
        self.keys = {key: next(iter(ids)) for key, ids in keys.items() if len(ids) == 1}
        ordered = sorted(self.keys, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")
            if ordered
            else None
        )

    def find(self, text: str, folded: str | None = None) -> list[tuple[int, int, int]]:
        """(start, end, person_id) of each naming, in order."""
        if self.pattern is None:
            return []
        folded = fold(text) if folded is None else folded
        found = []
        for match in self.pattern.finditer(folded):
            key = match.group()
            if key in self.surnames and (
                not text[match.start()].isupper()
                or _IN_ANOTHER_NAME.search(
                    text, max(0, match.start() - 30), match.start()
                )
            ):
                continue  # "a gray area", "Capitol Hill": not Bob Gray, Judson Hill
            found.append((match.start(), match.end(), self.keys[key]))
        return found


def _claim_of(match, text, sentence_text, sentence_start) -> Claim | None:
    kind_groups = [
        ("share", Kind.SHARE),
        ("vote_margin", Kind.VOTE_MARGIN),
        ("vote_margin2", Kind.VOTE_MARGIN),
        ("vote_margin3", Kind.VOTE_MARGIN),
        ("votes", Kind.VOTES),
        ("points", Kind.POINT_MARGIN),
    ]
    group, kind = next((g, k) for g, k in kind_groups if match.group(g) is not None)
    number = match.group(group)
    if kind in (Kind.SHARE, Kind.POINT_MARGIN):
        after = text[match.end() : match.end() + 40]
        before = text[max(0, match.start() - 40) : match.start()]
        if _NOT_A_RESULT_AFTER.match(after) or _NOT_A_RESULT_BEFORE.search(before):
            return None
    if kind == Kind.POINT_MARGIN and "poll" in sentence_text.lower():
        return None  # "ahead by five points in the polls": not a result
    number_start = match.start(group)
    qualifier_window = text[max(sentence_start, number_start - 20) : number_start]
    digits = number.replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    qualifier = _QUALIFIER.search(qualifier_window)
    return Claim(
        kind=kind,
        text=match.group().strip(),
        value=float(digits),
        decimals=decimals,
        start=match.start(),
        end=match.end(),
        sentence=sentence_text,
        qualifier=_QUALIFIERS[qualifier.group("q").lower()] if qualifier else "",
    )


# "(R-Ga.)": its period ends no sentence.
_PARENTHESIS = re.compile(r"\([^()\n]{1,30}\)")


def sentences_of(text: str) -> list[tuple[int, int]]:
    """`sentence_spans`, but a parenthesis ("(R-Ga.)") does not end a sentence."""
    masked = _PARENTHESIS.sub(lambda m: m.group().replace(".", " "), text)
    return sentence_spans(masked)


# Words that name a round: its kind, the month it was held in, "first round".
_ROUND_WORDS = re.compile(
    r"\b(runoff|run-off|primary|primaries|general election|first round|all-party"
    r"|jungle|january|february|march|april|may|june|july|august|september"
    r"|october|november|december)\b"
)


def find_claims(text: str, candidates: list[Candidate]) -> list[Claim]:
    """Every vote count, share and margin `text` states, each attributed to the
    candidate it is about where the sentence names one: the nearest named
    before it in the sentence, else the nearest after ("With 51.8%, Handel
    won"); in a pair ("Handel beat Ossoff 51.8% to 48.2%") the two figures go to
    the two candidates in the order they are named."""
    folded = fold(text)
    names = NameMatcher(candidates).find(text, folded)
    claims = []
    for s_start, s_end in sentences_of(text):
        sentence_text = text[s_start:s_end].strip()
        in_sentence = [n for n in names if s_start <= n[0] < s_end]
        round_words = tuple(
            dict.fromkeys(
                m.group().replace("run-off", "runoff")
                for m in _ROUND_WORDS.finditer(folded, s_start, s_end)
            )
        )
        found = []
        for match in _FIGURES.finditer(text, s_start, s_end):
            claim = _claim_of(match, text, sentence_text, s_start)
            if claim is not None:
                claim.round_words = round_words
                found.append(claim)
        _attribute(found, in_sentence, text)
        claims.extend(found)
    return claims


def _attribute(claims: list[Claim], names, text: str) -> None:
    paired: set[int] = set()
    for index, (first, second) in enumerate(zip(claims, claims[1:], strict=False)):
        between = text[first.end : second.start]
        if first.kind != second.kind or not _PAIR_JOIN.match(between):
            continue
        before = list(
            dict.fromkeys(pid for start, _end, pid in names if start < first.start)
        )
        after = list(
            dict.fromkeys(pid for start, _end, pid in names if start >= second.end)
        )
        if len(before) >= 2:
            first.person_id, second.person_id = before[-2], before[-1]
        elif len(before) == 1 and after:
            first.person_id, second.person_id = before[0], after[0]
        else:
            continue
        paired |= {index, index + 1}
    for index, claim in enumerate(claims):
        if index in paired:
            continue
        before = [pid for start, _end, pid in names if start < claim.start]
        after = [pid for start, _end, pid in names if start >= claim.end]
        if before:
            claim.person_id = before[-1]
        elif after:
            claim.person_id = after[0]


# --- Checking ---


@dataclass
class CheckedClaim:
    claim: Claim
    candidate: str  # the candidate's name, "" for a margin of no one
    stored: StoredFigure | None
    stored_value: float | None
    agrees: bool | None  # None: nothing stored to compare with
    note: str = ""

    @property
    def stored_text(self) -> str:
        if self.stored_value is None:
            return ""
        if self.claim.kind in (Kind.SHARE, Kind.POINT_MARGIN):
            suffix = "%" if self.claim.kind == Kind.SHARE else " points"
            return f"{self.stored_value:.2f}{suffix}"
        return f"{int(self.stored_value):,} votes"


def _rounded_agrees(stated: float, decimals: int, stored: float, qualifier: str):
    unit = 10.0**-decimals
    tiny = 1e-9
    if qualifier == "about":
        return abs(stored - stated) <= unit + tiny
    if qualifier == "nearly":
        return stated - unit - tiny <= stored <= stated + unit / 2 + tiny
    if qualifier == "more than":
        return stored > stated
    if qualifier == "at least":
        return stored >= stated - unit / 2 - tiny
    if qualifier == "less than":
        return stored < stated
    return abs(stored - stated) <= unit / 2 + tiny


def _votes_agree(stated: float, stored: float, qualifier: str) -> bool:
    """Exact, but for a round figure ("135,000 votes": to the thousand) or one
    said to be approximate."""
    stated_int = int(stated)
    zeros = len(str(stated_int)) - len(str(stated_int).rstrip("0"))
    unit = 10**zeros if zeros >= 3 else 1
    if qualifier in ("about", "nearly"):
        unit = max(unit, 10 ** max(len(str(stated_int)) - 2, 0))
    if qualifier == "more than":
        return stored > stated
    if qualifier == "at least":
        return stored >= stated
    if qualifier == "less than":
        return stored < stated
    if qualifier == "nearly":
        return stated - unit <= stored <= stated
    return abs(stored - stated) <= unit / 2 if unit > 1 else stored == stated


def _round_for(claim: Claim, figures: list[StoredFigure], day) -> list[StoredFigure]:
    """The stored figures of the round a claim is about: the one its sentence
    names ("runoff", "in April", "first round"), else the latest held by the
    story's date. Empty when the story predates every round."""
    rounds = sorted({(f.round_date, f.election_id, f.round_kind) for f in figures})
    if not rounds:
        return []
    named = set()
    for word in claim.round_words:
        for date, election, kind in rounds:
            if (
                (word == "runoff" and kind == Election.Kind.RUNOFF)
                or (word in ("primary", "primaries") and kind == Election.Kind.PRIMARY)
                or (word == "general election" and kind == Election.Kind.GENERAL)
                or (word in ("all-party", "jungle") and kind == Election.Kind.ALL_PARTY)
                or (word == "first round" and (date, election, kind) == rounds[0])
                or word == f"{date:%B}".lower()
            ):
                named.add(election)
    if len(named) == 1:
        chosen = named.pop()
    else:
        held = [r for r in rounds if day is None or r[0] <= day]
        if not held:
            return []
        chosen = held[-1][1]
    return [f for f in figures if f.election_id == chosen]


def check_claims(
    claims: list[Claim], figures: list[StoredFigure], day: datetime.date | None
) -> list[CheckedClaim]:
    names = {f.person_id: f.name for f in figures}
    checked = []
    for claim in claims:
        if claim.person_id is None and claim.kind in (Kind.SHARE, Kind.VOTES):
            continue  # a figure about no candidate: not a result
        candidate = names.get(claim.person_id, "")
        own = [f for f in figures if f.person_id == claim.person_id]
        pool = own if own and claim.kind in (Kind.SHARE, Kind.VOTES) else figures
        in_round = _round_for(claim, pool, day)
        if claim.kind in (Kind.POINT_MARGIN, Kind.VOTE_MARGIN) and in_round:
            # the whole round, for the margin between the first two
            in_round = [f for f in figures if f.election_id == in_round[0].election_id]
        if not in_round:
            checked.append(
                CheckedClaim(
                    claim, candidate, None, None, None, "No results stored by then."
                )
            )
            continue
        stored, value = _stored_value(claim, in_round)
        if value is None:
            checked.append(
                CheckedClaim(claim, candidate, stored, None, None, "No count stored.")
            )
            continue
        if claim.kind in (Kind.VOTES, Kind.VOTE_MARGIN):
            agrees = _votes_agree(claim.value, value, claim.qualifier)
        else:
            agrees = _rounded_agrees(
                claim.value, claim.decimals, value, claim.qualifier
            )
        checked.append(CheckedClaim(claim, candidate, stored, value, agrees))
    return checked


def _stored_value(claim: Claim, in_round: list[StoredFigure]):
    if claim.kind in (Kind.SHARE, Kind.VOTES):
        stored = next(f for f in in_round if f.person_id == claim.person_id)
        value = stored.share if claim.kind == Kind.SHARE else stored.votes
        return stored, value
    counted = sorted(
        (f for f in in_round if f.votes is not None),
        key=lambda f: f.votes,
        reverse=True,
    )
    if len(counted) < 2:
        return (in_round[0], None)
    first, second = counted[0], counted[1]
    if claim.kind == Kind.VOTE_MARGIN:
        return first, float(first.votes - second.votes)
    if first.share is None or second.share is None:
        return first, None
    return first, first.share - second.share


# --- Style ---

# AP style's state abbreviations, for "(R-Ga.)".
AP_STATES = {
    "AL": "Ala.", "AK": "Alaska", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.",
    "CO": "Colo.", "CT": "Conn.", "DE": "Del.", "DC": "D.C.", "FL": "Fla.",
    "GA": "Ga.", "HI": "Hawaii", "ID": "Idaho", "IL": "Ill.", "IN": "Ind.",
    "IA": "Iowa", "KS": "Kan.", "KY": "Ky.", "LA": "La.", "ME": "Maine",
    "MD": "Md.", "MA": "Mass.", "MI": "Mich.", "MN": "Minn.", "MS": "Miss.",
    "MO": "Mo.", "MT": "Mont.", "NE": "Neb.", "NV": "Nev.", "NH": "N.H.",
    "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.",
    "OH": "Ohio", "OK": "Okla.", "OR": "Ore.", "PA": "Pa.", "RI": "R.I.",
    "SC": "S.C.", "SD": "S.D.", "TN": "Tenn.", "TX": "Texas", "UT": "Utah",
    "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.", "WI": "Wis.",
    "WY": "Wyo.",
}  # fmt: skip
# "(R-Ga.)", "(D-GA)", "(I-Vt.)", "(R-Texas)".
_PARTY_AND_STATE = re.compile(
    r"^\s*\(\s*[A-Z][a-z]{0,2}\.?\s*[-–]\s*[A-Z][\w. ]{1,14}\)"
)


@dataclass
class StyleNote:
    kind: str  # "party-state", "person-not-linked", "race-not-linked"
    message: str
    sentence: str = ""


def first_reference_notes(
    text: str, candidates: list[Candidate], figures: list[StoredFigure], races
) -> list[StyleNote]:
    """A candidate's first reference without party and state: “Karen Handel
    (R-Ga.)”."""
    states = {race.pk: race.state for race in races}
    party = {}
    state = {}
    for figure in figures:
        party.setdefault(figure.person_id, figure.party)
        state.setdefault(figure.person_id, states.get(figure.race_id, ""))
    spans = sentences_of(text)
    notes = []
    seen = set()
    for start, end, person_id in NameMatcher(candidates, surnames=False).find(text):
        if person_id in seen:
            continue
        seen.add(person_id)
        if _PARTY_AND_STATE.match(text[end : end + 24]):
            continue
        name = next(c.name for c in candidates if c.person_id == person_id)
        tag = f"{party.get(person_id) or '?'}-{AP_STATES.get(state.get(person_id), '')}"
        sentence = next((text[s:e].strip() for s, e in spans if s <= start < e), "")
        notes.append(
            StyleNote(
                "party-state",
                f"{name}: the first reference (“{text[start:end]}”) has no party "
                f"and state; write “{name} ({tag})”.",
                sentence,
            )
        )
    return notes


def unlinked_people_notes(
    text: str, linked: set[int], rejected: set[int], *, found=None
):
    """People the story names (the mention finder's sure hits) who are not linked
    to it, and names that fit more than one person. `found`: what the "People
    found" panel already found for the same text, less the linked and rejected
    (`articles.services.Suggestions`), to spare finding it again."""
    result = current_finder().find(text) if found is None else found
    notes = []
    for hit in result.hits:
        pid = hit.person.person_id
        if pid in linked or pid in rejected or not hit.certain:
            continue
        notes.append(
            StyleNote(
                "person-not-linked",
                f"{hit.person.name} is named (“{hit.matched_text}”) but not linked "
                "to the story.",
            )
        )
    for name in result.ambiguous:
        if not {p.person_id for p in name.candidates} & linked:
            options = " or ".join(p.name for p in name.candidates)
            notes.append(
                StyleNote(
                    "person-not-linked",
                    f"“{name.text}” is named but not linked (could be {options}).",
                )
            )
    return notes


_ORDINALS = [
    "zeroth", "first", "second", "third", "fourth", "fifth", "sixth", "seventh",
    "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
    "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
]  # fmt: skip
_TENS = {20: "twent", 30: "thirt", 40: "fort", 50: "fift"}


def _ordinal_words(number: int) -> set[str]:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(
        number % 10 if number % 100 not in (11, 12, 13) else 0, "th"
    )
    found = {f"{number}{suffix}"}
    if number < 20:
        found.add(_ORDINALS[number])
    elif number < 60:
        tens, ones = divmod(number, 10)
        if ones == 0:
            found.add(f"{_TENS[tens * 10]}ieth")
        else:
            found.add(f"{_TENS[tens * 10]}y-{_ORDINALS[ones]}")
    return found


OFFICE_WORDS = {
    Race.Office.US_SENATE: r"(?:u\.s\. )?senate (?:race|seat|runoff|election|contest)",
    Race.Office.GOVERNOR: r"(?:governor's race|gubernatorial (?:race|election))",
    Race.Office.MAYOR: r"mayoral (?:race|election)",
}


def _race_pattern(race) -> re.Pattern:
    state = fold(State(race.state).label)
    phrases = [re.escape(" ".join(fold(race.name).split()))]
    if race.district.isdigit():
        number = int(race.district)
        ordinals = "|".join(map(re.escape, _ordinal_words(number)))
        phrases.append(
            rf"{state}'s (?:{ordinals}) (?:congressional )?district"
            rf"|(?:{ordinals}) (?:congressional )?district of {state}"
            rf"|{race.state.lower()}-0?{number}\b"
        )
    elif race.office in OFFICE_WORDS:
        phrases.append(rf"{state}(?:'s)? {OFFICE_WORDS[race.office]}")
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)")


def unlinked_race_notes(text: str, linked: set[int], day) -> list[StyleNote]:
    """Races the story names (by name, "Georgia's Sixth District", "GA-06",
    "Georgia Senate race") that are not linked to it: of a state the text names,
    of the story's year where several years match."""
    folded = fold(text)
    states = [
        code
        for code, label in State.choices
        if re.search(rf"(?<!\w){re.escape(fold(label))}(?!\w)", folded)
        or re.search(rf"(?<!\w){code.lower()}-\d", folded)
    ]
    if not states:
        return []
    named: dict[str, list] = {}
    for race in Race.objects.filter(state__in=states).only(
        "name", "state", "district", "office", "year"
    ):
        match = _race_pattern(race).search(folded)
        if match:
            named.setdefault(text[match.start() : match.end()], []).append(race)
    notes = []
    year = day.year if day else None
    for phrase, races in named.items():
        if any(race.pk in linked for race in races):
            continue
        same_year = [race for race in races if race.year == year]
        for race in same_year or races:
            notes.append(
                StyleNote(
                    "race-not-linked",
                    f"The story names “{phrase}” but does not list the race {race}.",
                )
            )
    return notes


# --- The panel ---


@dataclass
class NumbersReport:
    races: list = field(default_factory=list)
    claims: list[CheckedClaim] = field(default_factory=list)
    style: list[StyleNote] = field(default_factory=list)
    day: datetime.date | None = None

    @property
    def disagreements(self) -> list[CheckedClaim]:
        return [c for c in self.claims if c.agrees is False]


def candidates_of(figures: list[StoredFigure]) -> list[Candidate]:
    """The candidates of the stored figures, with their aliases (one query)."""
    names = {f.person_id: f.name for f in figures}
    aliases: dict[int, list[str]] = {}
    for person_id, alias in Alias.objects.filter(person__in=names).values_list(
        "person_id", "name"
    ):
        aliases.setdefault(person_id, []).append(alias)
    return [
        Candidate(pk, name, tuple(aliases.get(pk, ()))) for pk, name in names.items()
    ]


def check_story(
    *,
    headline: str,
    dek: str,
    body: str,
    races,
    day: datetime.date | None,
    linked_people: set[int] = frozenset(),
    rejected_people: set[int] = frozenset(),
    suggestions=None,
) -> NumbersReport:
    """The "Numbers check" panel of a story, saved or not: its figures about the
    candidates of `races` (Race rows) checked against `stored_figures()` as of
    `day` (the story's date), and the style notes. `suggestions`: the "People
    found" panel's for the same text, when it is at hand."""
    races = list(races)
    text = article_plain_text(headline=headline, dek=dek, body=body)
    body_text = article_plain_text(headline="", dek="", body=body)
    figures = [figure for race in races for figure in stored_figures(race)]
    candidates = candidates_of(figures)
    claims = find_claims(text, candidates)
    style = [
        *first_reference_notes(body_text or text, candidates, figures, races),
        *unlinked_people_notes(
            text, set(linked_people), set(rejected_people), found=suggestions
        ),
        *unlinked_race_notes(text, {race.pk for race in races}, day),
    ]
    return NumbersReport(races, check_claims(claims, figures, day), style, day)


def article_numbers_check(article, *, suggestions=None) -> NumbersReport:
    """The panel for a saved story: its races, people and date as saved.
    `suggestions`: its "People found" panel's (`article_suggestions`), which
    already leave out the people linked or turned down."""
    when = article.published_at
    day = timezone.localdate(when) if when else timezone.localdate()
    linked = rejected = set()
    if suggestions is None:
        linked = set(article.mentions.values_list("person_id", flat=True))
        rejected = set(
            article.decisions.filter(
                decision=MentionDecision.Decision.REJECTED
            ).values_list("person_id", flat=True)
        )
    return check_story(
        headline=article.headline,
        dek=article.dek,
        body=article.body,
        races=Race.objects.filter(Q(articles=article)),
        day=day,
        linked_people=linked,
        rejected_people=rejected,
        suggestions=suggestions,
    )
