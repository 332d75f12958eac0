"""The demo newsroom: the 2017 Georgia 6th District special election, its two
rounds, and the people two seed stories name.

Vote counts are the certified Georgia Secretary of State exports, not election-night
figures. Party labels of some minor April candidates are not verified by the
sources (see `UNVERIFIED_PARTY_NOTE`).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

EASTERN = ZoneInfo("America/New_York")

SOURCE_APRIL = (
    "Georgia Secretary of State, certified results export “2017AprSpec” "
    "(U.S. Representative, District 6; Cobb, DeKalb and Fulton counties), "
    "as archived by OpenElections"
)
SOURCE_RUNOFF = (
    "Georgia Secretary of State, certified results export “2017JunSpecRun” "
    "(U.S. Representative, District 6), as archived by OpenElections; "
    "matches OpenElections' precinct files"
)
SOURCE_URL = "https://github.com/openelections/openelections-sources-ga"
UNVERIFIED_PARTY_NOTE = (
    "Party labels of Edwards, Quigg, Slotin, Wilson, Abroms, LeVell, Bhuiyan, Grawert, "
    "Kremer and Llop are not on the state's export and are unverified."
)

SECTIONS = [
    {
        "name": "Elections",
        "slug": "elections",
        "description": "Races, results and campaigns.",
    },
    {
        "name": "Politics",
        "slug": "politics",
        "description": "Washington and the states.",
    },
]

# name, kind, party, bio, aliases, website, social handle
PEOPLE = [
    {
        "name": "Jon Ossoff",
        "kind": "candidate",
        "party": "D",
        "bio": "Documentary filmmaker and former congressional aide; the Democratic "
        "candidate in Georgia's 6th District special election in 2017, at 30.",
        "aliases": ["Jonathan Ossoff"],
        "social_handle": "@ossoff",
    },
    {
        "name": "Karen Handel",
        "kind": "candidate",
        "party": "R",
        "bio": "Former Georgia secretary of state; won the 6th District runoff "
        "in June 2017.",
    },
    {
        "name": "Tom Price",
        "kind": "official",
        "party": "R",
        "bio": "Held Georgia's 6th District seat until he became Secretary of "
        "Health and "
        "Human Services in February 2017.",
    },
    {
        "name": "Donald Trump",
        "kind": "official",
        "party": "R",
        "bio": "45th President of the United States.",
        "aliases": ["Donald J. Trump", "President Trump"],
    },
    {
        "name": "Samuel L. Jackson",
        "kind": "celebrity",
        "bio": "Actor; recorded a radio ad for Jon Ossoff.",
        "aliases": ["Sam Jackson", "Samuel Jackson"],
    },
    {
        "name": "Alyssa Milano",
        "kind": "celebrity",
        "bio": "Actress; campaigned door to door and drove voters to the polls "
        "for Ossoff.",
        "social_handle": "@Alyssa_Milano",
    },
    {
        "name": "Rosie O'Donnell",
        "kind": "celebrity",
        "bio": "Comedian and talk-show host.",
    },
    {"name": "Jane Fonda", "kind": "celebrity", "bio": "Actress and activist."},
    {"name": "Jessica Lange", "kind": "celebrity", "bio": "Actress."},
    {"name": "Sean Daniel", "kind": "celebrity", "bio": "Film producer."},
    {"name": "Connie Britton", "kind": "celebrity", "bio": "Actress."},
    {"name": "Sam Waterston", "kind": "celebrity", "bio": "Actor."},
    {"name": "Kyra Sedgwick", "kind": "celebrity", "bio": "Actress."},
    {"name": "John Leguizamo", "kind": "celebrity", "bio": "Actor and comedian."},
    {"name": "Sarah Silverman", "kind": "celebrity", "bio": "Comedian."},
    {"name": "Debra Messing", "kind": "celebrity", "bio": "Actress."},
    {
        "name": "Chelsea Handler",
        "kind": "celebrity",
        "bio": "Comedian and talk-show host.",
    },
    {
        "name": "George Takei",
        "kind": "celebrity",
        "bio": "Actor, known for “Star Trek”.",
    },
    {"name": "Kathy Griffin", "kind": "celebrity", "bio": "Comedian."},
    {
        "name": "Matt Dababneh",
        "kind": "official",
        "party": "D",
        "bio": "California state assemblyman in 2017.",
    },
    {
        "name": "Brad Sherman",
        "kind": "official",
        "party": "D",
        "bio": "U.S. Representative from California.",
    },
    {
        "name": "Jerome Hudson",
        "kind": "journalist",
        "bio": "Entertainment editor and political reporter.",
        "social_handle": "@jeromeehudson",
    },
]

# The other candidates of the April 18 all-party ballot, in the state's order of votes.
APRIL_CANDIDATES = [
    # name, party, votes
    ("Jon Ossoff", "D", 92_673),
    ("Karen Handel", "R", 38_071),
    ("Bob Gray", "R", 20_802),
    ("Dan Moody", "R", 17_028),
    ("Judson Hill", "R", 16_870),
    ("Kurt Wilson", "R", 1_820),
    ("David Abroms", "R", 1_639),
    ("Ragin Edwards", "D", 504),
    ("Ron Slotin", "D", 491),
    ("Bruce LeVell", "R", 455),
    ("Mohammad Ali Bhuiyan", "R", 415),
    ("Keith Grawert", "R", 415),
    ("Amy Kremer", "R", 351),
    ("William Llop", "R", 326),
    ("Rebecca Quigg", "D", 304),
    ("Richard Keatley", "D", 229),
    ("Alexander Hernandez", "I", 121),
    ("Andre Pollard", "I", 55),
]
RUNOFF_CANDIDATES = [
    ("Karen Handel", "R", 134_799),
    ("Jon Ossoff", "D", 125_517),
]

RACE = {
    "name": "Georgia's 6th District special election",
    "slug": "2017-ga-06-special",
    "office": "us-house",
    "state": "GA",
    "district": "6",
    "year": 2017,
    "is_special": True,
    "description": "Called when Tom Price became Secretary of Health and Human "
    "Services. "
    "The most expensive House race to that date. The April all-party ballot had 18 "
    "candidates; no one reached 50 percent, so the top two met in a June runoff. "
    + UNVERIFIED_PARTY_NOTE,
    "tags": ["Georgia 6th District", "2017 special election"],
}
ELECTIONS = [
    {
        "date": date(2017, 4, 18),
        "kind": "all-party",
        "source": SOURCE_APRIL,
        "candidates": APRIL_CANDIDATES,
        "advanced": {"Jon Ossoff", "Karen Handel"},
        "winners": set(),
    },
    {
        "date": date(2017, 6, 20),
        "kind": "runoff",
        "source": SOURCE_RUNOFF,
        "candidates": RUNOFF_CANDIDATES,
        "advanced": set(),
        "winners": {"Karen Handel"},
    },
]

# The byline of copy no one signed.
STAFF_BYLINE = "Newsroom staff"

STORIES = [
    {
        "seed": "hollywood-came-to-georgia.txt",
        "headline_from_first_line": True,
        # The seed signs no writer: it runs, as unsigned copy does, under the
        # desk's staff byline.
        "unsigned_byline": STAFF_BYLINE,
        "slug": "hollywood-came-to-georgia-and-lost",
        "dek": "Samuel L. Jackson, Alyssa Milano and a roster of Hollywood donors "
        "backed "
        "Jon Ossoff. Karen Handel won the runoff anyway.",
        "section": "elections",
        "published_at": datetime(2017, 6, 20, 23, 45, tzinfo=EASTERN),
        "tags": [
            "Georgia 6th District",
            "2017 special election",
            "Hollywood",
            "Celebrities",
        ],
        "mentions": [
            ("Jon Ossoff", "candidate", ""),
            ("Jon Ossoff", "quoted", "quoted from his campaign site"),
            ("Karen Handel", "candidate", ""),
            ("Tom Price", "mentioned", "held the seat before"),
            ("Donald Trump", "mentioned", ""),
            ("Samuel L. Jackson", "endorser", "helped create a radio ad"),
            ("Alyssa Milano", "endorser", "volunteered door to door"),
            ("Rosie O'Donnell", "donor", ""),
            ("Jane Fonda", "donor", ""),
            ("Jessica Lange", "donor", ""),
            ("Sean Daniel", "donor", ""),
            ("Connie Britton", "donor", ""),
            ("Sam Waterston", "donor", ""),
            ("Kyra Sedgwick", "donor", ""),
            ("Chelsea Handler", "endorser", "urged her followers to vote for Ossoff"),
            ("Debra Messing", "endorser", "online support"),
            ("George Takei", "endorser", "online support"),
            ("Kathy Griffin", "mentioned", "featured in an attack ad"),
            ("Matt Dababneh", "mentioned", ""),
            ("Brad Sherman", "mentioned", ""),
        ],
    },
    {
        "seed": "hollywood-vs-georgia.txt",
        "headline": (
            "Hollywood vs. Georgia: celebrity-backed Ossoff loses the 6th District "
            "runoff"
        ),
        "slug": "hollywood-vs-georgia-celebrity-backed-ossoff-loses",
        "dek": "Karen Handel's win is a rebuke to the stars who stumped for and "
        "gave to "
        "the Democrat's campaign.",
        "section": "elections",
        "published_at": datetime(2017, 6, 21, 0, 30, tzinfo=EASTERN),
        "tags": [
            "Georgia 6th District",
            "2017 special election",
            "Hollywood",
            "Donald Trump",
        ],
        "mentions": [
            ("Jon Ossoff", "candidate", ""),
            ("Karen Handel", "candidate", ""),
            ("Tom Price", "mentioned", "held the seat before"),
            ("Donald Trump", "quoted", "called it “Hollywood vs. Georgia”"),
            ("Rosie O'Donnell", "donor", "donated time and money"),
            ("Jane Fonda", "donor", "donated time and money"),
            ("Samuel L. Jackson", "endorser", "cut a 45-second radio ad"),
            ("John Leguizamo", "mentioned", ""),
            ("Alyssa Milano", "endorser", "drove voters to the polls"),
            ("Alyssa Milano", "quoted", ""),
            ("Sarah Silverman", "mentioned", "attacked Handel on social media"),
            ("Debra Messing", "mentioned", "attacked Handel on social media"),
        ],
    },
]

EDITOR_USERNAME = "editor"

# Dated roles (`people.PersonRole`), only as the facts file and the seeds give them.
# A candidacy runs from the opening of the filing window (February 13, 2017) to
# the last round the candidate was on the ballot of (April 18, or the June 20
# runoff); Ossoff's Senate term from January 20, 2021, after the January 5 runoff.
# Nothing is entered that the sources do not date (Handel's years as secretary of
# state, Price's time at HHS after the seeds' date).
FILING_OPENED = date(2017, 2, 13)
GA06_CANDIDATE = "Candidate, Georgia's 6th District"
ROLES = [
    # name, title, in the demo race, start, end
    *(
        (
            name,
            GA06_CANDIDATE,
            True,
            FILING_OPENED,
            date(2017, 6, 20)
            if name in ELECTIONS[0]["advanced"]
            else date(2017, 4, 18),
        )
        for name, _party, _votes in APRIL_CANDIDATES
    ),
    ("Jon Ossoff", "U.S. senator from Georgia", False, date(2021, 1, 20), None),
]
# External identifiers (Wikidata, FEC, Ballotpedia, AP): none is given by the
# facts file or the seeds, so the demo leaves them blank.
