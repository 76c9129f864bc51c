"""The one loader of kg's resource files: word lists, tables and rule lists.

Every lexicon, table and schema shipped in ``kg/resources/`` is read through
these functions, once per process (cached), and never from the current
directory. Comments (``#``) and blank lines are skipped.

>>> "中心" in lexicon_lines("org_suffixes.txt")
True
>>> word_list("events.holidays")[:2]
('春节', '新年')
"""

from __future__ import annotations

import tomllib
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from kg.errors import KGError

__all__ = ["lexicon_lines", "resource_text", "tsv_rows", "word_list"]


@lru_cache(maxsize=64)
def resource_text(*parts: str) -> str:
    """The text of ``kg/resources/<parts…>`` (UTF-8)."""
    try:
        return resources.files("kg").joinpath("resources", *parts).read_text("utf-8")
    except FileNotFoundError:
        raise KGError(f"kg/resources/{'/'.join(parts)} is missing: reinstall kg") from None


def lexicon_lines(name: str, folder: str = "lexicon") -> list[str]:
    """The entries of ``kg/resources/<folder>/<name>``, stripped, without comments and blanks."""
    return [ln.strip() for ln in resource_text(folder, name).splitlines()
            if ln.strip() and not ln.startswith("#")]


def tsv_rows(name: str, folder: str = "lexicon") -> list[list[str]]:
    """The tab-separated rows of a table (comment and blank lines skipped).

    >>> tsv_rows("triggers.tsv", "schema")[0][:2]
    ['通电话', 'communication']
    """
    return [ln.split("\t") for ln in resource_text(folder, name).splitlines()
            if ln.strip() and not ln.startswith("#")]


@lru_cache(maxsize=1)
def _rules() -> dict[str, Any]:
    return tomllib.loads(resource_text("lexicon", "rules.toml"))


def _rule(key: str) -> Any:
    section, _, name = key.partition(".")
    try:
        return _rules()[section][name]
    except KeyError:
        raise KGError(f"kg/resources/lexicon/rules.toml has no list {key!r}") from None


@cache
def word_list(key: str) -> tuple[str, ...]:
    """A named word list of ``rules.toml`` (``section.name``), in file order."""
    return tuple(_rule(key))  # a list of words, or a string of characters
