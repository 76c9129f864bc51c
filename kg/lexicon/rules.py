"""The rule lexicons shipped in ``kg/resources/lexicon``, compiled once.

Titles (国家主席, 工会主席), organization suffixes (有限公司, 总工会) and
surnames; the relation extractors and the event linker read them from here.

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

__all__ = ["NameRules", "name_rules", "org_suffix_regex",
           "self_titles", "surnames", "title_regex"]


def _alternation(words: set[str] | frozenset[str] | list[str]) -> re.Pattern[str]:
    """A regex matching any of ``words``, the longest first."""
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))


@dataclass(frozen=True)
class NameRules:
    """The compiled titles lexicon."""

    title_re: re.Pattern[str]  # any title, longest first
    titles: dict[str, bool]  # title → True when it is a foreign title (总统, 首相)


@lru_cache(maxsize=1)
def name_rules() -> NameRules:
    """The titles, compiled once."""
    titles: dict[str, bool] = {}
    for line in lexicon_lines("titles.txt"):
        word, *flags = line.split()
        titles[word] = "foreign" in flags
    return NameRules(_alternation(list(titles)), titles)


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
def org_suffix_regex() -> re.Pattern[str]:
    """Any organization suffix of the lexicon (公司, 总工会, 联合会 …), longest first."""
    return _alternation(lexicon_lines("org_suffixes.txt"))


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Chinese surnames, one or two characters."""
    return frozenset(lexicon_lines("surnames.txt"))
