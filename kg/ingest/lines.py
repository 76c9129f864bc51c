"""The lines of a page grouped into units: paragraphs re-joined, each classified.

A PDF page is a run of lines; the line wrap cuts paragraphs in two. A unit is
one paragraph (its lines re-joined where the wrap cut them), one heading,
byline, dateline, photo credit or continuation marker, with the blank-line
gap before it. The rules read structure and typography (punctuation,
spacing, blank lines), never the words of a particular page.

>>> page = "标题\\n\\n本报记者 陈刚\\n\\n全市职工技能大赛昨天开幕，来自各行业的选手参加了比\\n赛。"
>>> [(u.kind, u.text) for u in units(page, 0, False)]  # doctest: +NORMALIZE_WHITESPACE
[('heading', '标题'), ('byline', '本报记者 陈刚'),
 ('body', '全市职工技能大赛昨天开幕，来自各行业的选手参加了比赛。')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.ingest.credits import HEADING_MAX, parse_byline, parse_dateline, parse_photo_credit
from kg.text.chars import CJK, CLOSERS, ELLIPSIS, SENTENCE_PUNCT

__all__ = ["BIG_GAP", "SHORT", "Unit", "is_heading_like", "is_terminated", "units"]

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
class Unit:
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


def _pairs(prev: Unit, text: str, kind: str, gap: int) -> bool:
    """Two heading lines printed as one headline (kicker——title)."""
    if prev.kind != "heading" or kind != "heading":
        return False
    dash_end = prev.texts[-1].endswith(("——", "—", "：", ":"))
    return (dash_end and gap <= 1) or (gap == 0 and text.startswith("—"))


def _wraps(prev: Unit, text: str, kind: str) -> bool:
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


def units(text: str, start: int, markdown: bool) -> list[Unit]:
    units: list[Unit] = []
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
            units.append(Unit(kind, [span], [line], gap, info, region_start=region))
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
