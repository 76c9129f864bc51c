"""Readable event labels: the shortest span of a sentence that states the event (pure).

An event without a name of its own is labelled by the clause around its
trigger — what a reader would quote — never by a list of its actors. The
clause is trimmed of what states nothing about the event: a dateline
(新华社北京2月24日电), a leading date and time of day (2月24日下午), an opener
(据悉, 同日) and punctuation; a clause that names none of the event's actors
takes the clause before it (中国同法国一道，会同…发起); and the label is at most
:data:`MAX_LABEL` characters, cut at a clause boundary (、 or a space) or at
the end of an argument, and never so that it loses the trigger.

>>> text = "2月24日下午，国家主席习近平应约同俄罗斯总统普京通电话。"
>>> summary(text, (0, len(text)), 25, 28)
'国家主席习近平应约同俄罗斯总统普京通电话'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from kg.lexicon.files import word_list
from kg.model import Mention
from kg.text.chars import CLAUSE_END
from kg.text.dates import find_dates

__all__ = ["MAX_LABEL", "clause_span", "summary"]

MAX_LABEL = 40
"""The longest label, in characters."""

_DATELINE = re.compile(r"(?:新华社|中新社|本报|人民网|央视网|新京报)[^，,。；：:]{0,12}?电"
                       r"|本报讯|[（(](?:记者|通讯员)[^）)]{0,30}[）)]")
_EDGE = " \u3000\t\n“”‘’\"'「」『』《》（）()【】[]——…·、，,。；;：:！？!?"
_SOFT_BREAKS = "、 \u3000"
_PAIRS = {"”": "“", "’": "‘", "》": "《", "）": "（", ")": "(", "」": "「", "』": "『"}


def clause_span(text: str, sent: tuple[int, int], pos: int) -> tuple[int, int]:
    """The clause of sentence ``sent`` around ``pos``: between clause punctuation.

    >>> t = "会议指出，双方签署协议。"
    >>> clause_span(t, (0, len(t)), 7)
    (5, 11)
    """
    start = pos
    while start > sent[0] and text[start - 1] not in CLAUSE_END:
        start -= 1
    end = pos
    while end < sent[1] and text[end] not in CLAUSE_END:
        end += 1
    return start, end


@lru_cache(maxsize=1)
def _opener() -> re.Pattern[str]:
    words = sorted(word_list("events.label_openers"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


@lru_cache(maxsize=1)
def _day_part() -> re.Pattern[str]:
    words = sorted(word_list("events.day_parts"), key=len, reverse=True)
    clock = r"(?:[0-9０-９]{1,2}时(?:[0-9０-９]{1,2}分)?许?)?"  # 14时30分许
    return re.compile(r"(?:" + "|".join(map(re.escape, words)) + r")?" + clock)


def _opens_quote(text: str, at: int, limit: int) -> bool:
    """True when ``text[at]`` opens a quotation that closes before ``limit`` (“蓉城工匠”大赛)."""
    closing = {v: k for k, v in _PAIRS.items()}.get(text[at])
    return closing is not None and text.find(closing, at + 1, limit) >= 0


def _trim_start(text: str, start: int, limit: int) -> int:
    """``start`` moved past datelines, a leading date, openers and punctuation."""
    while True:
        before = start
        while start < limit and text[start] in _EDGE and not _opens_quote(text, start, limit):
            start += 1
        for pattern in (_DATELINE, _opener()):
            m = pattern.match(text, start, limit)
            if m and m.end() > start:
                start = m.end()
        dates = find_dates(text[start:limit], None)
        if dates and dates[0].start == 0:
            start += dates[0].end
            m = _day_part().match(text, start, limit)
            start = m.end() if m else start
        if start == before:
            return start


def _trim_end(text: str, start: int, end: int) -> int:
    """``end`` moved back over punctuation, keeping a quotation's closing mark (“远芯3号”)."""
    while end > start and text[end - 1] in _EDGE:
        opening = _PAIRS.get(text[end - 1])
        if opening and text.rfind(opening, start, end - 1) >= 0:
            break
        end -= 1
    return end


def _bounded(text: str, span: tuple[int, int], t0: int, t1: int,
             args: Sequence[Mention]) -> tuple[int, int]:
    """At most :data:`MAX_LABEL` characters of ``span`` that keep the trigger."""
    start, end = span
    if end - start <= MAX_LABEL:
        return start, end
    if t1 - start > MAX_LABEL:  # too much before the trigger: start at a soft break or an actor
        cuts = [i + 1 for i in range(start, t0) if text[i] in _SOFT_BREAKS]
        cuts += [m.start for m in args if start <= m.start < t0]
        fitting = [c for c in cuts if t1 - c <= MAX_LABEL]
        start = min(fitting) if fitting else max(start, t1 - MAX_LABEL)
    if end - start > MAX_LABEL:  # then end after the trigger at a break or an argument's end
        cuts = [i for i in range(t1, end) if text[i] in _SOFT_BREAKS]
        cuts += [m.end for m in args if t1 <= m.end <= end]
        fitting = [c for c in cuts if c - start <= MAX_LABEL] + [t1]
        end = max(fitting)
    return start, _trim_end(text, start, end)


def summary(text: str, sent: tuple[int, int], t0: int, t1: int,
            args: Sequence[Mention] = ()) -> str:
    """The label of the event triggered at ``t0:t1`` in sentence ``sent`` of ``text``.

    ``args`` are the event's argument mentions: a clause that holds none of
    them, after one that does, is read with it.

    >>> t = "新华社北京2月24日电 同日，中方同法方一道，会同多国发起倡议。"
    >>> summary(t, (0, len(t)), 27, 29, [Mention(15, 17, "中方", "LOC")])
    '中方同法方一道，会同多国发起倡议'
    >>> summary("会议指出，要加强团结。", (0, 11), 7, 9)
    '要加强团结'
    """
    c0, c1 = clause_span(text, sent, t0)
    if args and not any(c0 <= m.start and m.end <= c1 for m in args) and c0 > sent[0]:
        p0, _ = clause_span(text, sent, c0 - 1)
        if any(p0 <= m.start and m.end <= c1 for m in args) and c1 - p0 <= MAX_LABEL:
            c0 = p0
    start = _trim_start(text, c0, t0)
    end = _trim_end(text, start, c1)
    if end <= start:
        return text[t0:t1]
    start, end = _bounded(text, (start, end), t0, t1, args)
    return text[start:_closed(text, start, end, t1)]


def _closed(text: str, start: int, end: int, t1: int) -> int:
    """``end``, or before a quotation the cut left open after the trigger (出台《…)."""
    for opening, closing in ("《》", "“”", "（）", "(）"):
        at = text.rfind(opening, start, end)
        if at >= t1 and text.find(closing, at, end) < 0:
            end = _trim_end(text, start, at)
    return end
