"""Organization names: found by suffix, trimmed, joined and filtered.

A run of words ending in an organization suffix (有限公司, 总工会, 联合会…)
that starts at a place or overlaps an organization the model proposed is one
organization (国网苏州供电公司变电运维工区); a kind of organization
(钢铁厂, 华东电力系统) is none.

>>> anchors = [Mention(0, 2, "国网", "ORG")]
>>> [m.text for m in suffix_organizations("国网苏州供电公司变电运维工区副主任周立明", anchors)]
['国网苏州供电公司变电运维工区']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from kg.lexicon.files import char_set, word_list
from kg.lexicon.gazetteer import gazetteer
from kg.lexicon.rules import breakers, name_rules, org_suffix_regex, org_suffixes, title_regex
from kg.model import Mention
from kg.registry import recognizer_step
from kg.text.chars import CJK
from kg.text.segment import tokens

__all__ = ["drop_generic", "is_noun", "stop_chars", "suffix_organizations", "trim_organizations"]

def stop_chars() -> frozenset[str]:
    """Characters never inside an organization name but often just before one (的, 在, 和)."""
    return char_set("organizations.stop_chars")


def _innerstop_chars() -> frozenset[str]:
    """Stop characters that cut a proposed organization (not 和: 人力资源和社会保障厅)."""
    return char_set("organizations.inner_stop_chars")


def _collective() -> tuple[str, ...]:
    """Endings of a sector or a group of organizations (华东电力系统, 中小学)."""
    return word_list("organizations.collective_endings")


_MAX_ORG = 24  # longer runs are sentences, not names
_MAX_UNIT = 10  # a unit attached to an organization: 变电运维工区, 轧钢厂
_MAX_HEAD = 3  # an unknown brand before a proposed organization: 中车, 国网


def suffix_organizations(text: str, anchors: Sequence[Mention]) -> list[Mention]:
    """Organizations ending in a known suffix, anchored at a place or an ORG.

    ``anchors`` are base mentions: a candidate is kept only when it starts
    with a LOC/ORG anchor or overlaps an ORG anchor, so generic phrases
    (两大联盟) stay out.

    >>> loc = Mention(0, 2, "国网", "ORG")
    >>> [m.text for m in suffix_organizations("国网苏州供电公司变电运维工区副主任周立明", [loc])]
    ['国网苏州供电公司变电运维工区']
    """
    org_re = name_rules().org_re
    titles_re = name_rules().title_re
    found: list[Mention] = []
    pos = 0
    while pos < len(text):
        match = org_re.search(text, pos)
        if not match:
            break
        start, end = match.start(), match.end()
        # extend to further suffixes directly attached (公司 + 变电运维工区)
        while ((nxt := _unit_regex().match(text, end)) and not titles_re.match(text, end)
               and nxt.end() - end <= _MAX_UNIT
               and not any(ch in stop_chars() for ch in nxt.group())
               and not breakers().search(nxt.group())):
            end = nxt.end()
        end = _before_title(text, start, end)
        # the left edge: after the last stop character or verb of the run
        run = text[start:end]
        verbs = max((v.end() for v in breakers().finditer(run)), default=0)
        # 和 joins two names (中国和法国外交部); inside a department's name
        # (人力资源和社会保障厅) it is found by joined_departments
        cut = max((i + 1 for i in _lone_chars(run) if run[i] in stop_chars()), default=0)
        begin = _anchored_start(start + max(cut, verbs), end, anchors, text)
        start = begin
        if (start is not None and 3 <= end - start <= _MAX_ORG
                and not text.endswith(_collective(), start, end)):
            found.append(_without_title(Mention(start, end, text[start:end], "ORG", score=0.8,
                                                recognizer="rule:suffix")))
        pos = end
    return found


@lru_cache(maxsize=1)
def _unit_regex() -> re.Pattern[str]:
    """A unit directly attached to an organization (员会 of 委员会, 变电运维工区)."""
    return re.compile(f"[{CJK}A-Za-z0-9]*?(?:{org_suffix_regex().pattern})")


def _before_title(text: str, start: int, end: int) -> int:
    """Where an organization ends when its last word begins a title.

    中国钢铁工业协会党委书记: the title is 党委书记, so the organization is
    中国钢铁工业协会, as long as what is left still ends in a suffix.
    """
    title_re = title_regex()
    for p in range(max(start + 2, end - 3), end):
        title = title_re.match(text, p)
        if title and title.end() > end and org_suffix_regex().search(text, start, p):
            head = text[start:p]
            if any(head.endswith(s.group()) for s in org_suffix_regex().finditer(head)):
                return p
    return end


def _lone_chars(run: str) -> list[int]:
    """Offsets of the characters jieba reads as words of their own in ``run``.

    A stop character ends a name only as a word (的, 和, 等 of A、B等); inside
    a word it is part of the name (高等 of 山东电力高等专科学校, 同济, 对外).

    >>> [i for i in _lone_chars("山东电力高等专科学校")], _lone_chars("工会的")[-1]
    ([], 2)
    """
    if not any(ch in stop_chars() for ch in run):
        return []
    out, pos = [], 0
    for t in tokens(run):
        if len(t.word) == 1:
            out.append(pos)
        pos += len(t.word)
    return out


def _anchored_start(start: int, end: int, anchors: Iterable[Mention], text: str) -> int | None:
    """Where an organization ending at ``end`` begins, or ``None`` if unanchored.

    It begins at ``start`` when a place or organization opens it there, or
    when it opens with a bare level (市总工会, resolved by the article's
    place); otherwise at the organization it overlaps (依托西南交通大学 →
    西南交通大学).
    """
    if text[start] in "市省区县" and end - start >= 4:
        return start
    overlapping = None
    for m in anchors:
        if m.start == start and m.type in ("LOC", "ORG") and m.end < end:
            return start
        if m.type == "ORG" and m.start < end and start < m.end:
            overlapping = m.start if overlapping is None else min(overlapping, m.start)
    if overlapping is None:
        return None
    # a short unknown head before a proposed organization is part of its name
    # (中车 + 株洲电力机车有限公司); verbs were cut off before we got here
    if overlapping <= start:
        return start  # a tail of the proposed organization (…协会|党委): judged on its own
    head = text[start:overlapping]
    if len(head) <= _MAX_HEAD and is_noun(head):
        return start
    # a head that opens with a place names where it is (山东电力高等专科学校…)
    return start if gazetteer().prefix(head) else overlapping


def is_noun(words: str, *, verbal: bool = False) -> bool:
    """True when jieba reads ``words`` as nouns only (中车, 国网; not 调至, 依托).

    ``verbal`` also admits verbs used as nouns (国家发展, still not 坚持).
    """
    return all(t.pos[:1] in ("n", "j") or (verbal and t.pos == "vn") for t in tokens(words))


def trim_organizations(mentions: Sequence[Mention]) -> list[Mention]:
    """Cut a proposed organization at a function word or verb inside it.

    The model sometimes runs a name into the clause (江苏省总工会以劳模工作室联盟);
    what ends in an organization suffix before the break is kept.

    >>> run_on = Mention(0, 14, "江苏省总工会以劳模工作室联盟", "ORG")
    >>> [m.text for m in trim_organizations([run_on])]
    ['江苏省总工会']
    """
    out = []
    for m in map(_without_title, mentions):
        if m.type != "ORG":
            out.append(m)
            continue
        # a stop character breaks a name only as a word of its own (华为公司 stays)
        breaks = [i for i in _lone_chars(m.text) if m.text[i] in _innerstop_chars()]
        breaks += [b.start() for b in breakers().finditer(m.text)]
        if not breaks:
            out.append(m)
            continue
        head = m.text[:min(breaks)]
        ends = [s.end() for s in org_suffix_regex().finditer(head)]
        if ends and ends[-1] == len(head) and len(head) >= 3:
            out.append(replace(m, end=m.start + len(head), text=head))
    return out


def _without_title(m: Mention) -> Mention:
    """An organization without the title it ran on into (中共中央政治局常委 → 中共中央政治局).

    >>> _without_title(Mention(0, 9, "中共中央政治局常委", "ORG")).text
    '中共中央政治局'
    """
    if m.type != "ORG":
        return m
    title_re = title_regex()
    for p in range(2, len(m.text) - 1):
        title = title_re.match(m.text, p)
        members = word_list("organizations.members")  # 常委: cut only at the very end
        if (title and title.end() == len(m.text)) or m.text[p:] in members:
            head = m.text[:p]
            if any(s.end() == p for s in org_suffix_regex().finditer(head)):
                return replace(m, end=m.start + p, text=head)
    return m


def drop_generic(mentions: Sequence[Mention]) -> list[Mention]:
    """Drop organizations that are only a kind or a group of organizations.

    A bare suffix (联盟, 工会) or suffixes alone (公司工会: "the company's
    union"), a sector or a group (华东电力系统, 汽车产业链) and a facility the
    dictionary knows as a common noun (钢铁厂, 出版社: "the steel mill") name
    no particular body; 华为公司, 新华社 and 教育部 are names, so they stay.

    >>> ms = [Mention(0, 2, "联盟", "ORG"), Mention(3, 7, "四川大学", "ORG"),
    ...       Mention(8, 11, "钢铁厂", "ORG"), Mention(12, 18, "华东电力系统", "ORG")]
    >>> [m.text for m in drop_generic(ms)]
    ['四川大学']

    The places a dropped name opens with are still places:

    >>> [(m.text, m.type) for m in drop_generic([Mention(0, 6, "河北电力系统", "ORG")])]
    [('河北', 'LOC')]
    """
    out: list[Mention] = []
    for m in mentions:
        if m.type != "ORG" or not _is_kind(m.text):
            out.append(m)
            continue
        out += [Mention(m.start + s, m.start + e, m.text[s:e], "LOC", p.level, m.score,
                        m.recognizer, m.article_id) for s, e, p in gazetteer().prefix(m.text)]
    return out


def _is_kind(name: str) -> bool:
    if len(name) <= 2 or name in org_suffixes() or name.endswith(_collective()):
        return True
    # only kinds one after another: 公司工会 is "the company's union"
    kinds = org_suffix_regex().match(name)
    if kinds and kinds.end() < len(name) and name[kinds.end():] in org_suffixes():
        return True
    # a facility the dictionary knows as a common noun exists in many copies
    # (钢铁厂, 出版社); a body of that form can be unique (教育部, 公安部)
    words = tokens(name)
    facilities = word_list("organizations.facility_endings")
    return len(words) == 1 and words[0].pos == "n" and name.endswith(facilities)


# The organization steps. The base's organizations are trimmed first; the
# suffix rule is anchored at what the model proposed once trimmed (a clause it
# ran on into, 江苏省总工会以劳模工作室联盟形式, anchors no second organization).

@recognizer_step("trim-organizations", stage="refine")
def _trim_step(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    return trim_organizations(mentions)


recognizer_step("suffix-organizations", stage="propose")(suffix_organizations)


@recognizer_step("generic-organizations", stage="filter")
def _generic_step(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    return drop_generic(mentions)
