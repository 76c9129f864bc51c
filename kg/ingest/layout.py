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
from dataclasses import dataclass

from kg.errors import UsageError
from kg.ingest.credits import (
    HEADING_MAX,
    Dateline,
    masthead_end,
    parse_byline,
    parse_date,
    parse_dateline,
    parse_masthead,
    parse_photo_credit,
    resolve_date,
)
from kg.model import Article, Credit, Document, Part
from kg.text.chars import CJK, CLOSERS, ELLIPSIS, SENTENCE_PUNCT

SHORT = 40
"""Unterminated lines longer than this are wrapped body text, not headings."""
BIG_GAP = 2
"""Blank lines that separate page regions (a new article starts after them)."""

_TERMINAL = SENTENCE_PUNCT + ELLIPSIS
_CLOSERS = CLOSERS + "】\"'"  # a line may also close with a bracket or a straight quote
_OPENERS = "“‘「『《（(【\"'—"
_MID_SENTENCE = "，,、：:"
_INNER_PUNCT = re.compile("[，、；：,;:]")
_SPACED = re.compile(rf"[{CJK}”』》）)] +[{CJK}“『《（(]")
_CONTINUED = re.compile(r"[（(](?P<dir>下转|转|上接|接)第?[0-9０-９一二三四五六七八九十]+版[）)]")
_PHOTO_NOTE = re.compile(r"[（(][^（）()]{0,12}摄[）)]")  # （2月20日摄） in a caption


def is_terminated(text: str) -> bool:
    """Does this block end a sentence?

    >>> is_terminated("他说：“好。”"), is_terminated("共同推动产业高质量发展")
    (True, False)
    """
    text = text.rstrip()
    if text[-1:] in _CLOSERS and len(text) > 1:
        return text[-2] in _TERMINAL
    return text[-1:] != "" and text[-1] in _TERMINAL


def is_heading_like(text: str) -> bool:
    """Could this line be a headline, kicker or subhead (not a sentence)?

    >>> is_heading_like("春耕时节 农机下田忙"), is_heading_like("会议听取了工作报告。")
    (True, False)
    """
    if not text or len(text) > HEADING_MAX or "。" in text or text[-1] in _MID_SENTENCE:
        return False
    return not is_terminated(text) or (len(text) <= SHORT and text.endswith("…"))


@dataclass
class _Unit:
    """One paragraph-like block: source spans read without separator."""

    kind: str  # heading byline credit dateline body cont_end cont_start
    spans: list[tuple[int, int]]
    texts: list[str]  # the lines; joining them each time would be quadratic
    gap: int
    info: object = None
    region_start: bool = False

    @property
    def text(self) -> str:
        return "".join(self.texts)

    @property
    def lines(self) -> int:
        return len(self.texts)


@dataclass
class _Piece:
    kind: str  # the Part kind
    unit: _Unit


def _classify(text: str) -> tuple[str, object]:
    if len(text) <= 20 and (cont := _CONTINUED.fullmatch(text)):
        return ("cont_end" if "下" in cont["dir"] or cont["dir"] == "转" else "cont_start"), None
    if credit := parse_photo_credit(text):
        return "credit", credit
    if byline := parse_byline(text):
        return "byline", byline
    if dateline := parse_dateline(text):
        return "dateline", dateline
    return ("heading" if is_heading_like(text) else "body"), None


def _pairs(prev: _Unit, text: str, kind: str, gap: int) -> bool:
    """Two heading lines printed as one headline (kicker——title)."""
    if prev.kind != "heading" or kind != "heading":
        return False
    dash_end = prev.texts[-1].endswith(("——", "—", "：", ":"))
    return (dash_end and gap <= 1) or (gap == 0 and text.startswith("—"))


def _wraps(prev: _Unit, text: str, kind: str) -> bool:
    """Is ``text`` the rest of ``prev``, cut by the PDF line wrap?"""
    if prev.kind not in ("body", "dateline", "heading") or kind != "body":
        return False
    last = prev.texts[-1]
    if is_terminated(last):
        return False
    if text[0] in _OPENERS and last[-1] not in _MID_SENTENCE:
        return False  # a quotation or bracket opens a new paragraph
    if prev.kind != "heading":
        return True
    if prev.region_start or prev.lines > 1 or last.startswith("—"):
        return False
    if len(last) > SHORT:
        return True
    return bool(_INNER_PUNCT.search(last[:-1])) and not _SPACED.search(last)


