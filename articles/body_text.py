"""A story body from what a reporter pastes: paragraphs from plain text, and the
leftovers of social embeds ("A post shared by … (@handle)", a video's title in
capitals) turned into embed blocks with a plain link and attribution.

`story_body()` runs on every write of a body (`SanitizedHTMLField`), before the
allow-list, so the admin, the importer, the demo loader and a bare form POST all
store paragraphs. It changes nothing it has already changed: a body that has
block tags is not split again, and an embed block is not a paragraph.
"""

import html
import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import strip_tags

# A body with any of these is HTML already laid out in blocks.
_BLOCK_TAG = re.compile(
    r"<(p|h[1-6]|ul|ol|li|blockquote|figure|hr|div|table|pre|section|article)\b",
    re.I,
)
_BLANK_LINE = re.compile(r"\r?\n[ \t\u00a0]*\r?\n")
_NEWLINE = re.compile(r"\r?\n")
_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)


def has_blocks(text: str) -> bool:
    return bool(_BLOCK_TAG.search(text))


def paragraph_texts(text: str) -> list[str]:
    """The paragraphs of plain text: blank-line separated, or one a line when it
    has no blank line at all; spaces inside each folded to one."""
    separator = _BLANK_LINE if _BLANK_LINE.search(text) else _NEWLINE
    paragraphs = (" ".join(block.split()) for block in separator.split(text))
    return [p for p in paragraphs if p]


def paragraphs_html(paragraphs, *, escape: bool) -> str:
    """`<p>` blocks of the paragraphs; `escape` for text read from a file, where
    `<` is a character, not markup."""
    return "\n".join(
        f"<p>{html.escape(p, quote=False) if escape else p}</p>" for p in paragraphs
    )


@dataclass(frozen=True)
class Embed:
    """What is left of a social post or a video, as an embed block shows it."""

    platform: str
    text: str
    name: str = ""
    handle: str = ""
    url: str = ""
    when: str = ""


# "<caption> A post shared by Alyssa Milano (@milano_alyssa) on Apr 22, 2017 at
# 3:42pm PDT": what Instagram's embed code leaves when its script does not run.
_INSTAGRAM = re.compile(
    r"^(?P<text>.*?)\s*A post shared by (?P<name>[^()<>]{1,80}?)\s*"
    r"\(@(?P<handle>[A-Za-z0-9_.]{1,30})\)(?:\s+on\s+(?P<when>[^<>]{1,60}))?$"
)
# "<text> — Jon Ossoff (@ossoff) June 21, 2017": what Twitter's (X's) leaves.
_TWEET = re.compile(
    r"^(?P<text>.+?)\s*[—–]\s*(?P<name>[^()<>]{1,80}?)\s*"
    r"\(@(?P<handle>[A-Za-z0-9_]{1,15})\)\s+"
    r"(?P<when>[A-Z][a-z]+\.? \d{1,2}, \d{4})$"
)
# A video's title left in capitals on a line of its own (YouTube's and the
# networks' players print it so): five words or more, no lower-case letter, no
# sentence's end.
_MIN_TITLE_WORDS = 5
_MAX_TITLE_LENGTH = 150


def embed_of(paragraph_html: str) -> Embed | None:
    """The embed a paragraph is the leftover of, if any."""
    text = " ".join(html.unescape(strip_tags(paragraph_html)).split())
    if "<a " in paragraph_html and "A post shared by" not in text:
        return None  # a paragraph an editor linked is theirs
    found = _INSTAGRAM.match(text)
    if found:
        handle = found["handle"]
        return Embed(
            "Instagram",
            found["text"],
            found["name"].strip(),
            handle,
            f"https://www.instagram.com/{handle}/",
            (found["when"] or "").strip(),
        )
    found = _TWEET.match(text)
    if found:
        handle = found["handle"]
        return Embed(
            "X (Twitter)",
            found["text"],
            found["name"].strip(),
            handle,
            f"https://x.com/{handle}",
            found["when"],
        )
    if _is_video_title(text):
        return Embed("Video", text)
    return None


def _is_video_title(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (
        len(text) <= _MAX_TITLE_LENGTH
        and len(text.split()) >= _MIN_TITLE_WORDS
        and bool(letters)
        and all(c.isupper() for c in letters)
        and not text.endswith((".", "!", "?", ":", ";", ",", "”", '"'))
    )


def embed_block(embed: Embed) -> str:
    """An embed block: the post's words in a block quote and a plain link to its
    author (no third-party script), or the video's title, as a `<figure>`."""
    return render_to_string(
        "articles/includes/_embed_block.html", {"embed": embed}
    ).strip()


def with_embed_blocks(body_html: str) -> str:
    """`body_html` with each paragraph that is an embed's leftover made a block."""

    def replace(match):
        embed = embed_of(match[1])
        return embed_block(embed) if embed else match[0]

    return _PARAGRAPH.sub(replace, body_html)


def story_text_to_html(text: str) -> str:
    """A story file's text as paragraphs (curly quotes and every character kept),
    its embeds' leftovers made blocks."""
    return with_embed_blocks(paragraphs_html(paragraph_texts(text), escape=True))


def story_body(value: str) -> str:
    """The body to store for what was written or pasted: plain text (no block
    tags) made paragraphs, embeds' leftovers made blocks. Sanitised after this."""
    if not value or not value.strip():
        return value
    if not has_blocks(value):
        value = paragraphs_html(paragraph_texts(value), escape=False)
    if "<p>" not in value:
        return value
    return with_embed_blocks(value)


def reader_text(*parts: str) -> str:
    """The words of `parts` (HTML or text) as readers read them, spaces folded:
    equal for two versions that differ only in markup."""
    return " ".join(
        html.unescape(strip_tags(" ".join(parts).replace(">", "> "))).split()
    )
