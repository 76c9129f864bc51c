"""Page layout: a :class:`~kg.model.Document` becomes a list of Articles.

A newspaper page extracted from PDF is a run of lines: a masthead, then
articles, each a head (kicker, title, subtitle), bylines, a dateline opening
the first paragraph, body paragraphs with subheads, photo captions and
credits, and continuation markers. The PDF line wrap also cuts paragraphs in
two. The rules below read that *page type* from structure and typography
(punctuation, spacing, blank lines, line order), never from the words of a
particular page.

Every article character that comes from the document is recorded in
``Article.source_map``; the only characters layout adds are the ``"\\n"``
between parts. Characters are never rewritten.

The parsers of single lines (bylines, photo credits, datelines, dates and
the masthead) are in :mod:`kg.ingest.credits`.

>>> from kg.model import Document
>>> page = "标题一\\n\\n新华社北京2月24日电 正文一。\\n\\n标题二\\n\\n本报记者 陈刚\\n\\n正文二。"
>>> arts = split_articles(Document("p.txt", page, "utf-8"), date="2025-02-25")
>>> [(a.title, a.date, a.agency) for a in arts]
[('标题一', '2025-02-24', '新华社'), ('标题二', '2025-02-25', '本报')]
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from kg.errors import UsageError
from kg.ingest.credits import (
    Dateline,
    masthead_end,
    parse_date,
    parse_masthead,
    resolve_date,
)
from kg.ingest.lines import BIG_GAP, Unit, is_terminated
from kg.ingest.lines import units as line_units
from kg.model import Article, Credit, Document, Part

_PHOTO_NOTE = re.compile(r"[（(][^（）()]{0,12}摄[）)]")  # （2月20日摄） in a caption


@dataclass
class _Piece:
    kind: str  # the Part kind
    unit: Unit


def _head_start(units: list[Unit], a: int) -> int:
    """Start of the article whose head run begins at ``a``.

    A complete headline (two lines, kicker——title) right after a body,
    before another headline, closes the *previous* article: it is that
    article's headline printed after its body.
    """
    while (
        a > 0
        and a + 1 < len(units)
        and units[a].lines > 1
        and units[a + 1].kind == "heading"
        and units[a - 1].kind in ("body", "dateline")
    ):
        a += 1
    return a


def _finished(unit: Unit) -> bool:
    """Is ``unit`` a paragraph that ends a sentence (so the article may end here)?"""
    return unit.kind in ("body", "dateline") and is_terminated(unit.texts[-1])


def _opens_article(units: list[Unit], i: int) -> int | None:
    """Where an article starts because of the non-heading unit ``i``, if it opens one."""
    unit, n = units[i], len(units)
    if unit.kind == "cont_end" and i + 1 < n:
        return i + 1
    if unit.kind == "cont_start":
        return i - 1 if i and units[i - 1].kind == "heading" else i
    if unit.kind == "dateline" and i and units[i - 1].kind not in ("heading", "byline"):
        return i
    if unit.kind == "byline" and i and _finished(units[i - 1]):
        # After a finished paragraph, bylines followed by a body open the
        # next article (whose headline may come after its body); bylines
        # with no body after them sign the article they end.
        end = i
        while end < n and units[end].kind == "byline":
            end += 1
        if end < n and units[end].kind in ("body", "dateline"):
            return i
    return None


def _article_starts(units: list[Unit]) -> list[int]:
    starts = {0}
    n = len(units)
    i = 0
    while i < n:
        unit = units[i]
        if (start := _opens_article(units, i)) is not None:
            starts.add(start)
        if unit.kind != "heading":
            i += 1
            continue
        end = i
        while end < n and units[end].kind == "heading":
            end += 1
        after = units[end].kind if end < n else ""
        body_end = end
        while body_end < n and body_end - end < 5 and units[body_end].kind == "body":
            body_end += 1
        photo = body_end > end and body_end < n and units[body_end].kind == "credit"
        if (
            after in ("byline", "dateline")
            or unit.gap >= BIG_GAP
            or (i and units[i - 1].kind == "credit")
            or photo
        ):
            starts.add(_head_start(units, i))
        i = end
    return sorted(starts)


def _pieces(units: list[Unit], single: bool) -> list[_Piece]:
    """The units of one article in reading order, each with its part kind."""
    head = 0
    while head < len(units) and units[head].kind == "heading":
        head += 1
    tail = len(units)
    if not single:
        while tail > head + 1 and units[tail - 1].kind == "heading":
            tail -= 1
    trailing = units[tail:] if tail > head else []
    leading = units[:head]
    if trailing:
        title, subtitles = trailing, leading
    else:
        mains = [u for u in leading if not u.texts[0].startswith("—")]
        title = mains[-1:]
        subtitles = [u for u in leading if all(u is not t for t in title)]
    photo = any(u.kind == "credit" for u in units) and not any(
        u.kind in ("byline", "dateline") for u in units
    )
    out = [_Piece("title", u) for u in title] + [_Piece("subtitle", u) for u in subtitles]
    captioned = False
    for unit in units[head:tail]:
        kind = {
            "heading": "subhead",
            "byline": "byline",
            "credit": "credit",
            "cont_end": "continuation",
            "cont_start": "continuation",
            "dateline": "dateline",
        }.get(unit.kind, "body")
        if kind == "body" and (
            (photo and not captioned) or _PHOTO_NOTE.search(unit.texts[-1][-30:])
        ):
            kind, captioned = "caption", True
        out.append(_Piece(kind, unit))
    return out


def _article_id(text: str) -> str:
    return "a" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


@dataclass
class _Assembly:
    """An article's text as it is put together piece by piece, with what it records."""

    chunks: list[str] = field(default_factory=list)
    runs: list[tuple[int, int, int]] = field(default_factory=list)  # the source map
    parts: list[Part] = field(default_factory=list)
    credits: list[Credit] = field(default_factory=list)
    dateline: Dateline | None = None
    agency: str = ""
    length: int = 0

    def append(self, doc: Document, unit: Unit) -> int:
        """Add ``unit``'s text (after a newline); returns where it begins."""
        if self.chunks:
            self.chunks.append("\n")
            self.length += 1
        begin = self.length
        for s, e in unit.spans:
            self.runs.append((self.length, s, e - s))
            self.chunks.append(doc.text[s:e])
            self.length += e - s
        return begin

    def add_part(self, kind: str, unit: Unit, begin: int) -> None:
        """Record the part ``unit`` is, its credits and the agency they name."""
        found = []
        if kind == "dateline":
            info: Dateline = unit.info  # type: ignore[assignment]
            self.dateline = self.dateline or info
            self.parts.append(Part("dateline", begin, begin + info.end))
            after = unit.texts[0][info.end :]
            body_start = begin + info.end + len(after) - len(after.lstrip())
            if body_start < self.length:
                self.parts.append(Part("body", body_start, self.length))
            found = info.credits
        else:
            self.parts.append(Part(kind, begin, self.length))
            if kind in ("byline", "credit"):
                who, found = unit.info  # type: ignore[misc]
                self.agency = self.agency or who
        self.credits.extend(Credit(r, n, s + begin, e + begin) for r, n, s, e in found)


