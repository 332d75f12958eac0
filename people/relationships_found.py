"""Relationships a story states plainly, proposed to the editor. Pure: no database.

From the people the mention finder found (`people.mentions`, names and aliases),
two people next to each other in one sentence, with only a plain statement
between them, make a proposal: "Jackson cut a radio ad endorsing Ossoff" (recorded
an ad for, endorsed), "Fonda donated $2,700 to Ossoff's campaign" (donated to,
2,700), "Milano knocked on doors for Ossoff" (campaigned for). A list of people
before the statement ("Fonda, Lange and Britton donated to…") shares it. Anything
less plain (a negation, reported speech, a clause about someone else) proposes
nothing: the editor adds it by hand. Nothing is recorded without a click.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from people.mentions import Hit, KnownPerson, fold, sentence_spans

# The kinds, as `people.models.Relationship.Kind` values (this module is pure).
ENDORSED = "endorsed"
DONATED_TO = "donated-to"
CAMPAIGNED_FOR = "campaigned-for"
RECORDED_AD_FOR = "recorded-ad-for"
OPPOSED = "opposed"
ATTACKED = "attacked"
EMPLOYED_BY = "employed-by"
FAMILY_OF = "family-of"
# As `Relationship.Kind` labels them (a test keeps the two the same).
LABELS = {
    ENDORSED: "endorsed",
    DONATED_TO: "donated to",
    CAMPAIGNED_FOR: "campaigned for",
    RECORDED_AD_FOR: "recorded an ad for",
    OPPOSED: "opposed",
    ATTACKED: "attacked",
    EMPLOYED_BY: "employed by",
    FAMILY_OF: "family of",
}


@dataclass(frozen=True)
class FoundRelationship:
    subject: KnownPerson
    kind: str
    object: KnownPerson
    amount: Decimal | None
    sentence: str

    @property
    def kind_label(self) -> str:
        return LABELS[self.kind]

    @property
    def money(self) -> str:
        """The amount as the story gives it ("$2,700"); "" for none."""
        if self.amount is None:
            return ""
        if self.amount == int(self.amount):
            return f"${int(self.amount):,}"
        return f"${self.amount:,.2f}"


# A few words before the statement ("were some of many stars who donated to"),
# within the clause.
_LEAD = r"(?:[^;:!?\"()]{0,80}?\s)?"
_AD = r"(?:ad|ads|advert|advertisement|spot|commercial)"
_STATEMENTS = [
    (
        # "cut a 45-second radio ad endorsing", "recorded an ad for"
        rf"(?:cut|cuts|recorded|records|taped|filmed|voiced|narrated|made)\s"
        rf"(?:[\w$,.'-]+\s){{0,4}}?{_AD}\s(?P<ad>endorsing|backing|supporting|for|"
        r"on behalf of|attacking|against)\s",
        None,  # the kinds depend on the word after the ad (`_ad_kinds`)
    ),
    (
        r"(?:endorsed|endorses|has endorsed|is endorsing|backed|backs|is backing"
        r"|threw (?:his|her|their) support behind"
        r"|announced (?:his|her|their) support for)\s",
        (ENDORSED,),
    ),
    (
        r"(?:urged|urges|urging|invited|invites|asked|encouraged)\s"
        r"(?:[^;]{0,60}?\s)?(?:vote|voting|pull the lever) for\s",
        (ENDORSED,),
    ),
    (
        r"(?:donated|donates|contributed|contributes)\s(?P<gift>[^;]{0,40}?\s)?"
        r"to\s(?:help\s)?(?:the\s)?",
        (DONATED_TO,),
    ),
    (
        r"(?:gave|gives)\s(?P<money>\$\s?[\d,]+(?:\.\d{1,2})?)\s"
        r"(?:[^;]{0,20}?\s)?to\s(?:the\s)?",
        (DONATED_TO,),
    ),
    (
        r"(?:campaigned|campaigns|campaigning|canvassed|stumped|knocked on doors"
        r"|went door to door|volunteered|phone-banked|rallied voters)\s"
        r"(?:[^;]{0,30}?\s)?for\s(?:the\s)?",
        (CAMPAIGNED_FOR,),
    ),
    (
        r"(?:opposed|opposes|is opposing|came out against|campaigned against)\s",
        (OPPOSED,),
    ),
    (
        r"(?:attacked|attacks|blasted|slammed|criticized|criticised|lashed out at"
        r"|went after|mocked)\s",
        (ATTACKED,),
    ),
    (
        r"(?:works for|worked for|is employed by|was employed by|employed by"
        r"|(?:an?|the)\s(?:aide|staffer|adviser|advisor|spokesman|spokeswoman"
        r"|spokesperson|chief of staff|campaign manager)\s(?:to|for))\s",
        (EMPLOYED_BY,),
    ),
    (
        r"(?:the\s|his\s|her\s)?(?:wife|husband|spouse|son|daughter|father|mother"
        r"|brother|sister|niece|nephew|cousin|uncle|aunt|grandson|granddaughter"
        r"|grandfather|grandmother|stepson|stepdaughter)\sof\s",
        (FAMILY_OF,),
    ),
]
_PATTERNS = [
    (re.compile(_LEAD + statement, re.DOTALL), kinds)
    for statement, kinds in _STATEMENTS
]
# What makes a statement less than plain: a negation, reported speech, a
# condition, another clause.
_NOT_PLAIN = re.compile(
    r"\b(?:not|never|no longer|refused|declined|denied|denies|said|says|told"
    r"|according|reported|reportedly|allegedly|rumou?red|whether|if|because"
    r"|considered|considering|may|might|would|could)\b|n't\b"
)
# Between the people of a list: "Fonda, Lange, and Britton".
_LIST_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+")
# "attacked Ossoff's opponent, Karen Handel": the attack was on Handel.
_STANDS_FOR_NEXT = re.compile(
    r"'s\s(?:opponent|rival|challenger|republican opponent|democratic opponent)"
    r"\s*,?\s*"
)
# Longer than this between two names, a statement is not plain.
MAX_GAP = 200
_MONEY = re.compile(r"\$\s?([\d,]+(?:\.\d{1,2})?)")


def _ad_kinds(word: str) -> tuple[str, ...]:
    if word in ("attacking", "against"):
        return (ATTACKED,)
    if word in ("endorsing", "backing", "supporting"):
        return (RECORDED_AD_FOR, ENDORSED)
    return (RECORDED_AD_FOR,)


def _amount(text: str | None) -> Decimal | None:
    found = _MONEY.search(text or "")
    if not found:
        return None
    try:
        return Decimal(found.group(1).replace(",", ""))
    except InvalidOperation:
        return None


def find_relationships(text: str, hits: list[Hit]) -> list[FoundRelationship]:
    """The relationships `text` states plainly between the people of `hits` (a
    scan of the same text), each once, in the order the text states them."""
    folded = fold(text)
    named = sorted(
        (occurrence.start, occurrence.end, hit.person)
        for hit in hits
        for occurrence in hit.occurrences
    )
    found: dict[tuple[int, str, int], FoundRelationship] = {}
    for start, end in sentence_spans(text):
        inside = [n for n in named if start <= n[0] and n[1] <= end]
        sentence = " ".join(text[start:end].split())
        for index in range(len(inside) - 1):
            left, right = inside[index], inside[index + 1]
            gap = folded[left[1] : right[0]]
            if len(gap) > MAX_GAP or gap.startswith("'") or _NOT_PLAIN.search(gap):
                continue  # "Ossoff's campaign endorsed…": not Ossoff
            for pattern, kinds in _PATTERNS:
                match = pattern.fullmatch(gap)
                if match is None:
                    continue
                groups = match.groupdict()
                if kinds is None:
                    kinds = _ad_kinds(groups["ad"])
                amount = _amount(groups.get("gift") or groups.get("money"))
                target = _object(folded, inside, index + 1)
                for subject in _list_ending_at(folded, inside, index):
                    if subject.person_id == target.person_id:
                        continue
                    for kind in kinds:
                        key = (subject.person_id, kind, target.person_id)
                        found.setdefault(
                            key,
                            FoundRelationship(subject, kind, target, amount, sentence),
                        )
                break
    return list(found.values())


def _list_ending_at(folded, inside, index) -> list[KnownPerson]:
    """The person at `index` and those listed just before them."""
    people = [inside[index][2]]
    while index > 0:
        gap = folded[inside[index - 1][1] : inside[index][0]]
        if not _LIST_SEPARATOR.fullmatch(gap):
            break
        index -= 1
        people.insert(0, inside[index][2])
    return people


def _object(folded, inside, index) -> KnownPerson:
    """The person at `index`, or the one their "'s opponent," stands for."""
    if index + 1 < len(inside):
        after = folded[inside[index][1] : inside[index + 1][0]]
        if _STANDS_FOR_NEXT.fullmatch(after):
            return inside[index + 1][2]
    return inside[index][2]
