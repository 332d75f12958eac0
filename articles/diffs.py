"""A readable word-by-word diff of two versions of a story's text."""

import difflib
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

_BLOCKS = re.compile(r"</(?:p|h[1-6]|li|blockquote|figcaption)>", re.IGNORECASE)


def paragraphs(html: str) -> list[str]:
    text = strip_tags(_BLOCKS.sub("\n\n", html or ""))
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


def word_diff(old: str, new: str) -> str:
    """HTML with removed words in <del> and added words in <ins>."""
    old_words, new_words = old.split(" "), new.split(" ")
    out = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            out.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            out.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return " ".join(out)


def body_diff(old_html: str, new_html: str) -> list[str]:
    """One safe HTML string a changed, added or removed paragraph; unchanged ones
    are left out."""
    old, new = paragraphs(old_html), paragraphs(new_html)
    changes = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed, added = old[a1:a2], new[b1:b2]
        for index in range(max(len(removed), len(added))):
            before = removed[index] if index < len(removed) else ""
            after = added[index] if index < len(added) else ""
            changes.append(mark_safe(word_diff(before, after)))
    return changes
