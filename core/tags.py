"""Tag names as editors type them, made consistent, and the key that says which
names readers would take for one tag.

A name is stored cleaned: no control characters, Unicode NFC, single spaces. Two
names are one tag when their keys are equal (`tag_key`): the key folds case, the
Unicode compatibility forms (NFKC: full-width and mathematical letters), separators
(spaces, hyphens, dashes, underscores) and the letters of another script that look
like letters of the name's own, so "Hillary Clinton", "hillary-clinton" and
"Тrump" with a Cyrillic Т fall on the tags "Hillary Clinton" and "Trump".

The look-alikes come from Unicode's confusables table (UTS #39) as the
`confusable-homoglyphs` package ships it. Only a name that mixes scripts is
folded, towards the script most of its letters are in: a name written wholly in
Cyrillic or Greek stays itself, and Latin letters that look alike within Latin
("AI" and "Al") stay apart, as the words they spell are different.
"""

import re
import unicodedata
from collections import Counter

from confusable_homoglyphs.categories import alias as script_of
from confusable_homoglyphs.confusables import confusables_data
from django import forms
from taggit.forms import TagField
from taggit.utils import _parse_tags

from core.text import strip_control_characters

MAX_TAG_LENGTH = 100  # taggit's Tag.name
MAX_KEY_LENGTH = 400  # NFKC and case folding may lengthen a name (ﬃ → ffi)

SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d]+")
# The slugs a tag's address can carry (Django's `slug` path converter).
ADDRESS_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
SCRIPTLESS = {"COMMON", "INHERITED", "Unknown"}


def normalise_tag(name: str) -> str:
    """A tag name as it is stored: no control characters, NFC, single spaces."""
    name = unicodedata.normalize("NFC", strip_control_characters(name))
    return " ".join(name.split())


def _look_alike(char: str, script: str) -> str | None:
    """The letter of `script` that `char` (of another script) is confused with,
    in lower case; None when there is none. Case is tried upper first: Cyrillic
    "т" is listed as Latin small capital "ᴛ", its capital "Т" as Latin "T"."""
    for form in (char.upper(), char):
        for glyph in confusables_data.get(form, ()):
            target = glyph["c"]
            if len(target) == 1 and script_of(target) == script:
                return target.casefold()
    return None


def _unmix_scripts(text: str) -> str:
    scripts = Counter(
        script_of(char) for char in text if script_of(char) not in SCRIPTLESS
    )
    if len(scripts) < 2:
        return text
    most = max(scripts.values())
    leading = sorted(script for script, count in scripts.items() if count == most)
    own = "LATIN" if "LATIN" in leading else leading[0]
    return "".join(
        char
        if script_of(char) in SCRIPTLESS or script_of(char) == own
        else (_look_alike(char, own) or char)
        for char in text
    )


def tag_key(name: str) -> str:
    """What a tag name reads as: the names of one tag share it (see the module)."""
    text = unicodedata.normalize("NFKC", strip_control_characters(name))
    # Invisible formatting (zero-width spaces and joiners, soft hyphens) reads as
    # nothing.
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    text = _unmix_scripts(text).casefold()
    text = SEPARATORS.sub(" ", text).strip()
    return unicodedata.normalize("NFKC", text)[:MAX_KEY_LENGTH]


def is_address_slug(slug: str) -> bool:
    return bool(ADDRESS_SLUG.fullmatch(slug or ""))


def parse_tags(text: str) -> list[str]:
    """taggit's parser (commas, quotes), then each name normalised."""
    names = (normalise_tag(name) for name in _parse_tags(text or ""))
    return sorted({name for name in names if name})


class NewsroomTagField(TagField):
    def clean(self, value):
        names = super().clean(value)
        too_long = [name for name in names if len(name) > MAX_TAG_LENGTH]
        if too_long:
            raise forms.ValidationError(
                "A tag can be at most %(limit)s characters: “%(name)s…” is longer.",
                params={"limit": MAX_TAG_LENGTH, "name": too_long[0][:30]},
                code="tag_too_long",
            )
        return names
