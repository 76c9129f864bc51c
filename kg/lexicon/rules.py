"""The rule lexicons shipped in ``kg/resources/lexicon``, loaded once.

Titles (国家主席, 工会主席), the words that end a name, organization
suffixes (有限公司, 总工会) and surnames; :mod:`kg.recognize.steps`,
:mod:`kg.recognize.organizations` and :mod:`kg.extract.relations` read them from here.

>>> title_regex().match("党组书记、副主席").group()
'党组书记'
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
"""The CJK ideograph ranges, for character classes."""


def lexicon_lines(name: str) -> list[str]:
    """The entries of ``kg/resources/lexicon/<name>``, without comments and blanks."""
    text = resources.files("kg").joinpath("resources", "lexicon", name).read_text("utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def self_titles() -> frozenset[str]:
    """Titles that name their own body (外交部长): flagged ``self`` in titles.txt."""
    lines = lexicon_lines("titles.txt")
    return frozenset(ln.split()[0] for ln in lines if "self" in ln.split()[1:])


@lru_cache(maxsize=1)
def name_rules() -> tuple[re.Pattern[str], dict[str, bool], frozenset[str], re.Pattern[str]]:
    titles: dict[str, bool] = {}
    for line in lexicon_lines("titles.txt"):
        word, *flags = line.split()
        titles[word] = "foreign" in flags
    title_re = re.compile("|".join(sorted(map(re.escape, titles), key=len, reverse=True)))
    boundaries = frozenset(lexicon_lines("boundaries.txt"))
    org_re = re.compile(f"[{CJK}A-Za-z0-9]+?(?:{org_suffix_regex().pattern})")
    return title_re, titles, boundaries, org_re


def title_regex() -> re.Pattern[str]:
    """The compiled alternation of every title in the lexicon, longest first.

    >>> title_regex().match("党组书记、副主席").group()
    '党组书记'
    """
    return name_rules()[0]


@lru_cache(maxsize=1)
def breakers() -> re.Pattern[str]:
    """Verbs that end a name: event triggers and words that follow names.

    An organization found by its suffix never spans one (江西省总工会召开全省
    工会… is 江西省总工会; 西班牙首相桑切斯会见中国企业家代表团 ends at 会见).
    """
    raw = resources.files("kg").joinpath("resources", "schema", "triggers.tsv").read_text("utf-8")
    words = {ln.split("\t")[0] for ln in raw.splitlines() if ln and not ln.startswith("#")}
    words |= {b for b in name_rules()[2] if len(b) >= 2}
    words |= {"位于", "来自", "依托", "围绕", "推动", "开展", "成为", "担任", "前往", "参观"}
    return re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))



@lru_cache(maxsize=1)
def org_suffix_regex() -> re.Pattern[str]:
    """Any organization suffix of the lexicon (公司, 总工会, 联合会 …), longest first."""
    suffixes = sorted(lexicon_lines("org_suffixes.txt"), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, suffixes)))


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    """Chinese surnames, one or two characters."""
    return frozenset(lexicon_lines("surnames.txt"))


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph (the ranges of :data:`CJK`)."""
    return "\u3400" <= ch <= "\u9fff"


@lru_cache(maxsize=1)
def org_suffixes() -> frozenset[str]:
    """The organization suffixes as a set (联盟, 工会, 有限公司 …)."""
    return frozenset(lexicon_lines("org_suffixes.txt"))
