"""RDF terms between rdflib and Oxigraph, RDF syntax names, and fast N-Triples.

:class:`kg.rdf.store.Store` speaks rdflib at its surface and Oxigraph inside;
these are the conversions at that edge, shared with the query API.

>>> from rdflib import Literal
>>> to_ox(Literal("北京", lang="zh"))
<Literal value=北京 language=zh>
>>> from_ox(to_ox(Literal("北京", lang="zh"))) == Literal("北京", lang="zh")
True
>>> rdf_format(None, "graph.ttl").name
'Turtle'
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import GraphError, UsageError
from kg.text.chars import is_cjk

__all__ = ["ESCAPES", "FORMATS", "Converter", "check_iri", "from_ox", "nt_term", "ntriples",
           "plain_term", "rdf_format", "to_ox", "to_term"]

FORMATS: dict[str, ox.RdfFormat] = {
    "ttl": ox.RdfFormat.TURTLE, "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES, "ntriples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS, "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD, "json-ld": ox.RdfFormat.JSON_LD, "json": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML, "xml": ox.RdfFormat.RDF_XML, "owl": ox.RdfFormat.RDF_XML,
    "n3": ox.RdfFormat.N3,
}
"""Format names and file extensions → Oxigraph syntaxes."""

_XSD_STRING = str(XSD.string)
DEFAULT_GRAPH = ox.DefaultGraph()
"""Oxigraph's default graph (where an rdflib ``Graph`` keeps its triples)."""


def rdf_format(name: str | None, path: str | os.PathLike[str] | None = None) -> ox.RdfFormat:
    """The syntax named ``name``, or guessed from the extension of ``path``.

    >>> rdf_format("nt").name, rdf_format(None, "out/graph.trig").name
    ('N-Triples', 'TriG')
    """
    key = name or (Path(path).suffix.lstrip(".") if path is not None else "")
    fmt = FORMATS.get(key.lower())
    if fmt is None:
        known = ", ".join(sorted({k for k in FORMATS if len(k) <= 6}))
        what = f"format {name!r}" if name else f"the extension of {os.fspath(path or '')!r}"
        raise UsageError(f"unknown RDF {what}; use one of {known}")
    return fmt


# -------------------------------------------------------------- terms


def to_ox(term: Node | Graph | None) -> Any:
    """An rdflib term as the equal Oxigraph term.

    >>> to_ox(Literal("北京", lang="zh"))
    <Literal value=北京 language=zh>
    """
    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(term)
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(term, language=term.language)
        if term.datatype is not None:
            return ox.Literal(term, datatype=ox.NamedNode(term.datatype))
        return ox.Literal(term)
    if isinstance(term, BNode):
        return ox.BlankNode(term)
    if isinstance(term, Graph):
        return to_ox(term.identifier)
    raise GraphError(f"not an RDF term: {term!r}")


