"""Named SPARQL queries: ``kg/rdf/queries/*.rq``, each documented in its comment header.

A header is the leading ``#`` lines of the file: the description, then one
``# @param NAME: what it is (default: VALUE)`` line per parameter. Parameters
are bound as values (Oxigraph substitution), never pasted into the text; each
is projected by the SELECT, so every row shows what it was asked for.

``path`` is a named query too, answered in Python (shortest connection
between two entities over the entity network).

>>> q = named_queries()["people-of-organization"]
>>> [p.name for p in q.params]
['org']
>>> sorted(named_queries())[:3]
['about', 'co-mentions', 'events']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.errors import UsageError

__all__ = ["NamedQuery", "Param", "bind_params", "named_queries"]

QUERY_DIR = Path(__file__).resolve().parent / "queries"
_PARAM = re.compile(r"@param\s+(\w+)\s*:\s*(.*?)\s*(?:\(default:\s*(.*?)\))?\s*$")


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a named query."""

    name: str
    doc: str
    default: str | None = None


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """A query file: its name (the file stem), description, parameters and text."""

    name: str
    doc: str
    params: tuple[Param, ...]
    text: str  # empty for a query answered in Python

    def usage(self) -> str:
        """One block for ``kg query --list``."""
        lines = [f"{self.name}: {self.doc}"]
        for p in self.params:
            default = f" (default: {p.default})" if p.default is not None else ""
            lines.append(f"    --param {p.name}=…  {p.doc}{default}")
        return "\n".join(lines)


def parse_query(name: str, text: str) -> NamedQuery:
    """A named query from the text of its ``.rq`` file.

    >>> q = parse_query("x", "# Things.\\n# @param a: a name (default: 1)\\nSELECT ?a {}")
    >>> q.doc, q.params
    ('Things.', (Param(name='a', doc='a name', default='1'),))
    """
    doc, params = [], []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        m = _PARAM.match(body)
        if m:
            params.append(Param(m.group(1), m.group(2), m.group(3)))
        elif body:
            doc.append(body)
    return NamedQuery(name, " ".join(doc), tuple(params), text)


PATH_QUERY = NamedQuery(
    "path", "The shortest connection between two entities over the entity network "
    "(memberships, places, events), as steps (from, relation, to); answered in Python.",
    (Param("a", "the first entity's name, e.g. 习近平"), Param("b", "the second one's, e.g. 普京")),
    "")


@cache
def named_queries() -> dict[str, NamedQuery]:
    """Every named query by name: the ``.rq`` files and ``path``."""
    out = {p.stem: parse_query(p.stem, p.read_text(encoding="utf-8"))
           for p in sorted(QUERY_DIR.glob("*.rq"))}
    out["path"] = PATH_QUERY
    return dict(sorted(out.items()))


def get(name: str) -> NamedQuery:
    """The named query ``name``, or a UsageError that lists them."""
    queries = named_queries()
    if name not in queries:
        raise UsageError(f"no named query {name!r}; use one of {', '.join(queries)} "
                         "(kg query --list)")
    return queries[name]


def bind_params(query: NamedQuery, params: dict[str, object]) -> dict[str, object]:
    """``params`` checked against the query's and completed with defaults.

    >>> bind_params(named_queries()["events"], {"start": "2025-02-24"})
    {'start': '2025-02-24', 'end': '9999-12-31'}
    """
    known = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise UsageError(f"query {query.name!r} has no parameter {unknown[0]!r}; "
                         f"its parameters: {', '.join(known) or 'none'}")
    out = {}
    for p in query.params:
        if p.name in params:
            out[p.name] = params[p.name]
        elif p.default is not None:
            out[p.name] = p.default
        else:
            raise UsageError(f"query {query.name!r} needs --param {p.name}=… ({p.doc})")
    return out
