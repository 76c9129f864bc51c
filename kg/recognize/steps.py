"""Typed mentions (PER, ORG, LOC) with exact offsets.

A statistical base recognizer proposes mentions; rules that are right where
statistics are weak correct them:

* a title directly before a name makes it a person (国家主席习近平,
  俄罗斯总统普京, 工会主席王立新), and the title is never part of the name;
* organizations found by suffix, joined departments and generic kinds are
  the business of :mod:`kg.recognize.organizations`;
* a chain of known places is each of them (福建省厦门市思明区), and a
  one-character place stands only where it abbreviates a province (在京召开).

The base is the trained model in ``kg.recognize.ner.model`` when the package has it,
otherwise jieba's POS tags (nr/ns/nt), behind :mod:`kg.text.segment`.

>>> [(m.text, m.type) for m in recognize("国家主席习近平同俄罗斯总统普京通电话")]
[('习近平', 'PER'), ('俄罗斯', 'LOC'), ('普京', 'PER')]
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import resources

from kg.lexicon.rules import (
    is_cjk,
    name_rules,
    org_suffix_regex,
    self_titles,
    surnames,
    title_regex,
)
from kg.model import Mention
from kg.recognize.organizations import (
    drop_generic,
    joined_departments,
    suffix_organizations,
    trim_organizations,
)

__all__ = ["base_mentions", "merge", "org_suffix_regex", "recognize", "recognize_many",
           "self_titles", "title_persons", "title_regex"]

_POS_TYPE = {"nr": "PER", "nrfg": "PER", "nrt": "PER", "ns": "LOC", "nt": "ORG"}
# Words after a title that address or group people instead of naming one.
_NOT_NAMES = ("先生", "女士", "阁下", "同志", "们", "一行", "等")


def _ends_name(text: str, end: int, boundaries: frozenset[str]) -> bool:
    """True when a name may end at ``end``: punctuation, text end, or a boundary word."""
    if end >= len(text) or not is_cjk(text[end]):
        return True
    return any(text.startswith(b, end) for b in boundaries)


def _name_after(text: str, start: int, foreign: bool) -> tuple[int, int] | None:
    """The span of a person's name starting at ``start`` (after a title), if any."""
    _, _, boundaries, _ = name_rules()
    while start < len(text) and text[start] == " ":
        start += 1
    if start >= len(text) or not is_cjk(text[start]):
        return None
    if text.startswith(_NOT_NAMES, start) or _ends_name(text, start, boundaries):
        return None  # 总统先生; 普京总统表示 (a verb, not a name, after the title)
    if text[start] in surnames():
        for length in (2, 3):
            end = start + length
            if (end <= len(text) and all(map(is_cjk, text[start:end]))
                    and _ends_name(text, end, boundaries)):
                return start, end
    if foreign:
        for length in (2, 3, 4, 5, 6):
            end = start + length
            if (end <= len(text) and all(map(is_cjk, text[start:end]))
                    and _ends_name(text, end, boundaries)):
                return start, end
    return None


def title_persons(text: str) -> list[Mention]:
    """Persons named right after a title; the title is not part of the name.

    >>> [m.text for m in title_persons("湖北省总工会党组书记、副主席李文军表示")]
    ['李文军']
    >>> [m.text for m in title_persons("国网苏州供电公司变电运维工区副主任周立明说。")]
    ['周立明']
    """
    title_re, titles, _, _ = name_rules()
    found = []
    for match in title_re.finditer(text):
        span = _name_after(text, match.end(), titles[match.group()])
        if span:
            s, e = span
            found.append(Mention(s, e, text[s:e], "PER", score=0.9, recognizer="rule:title"))
    return found


