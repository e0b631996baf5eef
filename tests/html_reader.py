"""Read an HTML page the way a browser parses it: its tags with attributes, its visible text
and its tables, so tests check what a reader sees rather than the bytes of the markup."""

from __future__ import annotations

from html.parser import HTMLParser

# Elements that start a new line of text; cells count too, so table cells do not run together.
BLOCKS = {"li", "p", "div", "br", "h1", "h2", "h3", "summary", "section", "tr", "td", "th", "ul"}


class PageReader(HTMLParser):
    """``tags``: every start tag with its attributes; ``text``: the text outside scripts and
    styles, whitespace collapsed; ``rows``: the cell texts of every table row; ``scripts``: the
    content of every script element."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.rows: list[list[str]] = []
        self.scripts: list[str] = []
        self._text: list[str] = []
        self._cell: list[str] | None = None
        self._raw = 0
        self.feed(page)
        self.close()
        self.text = " ".join("".join(self._text).split())

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._raw += 1
            self.scripts += [""] if tag == "script" else []
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in BLOCKS:
            self._text.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._raw -= 1
        elif tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag in BLOCKS:
            self._text.append(" ")

    def handle_data(self, data):
        if self._raw:
            if self.tags[-1][0] == "script":
                self.scripts[-1] += data
            return
        self._text.append(data)
        if self._cell is not None:
            self._cell.append(data)
