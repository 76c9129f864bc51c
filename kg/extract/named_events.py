"""Named events: the events a text calls by name (第十五届全国运动会, 2024中关村论坛) (pure).

A name is a suffix of ``resources/schema/event_names.tsv`` (运动会, 论坛,
联席会议, 行动 …) with the modifier written before it, which runs left up to
punctuation or a boundary word of ``rules.toml`` (``events.name_boundaries``:
召开, 举办, 的, 这 …). The span is a name only when its modifier names
something — an ordinal (第十五届, 第二十二次), a year (2024), a quotation,
or a place or organization the recognizer found; a ``loose`` suffix (行动,
论坛) also takes a word that is not generic (清朗行动, not 专项行动) and a
``bare`` one is a name alone (全运会). So 召开会议, 这次活动, 各项活动 and
开展行动 are no names.

A named event is an :class:`~kg.model.Event` whose trigger is its suffix and
whose ``name`` is the name, with its organizers (the subject of 举办, 主办,
召开 in the sentence), the place after 在/于 and the sentence's date (else the
name's year). :func:`hold` merges it with the trigger event of its clause
that holds it (召开…联席会议 is that meeting).

>>> text = "省政府召开第二十二次联席会议。"
>>> [(n.text, n.type) for n in find_names(text, (0, len(text)), [])]
[('第二十二次联席会议', 'meeting')]
>>> find_names("会议要求，各地召开会议，开展行动。", (0, 17), [])
[]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from kg.extract.labels import clause_span
from kg.lexicon.files import tsv_rows, word_list
from kg.model import Article, Event, Mention
from kg.registry import event_type
from kg.text.chars import CLAUSE_END
from kg.text.dates import find_dates

__all__ = ["EventName", "NameSuffix", "find_names", "hold", "named_events", "told_organizers"]

MAX_MODIFIER = 20
"""The longest modifier before a suffix, in characters."""

_ORDINAL = re.compile(r"第[零〇一二三四五六七八九十百千两0-9０-９]+[届次期轮]"
                      r"|[零〇一二三四五六七八九十百0-9０-９]+届|首届|首次")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}(?!月)|[一二][〇零一二三四五六七八九]{3}年")
_QUOTED = re.compile(r"[“‘「《\"].+?[”’」》\"]")
_OPEN_QUOTES = "“‘「《\""
_CLOSE_QUOTES = "”’」》\""
_JOINERS = "、和与及"  # 大连市政府和市总工会联席会议: one name of two holders
MAX_LOOSE = 4
"""The longest word that makes a loose suffix a name (清朗行动, 求学圆梦行动)."""
_STOP = CLAUSE_END + "（）()、 \u3000\t—…·"


@dataclass(frozen=True, slots=True)
class NameSuffix:
    """A row of ``event_names.tsv``: a suffix, its event type and its flags."""

    word: str
    type: str
    bare: bool = False
    loose: bool = False


@dataclass(frozen=True, slots=True)
class EventName:
    """A named event's span ``start:end`` of the text, its suffix span and type."""

    start: int
    end: int
    text: str
    type: str
    suffix_start: int


@lru_cache(maxsize=1)
def _suffixes() -> tuple[NameSuffix, ...]:
    """The suffix table, longest first, each type checked against the schema."""
    rows = []
    for word, kind, *flags in tsv_rows("event_names.tsv", "schema"):
        event_type(kind)  # an unknown type is an error
        marks = set(flags[0].split(",")) if flags else set()
        rows.append(NameSuffix(word, kind, "bare" in marks, "loose" in marks))
    return tuple(sorted(rows, key=lambda s: -len(s.word)))


@lru_cache(maxsize=1)
def _suffix_re() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(s.word) for s in _suffixes()))


@lru_cache(maxsize=1)
def _boundaries() -> tuple[str, ...]:
    return tuple(sorted(word_list("events.name_boundaries"), key=len, reverse=True))


