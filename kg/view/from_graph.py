"""What the HTML page shows, read from a graph: nodes, edges, evidence, articles.

The view runs five SPARQL SELECTs on the graph's Oxigraph store, however big
the graph, and joins their rows in Python dicts: no query per node and no
rdflib terms on the way. A graph that no Oxigraph store backs (a plain rdflib
``Graph``) is copied into a temporary in-memory one first. Classes, roles
and shown relations come from the reader's
:class:`~kg.rdf.readback.Vocabulary`, so the page shows what
:class:`~kg.rdf.readback.Reader` reads and the Turtle file holds.

Where a property has several values, the view takes the first in the
store's order, as rdflib's ``Graph.value`` over the store does, and a node's
evidence comes from its first five mentions in that order. For a fixed
subject and property Oxigraph yields the objects in one order from any
index, so a SELECT sees them in the order ``quads_for_pattern`` gives
(tests/view/test_from_graph.py compares the view with the rdflib readback).

Text from articles is data: it is read from result rows, never put into a
query. Only the vocabulary's IRIs are, each written as an Oxigraph ``NamedNode``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from kg.rdf.bridge import ox_of
from kg.rdf.namespace import KG, NIF, ORG, RDF, RDFS, SDO, SKOS, XSD
from kg.rdf.readback import Reader, Vocabulary, article_id
from kg.rdf.terms import DEFAULT_GRAPH, Converter, from_ox
from kg.view.model import EdgeView, Evidence, GraphView, NodeView

__all__ = ["graph_view", "oxigraph_of"]

Term = Any  # a pyoxigraph NamedNode, BlankNode or Literal
Table = dict[Term, list[Term]]  # subject → its objects of one property, in the store's order

_FACTS = (KG.mention, ORG.member, ORG.organization, ORG.role, KG.holdsTitle,
          RDF.subject, RDF.predicate, RDF.object)
_TEXTS = (RDFS.label, SKOS.altLabel, SDO.startDate, SDO.headline, SDO.dateCreated,
          SDO.datePublished)
_SENTENCES = (NIF.anchorOf, KG.article)

_PLAIN = {str(XSD.string): None, str(XSD.date): re.compile(r"\d{4}-\d{2}-\d{2}"),
          str(XSD.gYearMonth): re.compile(r"\d{4}-\d{2}"), str(XSD.gYear): re.compile(r"\d{4}")}
"""Literal types whose lexical form rdflib keeps as it is (dates: in these forms only)."""


# -------------------------------------------------------------- terms


def _iri(term: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _lexical(term: Term) -> str:
    """What ``str()`` gives for the rdflib term equal to ``term`` (rdflib normalises some dates).

    >>> _lexical(ox.NamedNode("https://e.org/a")), _lexical(ox.Literal("甲", language="zh"))
    ('https://e.org/a', '甲')
    >>> _lexical(ox.Literal("2025-02-25Z", datatype=ox.NamedNode(str(XSD.date))))
    '2025-02-25'
    """
    if isinstance(term, ox.Literal) and not term.language:
        form = _PLAIN.get(term.datatype.value, False)
        if form is False or (form is not None and not form.fullmatch(term.value)):
            return str(from_ox(term))
    return term.value


def _truthy(term: Term) -> bool:
    """Whether rdflib holds ``term`` true, as in ``g.value(a, p) or g.value(a, q)``.

    >>> _truthy(ox.Literal("")), _truthy(ox.Literal("0", datatype=ox.NamedNode(str(XSD.integer))))
    (False, False)
    >>> _truthy(ox.Literal("2025-02", datatype=ox.NamedNode(str(XSD.gYearMonth))))
    True
    """
    if not isinstance(term, ox.Literal) or not term.value:
        return bool(term.value)
    if term.language or term.datatype.value in _PLAIN:
        return True
    return bool(from_ox(term))  # rdflib's answer: false for 0, false, P0D…


def _text(term: Term | None) -> str:
    return "" if term is None else _lexical(term)


def _ident(term: Term | None) -> str:
    """A node's id on the page: ``str()`` of the rdflib term, ``"None"`` for a missing end."""
    return "None" if term is None else _lexical(term)


