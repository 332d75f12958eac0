"""The relationships the demo's seed stories report, each with the sentence that
says so, word for word (`seeds/`). The first source listed is the primary one."""

from datetime import date

from articles.models import Article, RelationshipSource
from articles.services import relationship_report
from people.models import Relationship

CAME_TO_GEORGIA = "hollywood-came-to-georgia-and-lost"
VS_GEORGIA = "hollywood-vs-georgia-celebrity-backed-ossoff-loses"

DONORS_SENTENCE = (
    "Rosie O’ Donnell, Jane Fonda, Jessica Lange, Sean Daniel, Connie Britton, "
    "Sam Waterston, and Kyra Sedgwick were some of many stars who donated to "
    "Ossoff’s campaign, while others, like Alyssa Milano, volunteered to go door "
    "to door in the suburban Atlanta district."
)
TIME_AND_MONEY_SENTENCE = (
    "Some of the most vocal celebrity critics of President Donald Trump, including "
    "Rosie O’Donnell, Jane Fonda, and Samuel L. Jackson, donated time and money to "
    "help Ossoff’s campaign."
)
RADIO_AD_SENTENCE = (
    "In April, Jackson cut a 45-second radio ad endorsing Ossoff, urging Georgia "
    "voters to “stop Donald Trump, a man who encourages racial and religious "
    "discrimination and sexism.”"
)
ONLINE_SUPPORT_SENTENCE = (
    "He also received online support from actress Debra Messing and “Star Trek” "
    "icon George Takei."
)
ATTACKED_SENTENCE = (
    "Actresses Sarah Silverman and Debra Messing attacked Ossoff’s opponent, "
    "Karen Handel, on social media in the run-up to Tuesday’s election."
)

Kind = Relationship.Kind

# subject, kind, object (a person), date, sources: (story slug, sentence), primary
# first.
RELATIONSHIPS = [
    (
        "Samuel L. Jackson",
        Kind.RECORDED_AD_FOR,
        "Jon Ossoff",
        None,
        [
            (VS_GEORGIA, RADIO_AD_SENTENCE),
            (
                CAME_TO_GEORGIA,
                "Actor Samuel L. Jackson, who helped create a radio ad urging voters "
                "to flip the seat, paved the way for Hollywood to get behind Ossoff.",
            ),
        ],
    ),
    ("Samuel L. Jackson", Kind.ENDORSED, "Jon Ossoff", None, [
        (VS_GEORGIA, RADIO_AD_SENTENCE),
    ]),
    ("Samuel L. Jackson", Kind.DONATED_TO, "Jon Ossoff", None, [
        (VS_GEORGIA, TIME_AND_MONEY_SENTENCE),
    ]),
    *(
        (name, Kind.DONATED_TO, "Jon Ossoff", None, [
            (CAME_TO_GEORGIA, DONORS_SENTENCE),
            (VS_GEORGIA, TIME_AND_MONEY_SENTENCE),
        ])
        for name in ("Rosie O'Donnell", "Jane Fonda")
    ),
    *(
        (name, Kind.DONATED_TO, "Jon Ossoff", None, [
            (CAME_TO_GEORGIA, DONORS_SENTENCE),
        ])
        for name in (
            "Jessica Lange", "Sean Daniel", "Connie Britton", "Sam Waterston",
            "Kyra Sedgwick",
        )
    ),
    ("Alyssa Milano", Kind.CAMPAIGNED_FOR, "Jon Ossoff", None, [
        (CAME_TO_GEORGIA, DONORS_SENTENCE),
        (
            VS_GEORGIA,
            "Actress Alyssa Milano, an early Ossoff supporter, personally drove "
            "voters to polling sites for the Democrat during the April election "
            "that forced Tuesday’s runoff.",
        ),
    ]),
    ("Chelsea Handler", Kind.ENDORSED, "Jon Ossoff", date(2017, 4, 11), [
        (
            CAME_TO_GEORGIA,
            "Comedienne Chelsea Handler famously invited nearly 7 million followers "
            "to get out and vote for Ossoff on April 11th — even though the Georgia "
            "congressional election wasn’t taking place until April 18th.",
        ),
    ]),
    ("Debra Messing", Kind.ENDORSED, "Jon Ossoff", None, [
        (CAME_TO_GEORGIA, ONLINE_SUPPORT_SENTENCE),
    ]),
    ("George Takei", Kind.ENDORSED, "Jon Ossoff", None, [
        (CAME_TO_GEORGIA, ONLINE_SUPPORT_SENTENCE),
    ]),
    ("Sarah Silverman", Kind.ATTACKED, "Karen Handel", None, [
        (VS_GEORGIA, ATTACKED_SENTENCE),
    ]),
    ("Debra Messing", Kind.ATTACKED, "Karen Handel", None, [
        (VS_GEORGIA, ATTACKED_SENTENCE),
    ]),
    ("Donald Trump", Kind.ENDORSED, "Karen Handel", date(2017, 6, 19), [
        (
            VS_GEORGIA,
            "The president took to Twitter Monday to urge Georgia voters to pull "
            "the lever for Handel.",
        ),
    ]),
]  # fmt: skip


def load_relationships(result, people: dict) -> None:
    """Record each relationship and its sources; what exists is left as it is."""
    stories = {
        a.slug: a
        for a in Article.objects.filter(slug__in=[CAME_TO_GEORGIA, VS_GEORGIA])
    }
    for subject, kind, whom, when, sources in RELATIONSHIPS:
        for slug, quote in sources:
            exists = RelationshipSource.objects.filter(
                article=stories[slug],
                relationship__subject=people[subject],
                relationship__kind=kind,
                relationship__object_person=people[whom],
            ).exists()
            result.count("relationship sources", not exists)
            if not exists:
                relationship_report(
                    article=stories[slug],
                    subject=people[subject],
                    kind=kind,
                    object_person=people[whom],
                    date=when,
                    quote=quote,
                )