def _units(text: str, start: int, markdown: bool) -> list[_Unit]:
    units: list[_Unit] = []
    gap, pos = 0, start
    for raw in text[start:].split("\n"):
        lead = len(raw) - len(raw.lstrip())
        line = raw.strip()
        if markdown and (m := re.match(r"#{1,6}\s+", line)):
            lead, line = lead + m.end(), line[m.end() :]
        if not line:
            gap += 1
            pos += len(raw) + 1
            continue
        span = (pos + lead, pos + lead + len(line))
        kind, info = _classify(line)
        prev = units[-1] if units else None
        if prev and (_pairs(prev, line, kind, gap) or _wraps(prev, line, kind)):
            prev.spans.append(span)
            prev.texts.append(line)
            if prev.kind == "heading" and kind != "heading":
                prev.kind = "body"
        else:
            region = prev is None or gap >= BIG_GAP or prev.kind in ("cont_end", "credit")
            units.append(_Unit(kind, [span], [line], gap, info, region_start=region))
        gap, pos = 0, pos + len(raw) + 1
    # A short line right before a byline or dateline is a headline even when
    # it ends like a sentence (``……``, ``？``); one right before a "continued
    # on page N" marker is the unfinished paragraph the marker continues.
    for i in range(len(units) - 2, -1, -1):
        unit = units[i]
        if unit.kind == "heading" and units[i + 1].kind == "cont_end" and i:
            unit.kind = "body"
        if (
            unit.kind == "body"
            and unit.lines == 1
            and len(unit.texts[0]) <= SHORT
            and "。" not in unit.texts[0]
            and units[i + 1].kind in ("byline", "dateline")
        ):
            unit.kind = "heading"
    return units


def _head_start(units: list[_Unit], a: int) -> int:
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


def _finished(unit: _Unit) -> bool:
    """Is ``unit`` a paragraph that ends a sentence (so the article may end here)?"""
    return unit.kind in ("body", "dateline") and is_terminated(unit.texts[-1])


def _article_starts(units: list[_Unit]) -> list[int]:
    starts = {0}
    n = len(units)
    i = 0
    while i < n:
        unit = units[i]
        if unit.kind == "cont_end" and i + 1 < n:
            starts.add(i + 1)
        if unit.kind == "cont_start":
            starts.add(i - 1 if i and units[i - 1].kind == "heading" else i)
        if unit.kind == "dateline" and i and units[i - 1].kind not in ("heading", "byline"):
            starts.add(i)
        if unit.kind == "byline" and i and _finished(units[i - 1]):
            # After a finished paragraph, bylines followed by a body open the
            # next article (whose headline may come after its body); bylines
            # with no body after them sign the article they end.
            end = i
            while end < n and units[end].kind == "byline":
                end += 1
            if end < n and units[end].kind in ("body", "dateline"):
                starts.add(i)
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


def _pieces(units: list[_Unit], single: bool) -> list[_Piece]:
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


def _build(doc: Document, units: list[_Unit], published: str | None, source: str) -> Article:
    single = bool(doc.meta) or doc.line > 0
    meta_title = doc.meta.get("title", "")
    chunks: list[str] = []
    runs, parts, credits = [], [], []
    dateline: Dateline | None = None
    agency, length = "", 0
    for piece in _pieces(units, single):
        unit, kind = piece.unit, piece.kind
        if chunks:
            chunks.append("\n")
            length += 1
        begin = length
        for s, e in unit.spans:
            runs.append((length, s, e - s))
            chunks.append(doc.text[s:e])
            length += e - s
        if kind == "title" and meta_title and unit.text != meta_title:
            kind = "subtitle"
        found = []
        if kind == "dateline":
            info: Dateline = unit.info  # type: ignore[assignment]
            dateline = dateline or info
            parts.append(Part("dateline", begin, begin + info.end))
            after = unit.texts[0][info.end :]
            body_start = begin + info.end + len(after) - len(after.lstrip())
            if body_start < length:
                parts.append(Part("body", body_start, length))
            found = info.credits
        else:
            parts.append(Part(kind, begin, length))
            if kind in ("byline", "credit"):
                who, found = unit.info  # type: ignore[misc]
                agency = agency or who
        credits.extend(Credit(r, n, s + begin, e + begin) for r, n, s, e in found)
    text = "".join(chunks)
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
    units = _units(doc.text, start, doc.path.lower().endswith(".md"))
    if not units:
        return []
    starts = [0] if single else _article_starts(units)
    bounds = zip(starts, [*starts[1:], len(units)], strict=True)
    return [_build(doc, units[a:b], published, source) for a, b in bounds]