def _date(term: Term | None) -> str:
    return _lexical(term) if term is not None and _truthy(term) else ""


def _in_rdflib_order(terms: Iterable[Term]) -> list[Term]:
    """``terms`` sorted as rdflib sorts terms: blank nodes, IRIs, then literals by value.

    >>> [t.value for t in _in_rdflib_order([ox.NamedNode("http://b"), ox.BlankNode("z"),
    ...                                    ox.NamedNode("http://a")])]
    ['z', 'http://a', 'http://b']
    """
    terms = list(terms)
    if any(isinstance(t, ox.Literal) for t in terms):
        return sorted(terms, key=from_ox)
    return sorted(terms, key=lambda t: (isinstance(t, ox.NamedNode), t.value))


def _first(table: Table, subject: Term | None) -> Term | None:
    values = table.get(subject)
    return values[0] if values else None


# -------------------------------------------------------------- queries


def oxigraph_of(g: Graph) -> ox.Store:
    """The Oxigraph store behind ``g``, or a new in-memory copy of its triples.

    The copy keeps blank node ids, so the page names them as ``g`` does.

    >>> from rdflib import BNode
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://e.org/a"), URIRef("https://e.org/p"), BNode("b")))
    >>> [q.object for q in oxigraph_of(g)]
    [<BlankNode value=b>]
    """
    store = ox_of(g)
    if store is None:
        store = ox.Store()
        store.bulk_extend(Converter().quads(g, DEFAULT_GRAPH))
    return store


def _each(variables: str, pattern: str, iris: Sequence[URIRef], among: str = "") -> str:
    """A SELECT of ``pattern`` for each of ``iris`` in turn (``?i`` its number), within ``among``.

    One UNION branch per IRI, so each is an index lookup, never a scan of
    the store; the IRIs are the vocabulary's, written as Oxigraph writes them.

    >>> _each("?i ?s", "?s a {}", [KG.Person])
    'SELECT ?i ?s WHERE { { ?s a <https://w3id.org/kg-cn/ontology#Person> BIND(0 AS ?i) } }'
    """
    branches = (f"{{ {pattern.format(_iri(x))} BIND({i} AS ?i) }}" for i, x in enumerate(iris))
    body = " ".join(filter(None, (among, " UNION ".join(branches))))
    return f"SELECT {variables} WHERE {{ {body} }}"


def _typed(store: ox.Store, classes: Iterable[URIRef]) -> dict[URIRef, list[Term]]:
    """The subjects of each class, in the store's order."""
    classes = list(dict.fromkeys(classes))
    out: dict[URIRef, list[Term]] = {c: [] for c in classes}
    lists = list(out.values())
    for i, s in store.query(_each("?i ?s", "?s a {}", classes)):
        lists[int(i.value)].append(s)
    return out


def _objects(store: ox.Store, props: Iterable[URIRef], keep: set[Term] | None = None,
             among: str = "") -> dict[URIRef, Table]:
    """The objects of each property by subject (only of ``keep`` when given), in store order."""
    props = list(dict.fromkeys(props))
    out: dict[URIRef, Table] = {p: defaultdict(list) for p in props}
    tables = list(out.values())
    for i, s, o in store.query(_each("?i ?s ?o", "?s {} ?o", props, among)):
        if keep is None or s in keep:
            tables[int(i.value)][s].append(o)
    return out


_SAID = f"{{ SELECT DISTINCT ?s WHERE {{ ?fact {_iri(KG.evidence)} ?s }} }}"
"""The sentence nodes: what some mention, fact or event has as ``kg:evidence``."""


# -------------------------------------------------------------- what is shown


def _node_class(typed: Mapping[URIRef, list[Term]], vocab: Vocabulary) -> dict[Term, str]:
    """Node → type name, the first of its classes in the vocabulary (``Reader.node_class``)."""
    out: dict[Term, str] = {}
    for cls, name in vocab.classes.items():
        for node in typed[cls]:
            out.setdefault(node, name)
    return out