@lru_cache(maxsize=1)
def _generic_re() -> re.Pattern[str]:
    words = sorted(word_list("events.generic_modifiers"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def _modifier_start(text: str, lo: int, pos: int) -> int:
    """Where the modifier of a suffix at ``pos`` starts: after a stop or a boundary word."""
    i = pos
    boundaries = _boundaries()
    while i > lo and pos - i < MAX_MODIFIER:
        ch = text[i - 1]
        if ch in _CLOSE_QUOTES:  # a quotation is read whole: “清朗”行动
            opening = max(text.rfind(q, lo, i - 1) for q in _OPEN_QUOTES)
            if opening < 0 or pos - opening > MAX_MODIFIER:
                break
            i = opening
            continue
        if ch in _STOP or ch in _OPEN_QUOTES or any(text.endswith(w, lo, i) for w in boundaries):
            break
        i -= 1
    return i


def _joined_holders(text: str, m0: int, lo: int, mentions: Sequence[Mention]) -> int:
    """``m0`` moved over holders joined to the one it starts at (X、Y联席会议, X和Y…)."""
    holders = {m.start: m for m in mentions if m.type in ("ORG", "LOC")}
    ends = {m.end: m for m in holders.values()}
    while m0 in holders and m0 - 1 > lo and text[m0 - 1] in _JOINERS and m0 - 1 in ends:
        m0 = ends[m0 - 1].start
    return m0


def _names_something(text: str, modifier: tuple[int, int], suffix: NameSuffix,
                     mentions: Sequence[Mention]) -> bool:
    """True when the modifier makes the span a name (not 这次活动, 召开会议)."""
    m0, m1 = modifier
    words = text[m0:m1]
    if suffix.bare and not words:
        return True
    if _ORDINAL.search(words) or _YEAR.search(words) or _QUOTED.search(words):
        return True
    if any(m0 <= m.start and m.end <= m1 and m.type in ("ORG", "LOC") for m in mentions):
        return True
    return suffix.loose and 2 <= len(_generic_re().sub("", words)) <= MAX_LOOSE


def find_names(text: str, sent: tuple[int, int], mentions: Sequence[Mention]) -> list[EventName]:
    """The event names in sentence ``sent`` of ``text``, outermost, in order.

    >>> t = "第十五届全国运动会在广州开幕。"
    >>> [(n.text, n.start, n.end) for n in find_names(t, (0, len(t)), [])]
    [('第十五届全国运动会', 0, 9)]
    >>> [n.text for n in find_names("学校举办运动会，这次活动很成功。", (0, 16), [])]
    []
    """
    tails = word_list("events.name_tails")
    by_word = {s.word: s for s in _suffixes()}
    people = [m for m in mentions if m.type == "PER"]
    found: list[EventName] = []
    for hit in _suffix_re().finditer(text, sent[0], sent[1]):
        s0, s1 = hit.span()
        suffix = by_word[hit.group()]
        if (text.startswith(tails, s1) or any(m.start < s1 < m.end for m in mentions)
                or text.rfind("《", sent[0], s0) > text.rfind("》", sent[0], s0)):
            continue  # 全运会组委会, 论坛秘书处, 《…行动方案》: an organization or a document
        m0 = _modifier_start(text, sent[0], s0)
        m0 = max([m0] + [p.end for p in people if m0 < p.end <= s0])  # not 张三的 …
        inner = [m for m in mentions if m.start < m0 < m.end and m.type in ("ORG", "LOC")]
        if inner:  # a name the boundary cut: 中国发展论坛 keeps 中国发展
            m0 = min(m.start for m in inner)
        m0 = _joined_holders(text, m0, sent[0], mentions)
        if not _names_something(text, (m0, s0), suffix, mentions):
            continue
        found.append(EventName(m0, s1, text[m0:s1], suffix.type, s0))
    return [n for n in found  # 博鳌亚洲论坛2025年年会: the whole, not 博鳌亚洲论坛
            if not any(o is not n and o.start <= n.start and n.end <= o.end for o in found)]


def _organizers(text: str, sent: tuple[int, int], name: EventName,
                mentions: Sequence[Mention]) -> list[Mention]:
    """The subjects of 举办, 主办, 召开 … in the sentence: X举办, 由X、Y主办."""
    verbs = word_list("events.organizing_verbs")
    out: list[Mention] = []
    for verb in verbs:
        for hit in re.finditer(re.escape(verb), text[sent[0]:sent[1]]):
            v = sent[0] + hit.start()
            if name.start <= v < name.end:
                continue
            c0, _ = clause_span(text, sent, v)
            by = text.rfind("由", c0, v)
            c0 = by + 1 if by >= 0 else c0
            for m in mentions:
                if (c0 <= m.start and m.end <= v and m.type in ("ORG", "LOC")
                        and text[m.start - 1:m.start] not in ("在", "于")
                        and not (name.start <= m.start and m.end <= name.end)
                        and m not in out):
                    out.append(m)
    return sorted(out, key=lambda m: m.start)


def _places(text: str, sent: tuple[int, int], name: EventName,
            mentions: Sequence[Mention]) -> list[Mention]:
    """The places after 在/于 in the name's clause (在广州, 在浙江杭州)."""
    c0, c1 = clause_span(text, sent, name.start)
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.type == "LOC" and c0 <= m.start and m.end <= c1 and (
                text[m.start - 1:m.start] in ("在", "于")
                or any(p.end == m.start for p in out)):
            out.append(m)
    return out


def _date(article: Article, sent: tuple[int, int], name: EventName) -> tuple[str, str | None]:
    """The sentence's date nearest the name (before it first), else the name's year."""
    base = article.date or article.published
    text = article.text
    dates = [d for d in find_dates(text[sent[0]:sent[1]], base)
             if not text.startswith("摄", sent[0] + d.end)
             and not (name.start <= sent[0] + d.start < name.end)]
    if dates:
        before = [d for d in dates if sent[0] + d.end <= name.start]
        chosen = before[-1] if before else dates[0]
        return chosen.text, chosen.value
    year = _YEAR.search(name.text)
    if year and year.group()[:1].isdigit():
        return year.group(), year.group()
    return "", None


def named_events(article: Article, sent: tuple[int, int],
                 mentions: Sequence[Mention]) -> list[Event]:
    """The named events of one sentence, with organizers, place and date.

    >>> from kg.model import Article
    >>> t = "11月9日，第十五届全国运动会在广州开幕。"
    >>> ms = [Mention(16, 18, "广州", "LOC")]
    >>> [(e.name, e.type, e.date, [(r, m.text) for r, m in e.arguments])
    ...  for e in named_events(Article("a", t, date="2025-11-10"), (0, len(t)), ms)]
    [('第十五届全国运动会', 'competition', '2025-11-09', [('place', '广州')])]
    """
    text = article.text
    out = []
    for name in find_names(text, sent, mentions):
        args = [("organizer", m) for m in _organizers(text, sent, name, mentions)]
        args += [("place", m) for m in _places(text, sent, name, mentions)]
        date_text, date = _date(article, sent, name)
        out.append(Event(article.id, sent[0], sent[1], text[sent[0]:sent[1]],
                         text[name.suffix_start:name.end], name.suffix_start, name.end,
                         name.type, date=date, date_text=date_text, arguments=tuple(args),
                         rule="name:" + text[name.suffix_start:name.end], score=0.8,
                         name=name.text, name_start=name.start, summary=name.text))
    return out


@lru_cache(maxsize=1)
def _anaphor_re() -> re.Pattern[str]:
    """A sentence that opens on a named event already reported: 本届全运会由…, 论坛由…"""
    anaphors = "|".join(map(re.escape, word_list("events.anaphors")))
    return re.compile(rf"(?:{anaphors})?(?P<suffix>{_suffix_re().pattern})(?:将|还|也)?由")


def told_organizers(found: Sequence[Event], text: str, sent: tuple[int, int],
                    mentions: Sequence[Mention]) -> list[Event]:
    """``found`` with the organizers of a sentence about the last named event of its type.

    >>> t = "第二届龙舟赛开幕。大赛由顺德区政府主办。"
    >>> race = Event("a", 0, 9, t[:9], "赛", 5, 6, "competition", name="第二届龙舟赛", name_start=0)
    >>> gov = Mention(12, 17, "顺德区政府", "ORG")
    >>> [(r, m.text) for r, m in told_organizers([race], t, (9, 21), [gov])[0].arguments]
    [('organizer', '顺德区政府')]
    """
    hit = _anaphor_re().match(text, sent[0], sent[1])
    if hit is None:
        return list(found)
    kind = next(s.type for s in _suffixes() if s.word == hit.group("suffix"))
    earlier = [i for i, e in enumerate(found) if e.name and e.type == kind and e.end <= sent[0]]
    if not earlier:
        return list(found)
    i = earlier[-1]
    ev = found[i]
    told = EventName(hit.start(), hit.end() - 1, hit.group()[:-1], kind, hit.start("suffix"))
    have = {(m.start, m.end) for _, m in ev.arguments}
    new = [("organizer", m) for m in _organizers(text, sent, told, mentions)
           if (m.start, m.end) not in have]
    out = list(found)
    out[i] = replace(ev, arguments=ev.arguments + tuple(new))
    return out


def _holds(trigger: Event, named: Event, text: str) -> bool:
    """True when ``trigger``'s word opens the clause part that names ``named``
    (召开第二十二次联席会议, 举办第十五届全运会, 出席2024中关村论坛)."""
    if not (trigger.start == named.start and trigger.trigger_end <= named.name_start):
        return False
    gap = text[trigger.trigger_end:named.name_start]
    return len(gap) <= MAX_MODIFIER and not any(ch in CLAUSE_END for ch in gap)


def hold(found: Sequence[Event], named: Sequence[Event], text: str) -> list[Event]:
    """Trigger events and named events of one sentence, a held name merged into its holder.

    The holder keeps its trigger (and so its IRI) and takes the name, the
    named event's type and its organizers, place and date where it has none;
    a participant that organizes is an organizer, and an object inside the
    name is the name itself.

    >>> t = "省政府召开第二十二次联席会议。"
    >>> org = Mention(0, 3, "省政府", "ORG")
    >>> meet = Event("a", 0, 15, t, "召开", 3, 5, "meeting", arguments=(("participant", org),))
    >>> named = named_events(Article("a", t), (0, 15), [org])
    >>> [(e.trigger, e.name, [(r, m.text) for r, m in e.arguments]) for e in hold([meet], named, t)]
    [('召开', '第二十二次联席会议', [('organizer', '省政府')])]
    """
    spans = [(n.name_start, n.trigger_end) for n in named]
    out = [replace(e, arguments=tuple((r, m) for r, m in e.arguments  # not 第十五届全国运动
                                      if not any(a <= m.start and m.end <= b for a, b in spans)))
           for e in found]
    for n in named:
        holders = [i for i, e in enumerate(out) if not e.name and _holds(e, n, text)]
        if not holders:
            out.append(n)
            continue
        i = max(holders, key=lambda i: out[i].trigger_end)
        out[i] = _merged(out[i], n)
    return sorted(out, key=lambda e: e.trigger_start)


def _merged(holder: Event, named: Event) -> Event:
    organizers = {(m.start, m.end) for role, m in named.arguments if role == "organizer"}
    args: list[tuple[str, Mention]] = []
    for role, m in holder.arguments:
        if named.name_start <= m.start and m.end <= named.trigger_end:
            continue  # 举办第十五届全运会: the object is the event itself
        if (m.start, m.end) in organizers:
            continue
        args.append((role, m))
    places = any(role == "place" for role, _ in args)
    args += [(r, m) for r, m in named.arguments
             if r == "organizer" or (r == "place" and not places)]
    dated = holder.date is not None or not named.date
    return replace(holder, type=named.type, name=named.name, name_start=named.name_start,
                   arguments=tuple(sorted(args, key=lambda a: a[1].start)),
                   date=holder.date if dated else named.date,
                   date_text=holder.date_text if dated else named.date_text,
                   rule=f"{holder.rule}+{named.rule}")
