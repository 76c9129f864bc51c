"""People named next to a title: 国家主席习近平, 工会主席王立新, 普京总统表示.

A title directly before a name makes it a person, and the title is never
part of the name; a name the base recognizer proposed right before a foreign
title is a person too. Both are one recognizer step, ``titles``.

>>> [m.text for m in titles("国家主席习近平同俄罗斯总统普京通电话", [])]
['习近平', '普京']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from kg.lexicon.files import word_list
from kg.lexicon.gazetteer import gazetteer
from kg.lexicon.rules import name_rules, surnames
from kg.model import Mention
from kg.registry import recognizer_step
from kg.text.chars import is_cjk

__all__ = ["names_before_titles", "title_persons", "titles"]


def _ends_name(text: str, end: int, boundaries: frozenset[str]) -> bool:
    """True when a name may end at ``end``: punctuation, text end, or a boundary word."""
    if end >= len(text) or not is_cjk(text[end]):
        return True
    return any(text.startswith(b, end) for b in boundaries)


def _name_after(text: str, start: int, foreign: bool) -> tuple[int, int] | None:
    """The span of a person's name starting at ``start`` (after a title), if any."""
    boundaries = name_rules().boundaries
    while start < len(text) and text[start] == " ":
        start += 1
    if start >= len(text) or not is_cjk(text[start]):
        return None
    not_names = word_list("persons.not_names")  # 总统先生, 代表们
    if text.startswith(not_names, start) or _ends_name(text, start, boundaries):
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
    rules = name_rules()
    title_re, titles = rules.title_re, rules.titles
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
    rules = name_rules()
    title_re, titles, boundaries = rules.title_re, rules.titles, rules.boundaries
    by_end = {m.end: m for m in mentions if m.type != "ORG"}
    out = []
    for match in title_re.finditer(text):
        m = by_end.get(match.start())
        if (m is not None and titles[match.group()] and len(m.text) >= 2
                and _ends_name(text, match.end(), boundaries)
                and not gazetteer().candidates(m.text)):
            out.append(replace(m, type="PER", score=0.85, recognizer="rule:title-after"))
    return out


@recognizer_step("titles", stage="propose", before="suffix-organizations")
def titles(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Persons after a title, and proposed names before a foreign title."""
    return title_persons(text) + names_before_titles(text, mentions)