def _event_edges(node_class: Mapping[Term, str], facts: Mapping[URIRef, Table],
                 vocab: Vocabulary) -> list[tuple[Term, URIRef, Term]]:
    """(event, role, target) of every role of an event, but a super-role written beside its own."""
    subs: dict[URIRef, list[Table]] = defaultdict(list)
    for sub, sup in vocab.supers.items():
        subs[sup].append(facts[sub])
    out = []
    for ev, name in node_class.items():
        if name != "Event":
            continue
        for prop in vocab.roles:
            for target in facts[prop].get(ev, ()):
                if not any(target in sub.get(ev, ()) for sub in subs[prop]):
                    out.append((ev, prop, target))
    return out


def _top(node_class: Mapping[Term, str], ids: Mapping[Term, str], mentions: Table,
         event_edges: Sequence[tuple[Term, URIRef, Term]],
         limit: int | None) -> tuple[list[tuple[Term, str]], int]:
    """The ``limit`` most-mentioned nodes (events: by their number of edges), by IRI."""
    everything = sorted(node_class.items(), key=lambda x: ids[x[0]])
    if limit is None or len(everything) <= limit:
        return everything, 0
    weight = Counter({s: len(ms) for s, ms in mentions.items()})
    for ev, _, _ in event_edges:
        weight[ev] += 1
    ranked = sorted(everything, key=lambda x: (-weight[x[0]], ids[x[0]]))[:limit]
    return sorted(ranked, key=lambda x: ids[x[0]]), len(everything)


Edge = tuple[Term | None, Term | None, str, str, Term]  # source, target, predicate, label, fact


def _edges(typed: Mapping[URIRef, list[Term]], facts: Mapping[URIRef, Table], labels: Table,
           event_edges: Sequence[tuple[Term, URIRef, Term]], vocab: Vocabulary) -> Iterator[Edge]:
    """(source, target, predicate IRI, label, fact node) for every shown edge (``Reader.edges``)."""
    for m in typed[ORG.Membership]:
        yield (_first(facts[ORG.member], m), _first(facts[ORG.organization], m),
               str(ORG.memberOf), _text(_first(labels, _first(facts[ORG.role], m))), m)
    shown = {_iri(p): label for p, label in vocab.edge_labels.items()}
    for st in typed[KG.Statement]:
        pred = _first(facts[RDF.predicate], st)
        if pred in shown:
            yield (_first(facts[RDF.subject], st), _first(facts[RDF.object], st), pred.value,
                   shown[pred], st)
    for ev, prop, target in event_edges:
        yield ev, target, str(prop), vocab.roles[prop][1], ev


@dataclass(frozen=True)
class _Sentences:
    """The evidence record of a sentence node, with its article's headline and date."""

    anchor: Table
    article: Table
    headline: Table
    created: Table
    published: Table
    made: dict[Term, Evidence] = field(default_factory=dict)  # each record is made once

    def article_date(self, art: Term | None) -> str:
        created = _first(self.created, art)
        return _date(created if created is not None and _truthy(created)
                     else _first(self.published, art))

    def __call__(self, ev: Term) -> Evidence:
        got = self.made.get(ev)
        if got is None:
            art = _first(self.article, ev)
            got = self.made[ev] = Evidence(
                _text(_first(self.anchor, ev)), _text(_first(self.headline, art)),
                self.article_date(art), article_id(_text(art)))
        return got


