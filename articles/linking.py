"""Link the first appearance of each linked person in a story's body to their page.

Works on the sanitised body's text nodes only: never inside an existing link, never
in an attribute, and a name split across tags ("<em>Jon</em> Ossoff") is skipped for
its next appearance. The result is re-sanitised, so it stays valid and safe.
"""

from html import escape
from html.parser import HTMLParser

from articles.sanitizer import sanitize_html
from people.mentions import KnownPerson, MentionFinder


class _Tokens(HTMLParser):
    """The body as a list of ("text", str) and ("markup", str) tokens."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple[str, str, bool]] = []  # kind, value, inside a link
        self.link_depth = 0

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("markup", self.get_starttag_text(), self.link_depth > 0))
        if tag == "a":
            self.link_depth += 1

    def handle_startendtag(self, tag, attrs):
        self.tokens.append(("markup", self.get_starttag_text(), self.link_depth > 0))

    def handle_endtag(self, tag):
        if tag == "a" and self.link_depth:
            self.link_depth -= 1
        self.tokens.append(("markup", f"</{tag}>", self.link_depth > 0))

    def handle_data(self, data):
        self.tokens.append(("text", data, self.link_depth > 0))


def link_first_mentions(body: str, people: list[tuple[KnownPerson, str]]) -> str:
    """`body` with the first appearance of each person linked to its URL."""
    if not people or not body:
        return body
    parser = _Tokens()
    parser.feed(body)
    parser.close()
    tokens = parser.tokens
    # One plain text of all text nodes; remember where each node starts.
    starts, pieces, offset = [], [], 0
    for kind, value, _inside in tokens:
        starts.append(offset)
        if kind == "text":
            pieces.append(value)
            offset += len(value)
    text = "".join(pieces)
    urls = {person.person_id: url for person, url in people}
    finder = MentionFinder(person for person, _url in people)
    inserts: dict[int, list[tuple[int, int, str]]] = {}  # token -> (start, end, url)
    for hit in finder.find(text).hits:
        for occurrence in hit.occurrences:
            place = _place(tokens, starts, occurrence.start, occurrence.end)
            if place is not None:
                index, local_start = place
                inserts.setdefault(index, []).append(
                    (local_start, local_start + occurrence.end - occurrence.start,
                     urls[hit.person.person_id])
                )  # fmt: skip
                break
    out = []
    for index, (kind, value, _inside) in enumerate(tokens):
        if kind == "markup":
            out.append(value)
            continue
        cursor = 0
        for start, end, url in sorted(inserts.get(index, [])):
            out.append(escape(value[cursor:start], quote=False))
            out.append(
                f'<a href="{escape(url)}">{escape(value[start:end], quote=False)}</a>'
            )
            cursor = end
        out.append(escape(value[cursor:], quote=False))
    return sanitize_html("".join(out))


def _place(tokens, starts, start, end):
    """(token index, offset in it) when [start, end) lies inside one text node that
    is not already in a link; None otherwise."""
    for index, (kind, value, inside) in enumerate(tokens):
        if kind != "text":
            continue
        node_start = starts[index]
        if node_start <= start and end <= node_start + len(value):
            return None if inside else (index, start - node_start)
        if node_start > start:
            return None
    return None