def _build(doc: Document, units: list[Unit], published: str | None, source: str) -> Article:
    single = bool(doc.meta) or doc.line > 0
    meta_title = doc.meta.get("title", "")
    acc = _Assembly()
    for piece in _pieces(units, single):
        begin = acc.append(doc, piece.unit)
        kind = piece.kind
        if kind == "title" and meta_title and piece.unit.text != meta_title:
            kind = "subtitle"
        acc.add_part(kind, piece.unit, begin)
    text = "".join(acc.chunks)
    parts, credits, dateline, agency, runs = (acc.parts, acc.credits, acc.dateline, acc.agency,
                                              acc.runs)
    title = meta_title or "".join(text[p.start : p.end] for p in parts if p.kind == "title")
    date = None
    if dateline:
        agency = dateline.agency
        date = resolve_date(dateline.month, dateline.day, published)
    return Article(
        id=doc.meta.get("id") or _article_id(text),
        text=text,
        title=title,
        date=date or published,
        published=published,
        source=source,
        agency=agency,
        dateline=dateline.text if dateline else "",
        place=dateline.place if dateline else "",
        url=doc.meta.get("url", ""),
        path=doc.path,
        line=doc.line,
        parts=tuple(parts),
        credits=tuple(credits),
        source_map=tuple(runs),
    )


def split_articles(doc: Document, *, date: str | None = None) -> list[Article]:
    """The articles of a page (or the one article of a JSONL record).

    ``date`` is the publication date to use when the document states none
    (no masthead date, no JSONL ``date``); a date the document states wins.
    A ``date`` that is not a date raises :class:`~kg.errors.UsageError`. Article text is the article
    in reading order (title, kicker/subtitle, bylines, dateline and body,
    subheads, captions, credits, continuation markers), one part per line.

    >>> from kg.model import Document
    >>> doc = Document("x.jsonl", "新华社电 正文。", "utf-8", line=3, meta={"id": "n1"})
    >>> a, = split_articles(doc, date="2025-02-24")
    >>> a.id, a.title, a.agency, a.date, [p.kind for p in a.parts]
    ('n1', '', '新华社', '2025-02-24', ['dateline', 'body'])
    """
    if date is not None:
        iso = parse_date(date)
        if iso is None:
            raise UsageError(f"not a date: {date!r}; use YYYY-MM-DD")
        date = iso
    single = bool(doc.meta) or doc.line > 0
    start = 0 if single else masthead_end(doc.text)
    if single:
        published = parse_date(doc.meta.get("date", "")) or date
        source = doc.meta.get("source", "")
    else:
        published, source = parse_masthead(doc.text[:start])
        published = published or date
    units = line_units(doc.text, start, doc.path.lower().endswith(".md"))
    if not units:
        return []
    starts = [0] if single else _article_starts(units)
    bounds = zip(starts, [*starts[1:], len(units)], strict=True)
    return [_build(doc, units[a:b], published, source) for a, b in bounds]