def from_ox(term: Any) -> Node | None:
    """An Oxigraph term as the equal rdflib term (``xsd:string`` as a plain literal).

    >>> from_ox(ox.Literal("3", datatype=ox.NamedNode(str(XSD.integer)))).toPython()
    3
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _XSD_STRING else Literal(
            term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return None
    raise GraphError(f"unsupported Oxigraph term: {term!r}")


def plain_term(term: Any) -> Any:
    """``term``, with an ``xsd:string`` literal made a plain one (rdflib holds them unequal).

    >>> plain_term(Literal("x", datatype=XSD.string)) == Literal("x")
    True
    """
    if isinstance(term, Literal) and term.datatype == XSD.string and not term.language:
        return Literal(str(term))
    return term


def to_term(value: Any) -> Any:
    """A Python value as the RDF term a query variable is bound to.

    Strings with Chinese characters become ``@zh`` literals (every label in
    the graph is), strings starting with ``http(s)://`` or ``urn:`` become
    IRIs, other values typed literals; RDF terms are used as given.

    >>> to_term("普京").language, type(to_term("https://schema.org/Person")).__name__
    ('zh', 'URIRef')
    >>> to_term(3).toPython()
    3
    """
    if isinstance(value, (Node, ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, str) and value.startswith(("http://", "https://", "urn:")):
        return URIRef(check_iri(value))
    if isinstance(value, str) and any(map(is_cjk, value)):
        return Literal(value, lang="zh")
    return Literal(value)


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def check_iri(value: str) -> str:
    """``value`` if it can be an IRI, else a :class:`~kg.errors.UsageError` saying why.

    >>> check_iri("https://w3id.org/kg-cn/id/person/%E6%99%AE%E4%BA%AC")[-6:]
    '%BA%AC'
    >>> check_iri("http://x/> <y")
    Traceback (most recent call last):
    ...
    kg.errors.UsageError: 'http://x/> <y' is not a valid IRI (it holds '>'); percent-encode it
    """
    bad = _NOT_IN_IRI.search(value)
    if bad is not None:
        raise UsageError(f"{value!r} is not a valid IRI (it holds {bad.group()!r}); "
                         "percent-encode it")
    return value


class Converter:
    """rdflib → Oxigraph with a cache: IRIs repeat a lot in our graphs."""

    def __init__(self) -> None:
        self.cache: dict[Node, Any] = {}

    def term(self, t: Node) -> Any:
        got = self.cache.get(t)
        if got is None:
            got = to_ox(t)
            if len(self.cache) < 1_000_000:
                self.cache[t] = got
        return got

    def quads(self, triples: Iterable[Any], graph: Any) -> Iterator[ox.Quad]:
        term = self.term
        for t in triples:
            if isinstance(t, ox.Quad):
                yield t
            elif isinstance(t, ox.Triple):
                yield ox.Quad(t.subject, t.predicate, t.object, graph)
            elif len(t) == 4 and t[3] is not None:
                g = t[3]
                name = g.identifier if isinstance(g, Graph) else g
                yield ox.Quad(term(t[0]), term(t[1]), term(t[2]),
                              DEFAULT_GRAPH if name == DATASET_DEFAULT_GRAPH_ID else term(name))
            else:
                yield ox.Quad(term(t[0]), term(t[1]), term(t[2]), graph)


# -------------------------------------------------------------- N-Triples

ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_term(t: Node) -> str:
    """One rdflib term in N-Triples syntax (what :func:`ntriples` writes for it).

    >>> nt_term(Literal("北京", lang="zh")), nt_term(Literal(3))
    ('"北京"@zh', '"3"^^<http://www.w3.org/2001/XMLSchema#integer>')
    """
    key = str.__str__(t)
    if isinstance(t, Literal):
        text = f'"{key.translate(ESCAPES)}"'
        if t.language:
            return text + "@" + t.language
        return text if t.datatype is None else text + f"^^<{t.datatype}>"
    if isinstance(t, BNode):
        return f"_:{key}"
    return f"<{key}>"


def ntriples(triples: Iterable[tuple[Node, Node, Node]],
             cache: dict[str, str] | None = None) -> bytes:
    """rdflib triples as N-Triples text, for Oxigraph's parser.

    Building one ``pyoxigraph.Quad`` per triple costs ~10 µs; formatting the
    line and letting Oxigraph parse it costs a fraction of that. ``cache``
    (IRI → its N-Triples form) may be shared between calls. (A build's own
    triples are made as N-Triples lines from the start: :mod:`kg.rdf.graph`.)

    >>> from kg.rdf.namespace import KG, RDF
    >>> ntriples([(URIRef("https://e.org/a"), RDF.type, KG.Person)]).decode()[:20]
    '<https://e.org/a> <h'
    """
    cache = {} if cache is None else cache
    lines = []
    as_str = str.__str__
    for triple in triples:
        parts = []
        for t in triple:
            if type(t) is URIRef:
                key = as_str(t)
                n = cache.get(key)
                if n is None:
                    n = cache[key] = f"<{key}>"
                parts.append(n)
            else:
                parts.append(nt_term(t))
        lines.append(" ".join(parts))
    lines.append("")
    return " .\n".join(lines).encode("utf-8")