@dataclass(frozen=True)
class _Nodes:
    """What a node shows, by property: subject → objects, in the store's order."""

    mentions: Table
    memberships: Table  # member → its memberships
    roles: Table
    organizations: Table
    titles: Table
    labels: Table
    aliases: Table
    dates: Table
    evidence: Table
    sentence: _Sentences

    def label(self, term: Term | None) -> str:
        return _text(_first(self.labels, term))

    def view(self, node: Term, name: str, ident: str) -> NodeView:
        """The node as the page shows it."""
        mentions = self.mentions.get(node, [])
        sentence, evidence = self.sentence, self.evidence
        found = [sentence(ev) for m in mentions[:5] if (ev := _first(evidence, m)) is not None]
        if name == "Event":  # every sentence that reports it, in one article or several
            found[:0] = [sentence(ev) for ev in _in_rdflib_order(evidence.get(node, ()))[:5]]
        label = self.label
        roles = tuple(sorted(
            f"{label(_first(self.roles, m))} @ {label(_first(self.organizations, m))}"
            for m in self.memberships.get(node, ()))) + tuple(
            sorted(label(t) for t in self.titles.get(node, ())))
        return NodeView(
            ident, label(node), name,
            tuple(sorted(_lexical(a) for a in self.aliases.get(node, ()))),
            max(1, len(mentions)), roles,
            tuple(sorted({article_id(_lexical(m)) for m in mentions})),  # a span names its article
            tuple(dict.fromkeys(found)), _date(_first(self.dates, node)),
        )


def _reverse(table: Table) -> Table:
    """Object → the subjects that have it (``g.subjects(p, object)``)."""
    out: Table = defaultdict(list)
    for s, objects in table.items():
        for o in objects:
            out[o].append(s)
    return out


def graph_view(reader: Reader, title: str = "kg", max_nodes: int | None = None) -> GraphView:
    """What the page shows: every node, or the ``max_nodes`` most-mentioned ones.

    A graph of a whole archive has far more entities than a browser can
    draw; capped, the view keeps the most-mentioned nodes, the edges
    between them and their articles, and says how many there are in all.
    """
    store, vocab = oxigraph_of(reader.g), reader.vocab
    typed = _typed(store, [*vocab.classes, KG.NewsArticle, ORG.Membership, KG.Statement])
    facts = _objects(store, [*_FACTS, *vocab.roles, *vocab.supers])
    texts = _objects(store, _TEXTS)
    node_class = _node_class(typed, vocab)
    ids = {node: _ident(node) for node in node_class}
    event_edges = _event_edges(node_class, facts, vocab)
    mentions = facts[KG.mention]
    top, total = _top(node_class, ids, mentions, event_edges, max_nodes)
    kept = {ids[node] for node, _ in top}
    edges = [e for e in _edges(typed, facts, texts[RDFS.label], event_edges, vocab)
             if not total or (_ident(e[0]) in kept and _ident(e[1]) in kept)]

    # the evidence of what is shown (first mentions, events, facts), then its sentences
    events = [node for node, name in top if name == "Event"]
    needed = {m for node, _ in top for m in mentions.get(node, [])[:5]}
    needed.update(events, (e[4] for e in edges))
    evidence = _objects(store, [KG.evidence], needed)[KG.evidence]
    said = {evs[0] for evs in evidence.values()}
    said.update(ev for node in events for ev in evidence.get(node, ()))
    sentences = _objects(store, _SENTENCES, said, _SAID)
    sentence = _Sentences(sentences[NIF.anchorOf], sentences[KG.article], texts[SDO.headline],
                          texts[SDO.dateCreated], texts[SDO.datePublished])

    shows = _Nodes(mentions, _reverse(facts[ORG.member]), facts[ORG.role],
                   facts[ORG.organization], facts[KG.holdsTitle], texts[RDFS.label],
                   texts[SKOS.altLabel], texts[SDO.startDate], evidence, sentence)
    nodes = [shows.view(node, name, ids[node]) for node, name in top]
    edge_views = []
    for src, dst, pred, label, fact in edges:
        ev = _first(evidence, fact)
        edge_views.append(EdgeView(_ident(src), _ident(dst), label, pred,
                                   (sentence(ev),) if ev is not None else ()))
    shown = {a for n in nodes for a in n.articles} if total else None
    articles = []
    for art in sorted(typed[KG.NewsArticle], key=_lexical):
        aid = article_id(_lexical(art))
        if shown is None or aid in shown:
            headline = _text(_first(sentence.headline, art))
            articles.append((aid, headline, sentence.article_date(art)))
    return GraphView(tuple(nodes), tuple(edge_views), tuple(articles), title, total)
