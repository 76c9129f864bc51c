"""Places: chains of known places, one-character abbreviations, crafts named for places.

Recognizer steps (filters, after the merge): ``split-places`` cuts a chain
of known places into each of them (福建省厦门市思明区), ``single-char-places``
keeps a one-character place only where it abbreviates a province (在京召开),
``numbered`` drops a person or place with a number after it (嫦娥六号 is a craft).

>>> [(m.text, m.subtype) for m in split_places([Mention(0, 6, "河南省洛阳市", "LOC")])]
[('河南省', 'province'), ('洛阳市', 'city')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from kg.lexicon.files import char_set, word_list
from kg.lexicon.gazetteer import gazetteer
from kg.model import Mention
from kg.registry import recognizer_step

__all__ = ["drop_numbered", "single_char_places", "split_places"]


def single_char_places(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """Keep a one-character place only where it abbreviates a province.

    在京召开 is Beijing; 在新的一年 is no place. A kept mention gets the
    subtype ``abbreviation`` so resolution expands it (京 → 北京市).

    >>> t = "两会今天在京召开，在新的一年里"
    >>> ms = [Mention(5, 6, "京", "LOC"), Mention(10, 11, "新", "LOC")]
    >>> [(m.text, m.subtype) for m in single_char_places(t, ms)]
    [('京', 'abbreviation')]
    """
    abbreviations = gazetteer().abbreviations
    before, after = char_set("places.abbreviation_before"), word_list("places.abbreviation_after")
    out = []
    for m in mentions:
        if m.type != "LOC" or len(m.text) != 1:
            out.append(m)
        elif (m.text in abbreviations and m.start > 0 and text[m.start - 1] in before
              and text.startswith(after, m.end)):
            out.append(replace(m, subtype="abbreviation"))
    return out


def split_places(mentions: Sequence[Mention]) -> list[Mention]:
    """A place written as a chain of known places is each of them.

    >>> ms = split_places([Mention(2, 11, "福建省厦门市思明区", "LOC")])
    >>> [(m.start, m.text) for m in ms]
    [(2, '福建省'), (5, '厦门市'), (8, '思明区')]
    """
    out: list[Mention] = []
    for m in mentions:
        parts = gazetteer().prefix(m.text) if m.type == "LOC" and len(m.text) >= 4 else []
        if len(parts) >= 2 and parts[-1][1] == len(m.text):
            out += [replace(m, start=m.start + s, end=m.start + e, text=m.text[s:e],
                            subtype=p.level) for s, e, p in parts]
        else:
            out.append(m)
    return out


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


def _split_places_step(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    return split_places(mentions)


# after the merge, in this order around the organization filter
recognizer_step("split-places", stage="filter", before="generic-organizations")(_split_places_step)
recognizer_step("single-char-places", stage="filter", after="split-places")(single_char_places)
recognizer_step("numbered", stage="filter", after="generic-organizations")(drop_numbered)
