"""The rule lexicons shipped in ``kg/resources/lexicon``, compiled once.

Titles (国家主席, 工会主席), the words that end a name, the verbs that end
an organization, organization suffixes (有限公司, 总工会) and surnames; the
recognizer's rule steps and the relation extractors read them from here.

>>> title_regex().match("党组书记、副主席").group()
'党组书记'
>>> name_rules().titles["总统"], name_rules().titles["党组书记"]
(True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from kg.lexicon.files import lexicon_lines
from kg.text.chars import CJK

__all__ = ["NameRules", "breakers", "name_rules", "org_suffix_regex", "org_suffixes",
           "self_titles", "surnames", "title_regex"]


def _alternation(words: set[str] | frozenset[str] | list[str]) -> re.Pattern[str]:
    """A regex matching any of ``words``, the longest first."""
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


@dataclass(frozen=True)
class NameRules:
    """The compiled lexicons the person and organization rules share."""

    title_re: re.Pattern[str]  # any title, longest first
    titles: dict[str, bool]  # title → True when it is a foreign title (总统, 首相)
    boundaries: frozenset[str]  # words that end a name (说, 表示)
    org_re: re.Pattern[str]  # a run of name characters ending in an organization suffix


@lru_cache(maxsize=1)
def name_rules() -> NameRules:
    """The titles, name boundaries and the organization-by-suffix pattern."""
    titles: dict[str, bool] = {}
    for line in lexicon_lines("titles.txt"):
        word, *flags = line.split()
        titles[word] = "foreign" in flags
    org_re = re.compile(f"[{CJK}A-Za-z0-9]+?(?:{org_suffix_regex().pattern})")
    return NameRules(_alternation(list(titles)), titles,
                     frozenset(lexicon_lines("boundaries.txt")), org_re)


def title_regex() -> re.Pattern[str]:
    """The compiled alternation of every title in the lexicon, longest first.

    >>> title_regex().match("党组书记、副主席").group()
    '党组书记'
    """
    return name_rules().title_re


@lru_cache(maxsize=1)
def self_titles() -> frozenset[str]:
    """Titles that name their own body (外交部长): flagged ``self`` in titles.txt."""
    lines = lexicon_lines("titles.txt")
    return frozenset(ln.split()[0] for ln in lines if "self" in ln.split()[1:])


@lru_cache(maxsize=1)
def breakers() -> re.Pattern[str]:
    """Verbs that end an organization name (``breakers.txt``) and boundary words.

    An organization found by its suffix never spans one (江西省总工会召开全省
    工会… is 江西省总工会; 西班牙首相桑切斯会见中国企业家代表团 ends at 会见).
    Event trigger words are breakers only where ``breakers.txt`` lists them.

    >>> breakers().search("上海合作组织秘书长") is None
    True
    """
    words = set(lexicon_lines("breakers.txt"))
    words |= {b for b in name_rules().boundaries if len(b) >= 2}
    return _alternation(words)


@lru_cache(maxsize=1)
def org_suffix_regex() -> re.Pattern[str]:
    """Any organization suffix of the lexicon (公司, 总工会, 联合会 …), longest first."""
    return _alternation(lexicon_lines("org_suffixes.txt"))


@lru_cache(maxsize=1)
def org_suffixes() -> frozenset[str]:
    """The organization suffixes as a set (联盟, 工会, 有限公司 …)."""
    return frozenset(lexicon_lines("org_suffixes.txt"))


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Chinese surnames, one or two characters."""
    return frozenset(lexicon_lines("surnames.txt"))
