"""Places of China and the world: names, levels and hierarchy.

The table ``resources/lexicon/gazetteer.tsv`` is distilled from jionlp's
maintained dictionaries by ``scripts/build_gazetteer.py`` (countries and
capitals; Chinese provinces, cities and counties with their short names).

>>> gz = gazetteer()
>>> p = gz.lookup("大连")
>>> p.name, p.level, [a.name for a in gz.ancestors(p)]
('大连市', 'city', ['辽宁省', '中国'])
>>> gz.lookup("京", abbreviation=True).name
'北京市'
"""

from __future__ import annotations

import collections
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from kg.lexicon.files import tsv_rows

LEVELS = ("country", "province", "city", "county", "capital")
_RANK = {level: i for i, level in enumerate(LEVELS)}


@dataclass(frozen=True, slots=True)
class Place:
    """One place of the table: full ``name``, ``level``, ``parent`` full name."""

    name: str
    level: str
    parent: str
    code: str = ""
    alias: str = ""


class Gazetteer:
    """Look places up by full name or short name, optionally in context."""

    def __init__(self, places: Iterable[Place], abbreviations: dict[str, str]) -> None:
        self.by_name: dict[str, list[Place]] = collections.defaultdict(list)
        self.by_alias: dict[str, list[Place]] = collections.defaultdict(list)
        for p in places:
            self.by_name[p.name].append(p)
            for alias in {p.alias, p.name.removesuffix("市") if p.level == "capital" else ""}:
                if alias and alias != p.name and len(alias) >= 2:
                    self.by_alias[alias].append(p)
        self.abbreviations = abbreviations

    def candidates(self, name: str) -> list[Place]:
        """Every place called ``name``, full names first."""
        return self.by_name.get(name, []) + self.by_alias.get(name, [])

    def lookup(self, name: str, context: Iterable[str] = (), *,
               abbreviation: bool = False) -> Place | None:
        """The place ``name`` means, or ``None`` when unknown or ambiguous.

        ``context`` holds canonical names of other places in the same text:
        a candidate whose ancestor is among them wins (朝阳区 beside 北京市).
        Otherwise the highest level wins if it is unique (吉林 → 吉林省).

        >>> gz = gazetteer()
        >>> gz.lookup("朝阳区") is None, gz.lookup("朝阳区", ["北京市"]).parent
        (True, '北京市')
        """
        if abbreviation and name in self.abbreviations:
            name = self.abbreviations[name]
        found = self.candidates(name)
        if not found:
            return None
        if len(found) == 1:
            return found[0]
        context = set(context)
        if context:
            near = [p for p in found if context & {a.name for a in self.ancestors(p)}]
            if len(near) == 1:
                return near[0]
        exact = self.by_name.get(name, [])
        pool = exact or found
        best = min(_RANK.get(p.level, 9) for p in pool)
        top = [p for p in pool if _RANK.get(p.level, 9) == best]
        return top[0] if len(top) == 1 else None

    def parent(self, place: Place) -> Place | None:
        """The containing place, if the table has it."""
        if not place.parent:
            return None
        parents = self.by_name.get(place.parent, [])
        return min(parents, key=lambda p: _RANK.get(p.level, 9)) if parents else None

    def ancestors(self, place: Place) -> list[Place]:
        """Containing places, innermost first."""
        out: list[Place] = []
        current = self.parent(place)
        while current is not None and current not in out:
            out.append(current)
            current = self.parent(current)
        return out

    def prefix(self, text: str) -> list[tuple[int, int, Place]]:
        """Places that open ``text`` one after another (浙江省温州市人社局).

        >>> [(s, e, p.name) for s, e, p in gazetteer().prefix("浙江省温州市人社局")]
        [(0, 3, '浙江省'), (3, 6, '温州市')]
        """
        out: list[tuple[int, int, Place]] = []
        pos = 0
        context: list[str] = []
        while pos < len(text):
            for end in range(min(len(text), pos + 12), pos + 1, -1):
                place = self.lookup(text[pos:end], context)
                if place is not None:
                    out.append((pos, end, place))
                    context.append(place.name)
                    pos = end
                    break
            else:
                break
        return out


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The packaged gazetteer, loaded once."""
    places, abbreviations = [], {}
    for row in tsv_rows("gazetteer.tsv"):
        name, level, parent, code, alias = (row + [""] * 5)[:5]
        if level == "abbreviation":
            abbreviations[name] = parent
        else:
            places.append(Place(name, level, parent, code, alias))
    return Gazetteer(places, abbreviations)