def names_before_titles(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """A name written before a foreign title is a person (普京总统表示).

    Only a proposed mention that is not a known place qualifies, and only
    when the title ends the phrase (a verb or punctuation follows it).

    >>> t = "普京总统表示，俄方重视对华关系"
    >>> [(m.text, m.type) for m in names_before_titles(t, [Mention(0, 2, "普京", "LOC")])]
    [('普京', 'PER')]
    """
    from kg.lexicon.gazetteer import gazetteer

    title_re, titles, boundaries, _ = name_rules()
    by_end = {m.end: m for m in mentions if m.type != "ORG"}
    out = []
    for match in title_re.finditer(text):
        m = by_end.get(match.start())
        if (m is not None and titles[match.group()] and len(m.text) >= 2
                and _ends_name(text, match.end(), boundaries)
                and not gazetteer().candidates(m.text)):
            out.append(replace(m, type="PER", score=0.85, recognizer="rule:title-after"))
    return out


def _jieba_mentions(text: str) -> list[Mention]:
    from kg.text.segment import tokens  # the fallback base only

    out = []
    for t in tokens(text):
        kind = _POS_TYPE.get(t.pos)
        if kind and (len(t.word) >= 2 or kind == "LOC") and all(map(is_cjk, t.word)):
            out.append(Mention(t.start, t.end, t.word, kind, score=0.5, recognizer="jieba"))
    return out


@lru_cache(maxsize=1)
def _model():
    """The trained model when the package ships one, else ``None``.

    ``KG_BASE_RECOGNIZER=jieba`` in the environment forces the jieba base
    (to compare the two, as ``benchmarks/bench_extract.py --jieba-base`` does).
    """
    if os.environ.get("KG_BASE_RECOGNIZER") == "jieba":
        return None
    if not resources.files("kg").joinpath("resources", "ner", "ner.npz").is_file():
        return None  # a checkout without the trained model: jieba POS as the base
    from kg.recognize.ner import model as ner

    return ner.load_model()


def base_mentions(texts: Sequence[str]) -> list[list[Mention]]:
    """The statistical recognizer's mentions for each text."""
    model = _model()
    if model is not None:
        return model.predict(texts)
    return [_jieba_mentions(t) for t in texts]


_ABBR_BEFORE = set("在赴抵离来返回进驻")
_ABBR_AFTER = ("召开", "举行", "举办", "出席", "会见", "会谈", "参加", "调研", "考察", "工作",
               "访问", "期间", "开幕", "闭幕", "签署", "签订", "发布", "会晤", "成立", "，", "。",
               "、")


def single_char_places(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Keep a one-character place only where it abbreviates a province.

    在京召开 is Beijing; 在新的一年 is no place. A kept mention gets the
    subtype ``abbreviation`` so resolution expands it (京 → 北京市).

    >>> t = "两会今天在京召开，在新的一年里"
    >>> ms = [Mention(5, 6, "京", "LOC"), Mention(10, 11, "新", "LOC")]
    >>> [(m.text, m.subtype) for m in single_char_places(t, ms)]
    [('京', 'abbreviation')]
    """
    from kg.lexicon.gazetteer import gazetteer

    abbreviations = gazetteer().abbreviations
    out = []
    for m in mentions:
        if m.type != "LOC" or len(m.text) != 1:
            out.append(m)
        elif (m.text in abbreviations and m.start > 0 and text[m.start - 1] in _ABBR_BEFORE
              and text.startswith(_ABBR_AFTER, m.end)):
            out.append(replace(m, subtype="abbreviation"))
    return out


def split_places(mentions: Sequence[Mention]) -> list[Mention]:
    """A place written as a chain of known places is each of them.

    >>> ms = split_places([Mention(2, 11, "福建省厦门市思明区", "LOC")])
    >>> [(m.start, m.text) for m in ms]
    [(2, '福建省'), (5, '厦门市'), (8, '思明区')]
    """
    from kg.lexicon.gazetteer import gazetteer

    out: list[Mention] = []
    for m in mentions:
        parts = gazetteer().prefix(m.text) if m.type == "LOC" and len(m.text) >= 4 else []
        if len(parts) >= 2 and parts[-1][1] == len(m.text):
            out += [replace(m, start=m.start + s, end=m.start + e, text=m.text[s:e],
                            subtype=p.level) for s, e, p in parts]
        else:
            out.append(m)
    return out


def merge(base: Sequence[Mention], rules: Sequence[Mention]) -> list[Mention]:
    """Flat, sorted mentions: rule mentions win over the base ones they overlap.

    >>> a = Mention(0, 4, "总统普京", "LOC")
    >>> b = Mention(2, 4, "普京", "PER")
    >>> [m.text for m in merge([a], [b])]
    ['普京']
    """
    chosen: list[Mention] = []
    taken = bytearray(max((m.end for m in (*base, *rules)), default=0))  # linear, not pairwise
    ordered = sorted(rules, key=lambda m: (m.start, -(m.end - m.start)))
    for m in (*ordered, *base):
        if not any(taken[m.start:m.end]):
            taken[m.start:m.end] = b"\x01" * (m.end - m.start)
            chosen.append(m)
    return sorted(chosen, key=lambda m: (m.start, m.end))


_NUMBERED = re.compile(r"[0-9０-９一二三四五六七八九十百]+号")


def drop_numbered(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """A person or place with a number after it names a craft (嫦娥六号, 神舟十九号).

    >>> t = "嫦娥六号任务圆满成功，嫦娥奔月的传说"
    >>> ms = [Mention(0, 2, "嫦娥", "PER"), Mention(11, 13, "嫦娥", "PER")]
    >>> [m.start for m in drop_numbered(t, ms)]
    [11]
    """
    return [m for m in mentions
            if not (m.type in ("PER", "LOC") and _NUMBERED.match(text, m.end))]


def recognize_many(texts: Sequence[str]) -> list[list[Mention]]:
    """Recognize mentions in many texts at once (batched for the model)."""
    out = []
    for text, base in zip(texts, base_mentions(texts), strict=True):
        rules = title_persons(text)
        rules += names_before_titles(text, base)
        trimmed = trim_organizations(base)
        # anchored at what the model proposed once trimmed: a clause it ran on
        # into (江苏省总工会以劳模工作室联盟形式) anchors no second organization
        rules += suffix_organizations(text, trimmed)
        rules += joined_departments(text)
        found = split_places(merge(trimmed, rules))
        out.append(drop_numbered(text, drop_generic(single_char_places(text, found))))
    return out


def recognize(text: str) -> list[Mention]:
    """Mentions of people (PER), organizations (ORG) and places (LOC) in ``text``.

    >>> [(m.start, m.end, m.text, m.type) for m in recognize("本报记者 陈刚")]
    [(5, 7, '陈刚', 'PER')]
    """
    return recognize_many([text])[0]
