"""Tag names as editors type them, made consistent: Unicode NFC, single spaces,
bounded length. Case is folded by TAGGIT_CASE_INSENSITIVE."""

import unicodedata

from django import forms
from taggit.forms import TagField
from taggit.utils import _parse_tags

MAX_TAG_LENGTH = 100  # taggit's Tag.name


def normalise_tag(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


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
