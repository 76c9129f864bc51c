"""Records and views read back from a graph (never from text).

The API, the HTML page and networkx all read the graph through these
functions, so they show exactly what the Turtle file holds.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator
from functools import cached_property
from urllib.parse import unquote

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.model import Entity, Mention, Relation
from kg.rdf.namespace import (
    ENTITY_CLASS,
    EVENT_CLASS,
    KG,
    NIF,
    ORG,
    PROV,
    RDF,
    RDFS,
    SDO,
    SEM,
    SKOS,
)
from kg.view.model import EdgeView, Evidence, GraphView, NodeView

CLASS_NAME = {KG.Person: "Person", KG.Organization: "Organization", KG.Place: "Place",
              KG.Event: "Event", **{c: "Event" for c in EVENT_CLASS.values()}}
TYPE_CODE = {"Person": "PER", "Organization": "ORG", "Place": "LOC", "Event": "EVENT"}
PREDICATE_NAME = {SDO.containedInPlace: "located_in", SDO.location: "located_in",
                  ORG.subOrganizationOf: "part_of", KG.holdsTitle: "holds_position"}
EDGE_LABEL = {SDO.containedInPlace: "位于", SDO.location: "位于", ORG.subOrganizationOf: "隶属",
              SEM.hasActor: "参与", SEM.hasPlace: "地点", KG.about: "对象"}
EVENT_EDGES = (SEM.hasActor, SEM.hasPlace, KG.about)
# Relation.predicate of an entity's part in an event (object: the event)
EVENT_ROLE = {SEM.hasActor: "participant_in", SEM.hasPlace: "place_of", KG.about: "subject_of"}


def _text(g: Graph, node: Node, prop: URIRef) -> str:
    value = g.value(node, prop)
    return str(value) if value is not None else ""


def article_id(iri: Node | None) -> str:
    """The article id of an article IRI (or of a span IRI inside it)."""
    if iri is None:
        return ""
    return unquote(str(iri).split("#")[0].rsplit("/", 1)[-1])


class Reader:
    """Read entities, relations and views out of one graph."""

    def __init__(self, g: Graph) -> None:
        self.g = g

    @cached_property
    def node_class(self) -> dict[Node, str]:
        out: dict[Node, str] = {}
        for cls, name in CLASS_NAME.items():
            for node in self.g.subjects(RDF.type, cls):
                out.setdefault(node, name)
        return out

    def label(self, node: Node) -> str:
        return _text(self.g, node, RDFS.label)

    def mention(self, node: Node, type_: str = "") -> Mention:
        g = self.g
        return Mention(
            int(g.value(node, NIF.beginIndex)), int(g.value(node, NIF.endIndex)),
            _text(g, node, NIF.anchorOf), type_, "",
            float(g.value(node, KG.confidence) or 1.0), _text(g, node, KG.recognizer),
            article_id(g.value(node, KG.article)),
        )

    def evidence(self, node: Node) -> Evidence | None:
        g = self.g
        ev = g.value(node, KG.evidence)
        if ev is None:
            return None
        art = g.value(ev, KG.article)
        date = g.value(art, SDO.dateCreated) or g.value(art, SDO.datePublished)
        return Evidence(_text(g, ev, NIF.anchorOf), _text(g, art, SDO.headline),
                        str(date or ""), article_id(art))

    # -- entities
    def entities(self, class_name: str | None = None) -> list[Entity]:
        out = []
        for node, name in self.node_class.items():
            if class_name and name != class_name:
                continue
            code = TYPE_CODE[name]
            mentions = tuple(sorted(
                (self.mention(m, code) for m in self.g.objects(node, KG.mention)),
                key=lambda m: (m.article_id, m.start)))
            aliases = tuple(sorted(str(a) for a in self.g.objects(node, SKOS.altLabel)))
            label = self.label(node)
            out.append(Entity(f"{code}:{label}", label, code, aliases, mentions, str(node)))
        return sorted(out, key=lambda e: (e.type, e.label, e.iri))

    def find(self, name: str) -> list[Node]:
        """Entity or event nodes whose label or alias is ``name`` (through the index)."""
        found = {node for lit in (Literal(name, lang="zh"), Literal(name))
                 for p in (RDFS.label, SKOS.altLabel) for node in self.g.subjects(p, lit)}
        return sorted((n for n in found if n in self.node_class), key=str)

    # -- relations
    def _fact(self, fact: Node, predicate: str, subj: Node, obj: Node | None,
              role: str) -> Relation:
        g = self.g
        ev = g.value(fact, KG.evidence)
        sm = g.value(fact, KG.subjectMention)
        om = g.value(fact, KG.objectMention)
        subj_m = self.mention(sm, TYPE_CODE.get(self.node_class.get(subj, ""), "")) if sm \
            else Mention(0, 0, self.label(subj), "")
        obj_m = self.mention(om, TYPE_CODE.get(self.node_class.get(obj, ""), "")) \
            if om is not None and obj is not None else None
        source = g.value(fact, PROV.wasDerivedFrom)
        from_article = source is not None and (source, RDF.type, KG.NewsArticle) in g
        begin = int(g.value(ev, NIF.beginIndex)) if ev is not None else 0
        end = int(g.value(ev, NIF.endIndex)) if ev is not None else 0
        return Relation(
            subj_m, predicate, obj_m, article_id(source) if from_article else "",
            begin, end, _text(g, ev, NIF.anchorOf) if ev is not None else "",
            role, _text(g, fact, KG.rule),
            float(g.value(fact, KG.confidence) or 1.0), str(subj), str(obj or ""),
            self.label(subj), self.label(obj) if obj is not None else "",
        )

    def relations(self, name: str) -> list[Relation]:
        g = self.g
        nodes = self.find(name)
        # the facts touching those nodes, found through the graph's indexes
        memberships = {m for n in nodes for p in (ORG.member, ORG.organization)
                       for m in g.subjects(p, n)}
        statements = {s for n in nodes for p in (RDF.subject, RDF.object)
                      for s in g.subjects(p, n) if (s, RDF.type, KG.Statement) in g}
        edges = {(ev, prop, target) for n in nodes for prop in EVENT_EDGES
                 for ev, target in ([(e, n) for e in g.subjects(prop, n)]
                                    + [(n, t) for t in g.objects(n, prop)])}
        out: list[Relation] = []
        for m in memberships:
            out.append(self._fact(m, "holds_position", g.value(m, ORG.member),
                                  g.value(m, ORG.organization), self.label(g.value(m, ORG.role))))
        for st in statements:
            subj, pred, obj = (g.value(st, p) for p in (RDF.subject, RDF.predicate, RDF.object))
            if pred == KG.holdsTitle:
                out.append(self._fact(st, "holds_position", subj, None, self.label(obj)))
            else:
                out.append(self._fact(st, PREDICATE_NAME.get(pred, str(pred)), subj, obj, ""))
        for ev, prop, target in edges:
            out.append(self._fact(ev, EVENT_ROLE[prop], target, ev, ""))
        return sorted(out, key=lambda r: (r.article_id, r.start, r.predicate, r.role,
                                          r.subject_iri, r.object_iri))

    def _event_edges(self) -> Iterator[tuple[Node, URIRef, Node]]:
        for ev, name in self.node_class.items():
            if name == "Event":
                for prop in EVENT_EDGES:
                    for target in self.g.objects(ev, prop):
                        yield ev, prop, target

    # -- graphs for people and programs
    def edges(self) -> Iterator[tuple[Node, Node, str, str, Node]]:
        """(source, target, predicate IRI, label, fact node) for every shown edge."""
        g = self.g
        for m in g.subjects(RDF.type, ORG.Membership):
            yield (g.value(m, ORG.member), g.value(m, ORG.organization), str(ORG.memberOf),
                   self.label(g.value(m, ORG.role)), m)
        for st in g.subjects(RDF.type, KG.Statement):
            pred = g.value(st, RDF.predicate)
            if pred in EDGE_LABEL:
                yield (g.value(st, RDF.subject), g.value(st, RDF.object), str(pred),
                       EDGE_LABEL[pred], st)
        for ev, prop, target in self._event_edges():
            yield ev, target, str(prop), EDGE_LABEL[prop], ev

    def to_networkx(self) -> nx.MultiDiGraph:
        nxg = nx.MultiDiGraph()
        for node, name in self.node_class.items():
            nxg.add_node(str(node), label=self.label(node), type=name)
        for src, dst, pred, label, _ in self.edges():
            nxg.add_edge(str(src), str(dst), predicate=pred, label=label)
        return nxg

    def _top(self, limit: int | None) -> tuple[list[tuple[Node, str]], int]:
        """The ``limit`` most-mentioned nodes (events: by their number of edges), by IRI."""
        everything = sorted(self.node_class.items(), key=lambda x: str(x[0]))
        if limit is None or len(everything) <= limit:
            return everything, 0
        weight = collections.Counter(s for s, _, _ in self.g.triples((None, KG.mention, None)))
        for ev, _, _ in self._event_edges():
            weight[ev] += 1
        ranked = sorted(everything, key=lambda x: (-weight[x[0]], str(x[0])))[:limit]
        return sorted(ranked, key=lambda x: str(x[0])), len(everything)

    def view(self, title: str = "kg", max_nodes: int | None = None) -> GraphView:
        """What the page shows: every node, or the ``max_nodes`` most-mentioned ones.

        A graph of a whole archive has far more entities than a browser can
        draw; capped, the view keeps the most-mentioned nodes, the edges
        between them and their articles, and says how many there are in all.
        """
        g = self.g
        nodes = []
        top, total = self._top(max_nodes)
        for node, name in top:
            mentions = list(g.objects(node, KG.mention))
            evidence = [e for m in mentions[:5] if (e := self.evidence(m))]
            if name == "Event" and (e := self.evidence(node)):
                evidence.insert(0, e)
            roles = tuple(sorted(
                f"{self.label(g.value(m, ORG.role))} @ {self.label(g.value(m, ORG.organization))}"
                for m in g.subjects(ORG.member, node))) + tuple(
                sorted(self.label(r) for r in g.objects(node, KG.holdsTitle)))
            date = g.value(node, SDO.startDate)
            nodes.append(NodeView(
                str(node), self.label(node), name,
                tuple(sorted(str(a) for a in g.objects(node, SKOS.altLabel))),
                max(1, len(mentions)), roles,
                tuple(sorted({article_id(m) for m in mentions})),  # a span IRI names its article
                tuple(dict.fromkeys(evidence)), str(date or ""),
            ))
        kept = {n.id for n in nodes}
        edges = []
        for src, dst, pred, label, fact in self.edges():
            if total and (str(src) not in kept or str(dst) not in kept):
                continue
            ev = self.evidence(fact)
            edges.append(EdgeView(str(src), str(dst), label, pred, (ev,) if ev else ()))
        shown = {a for n in nodes for a in n.articles} if total else None
        articles = []
        for art in sorted(g.subjects(RDF.type, KG.NewsArticle), key=str):
            if shown is not None and article_id(art) not in shown:
                continue
            date = g.value(art, SDO.dateCreated) or g.value(art, SDO.datePublished)
            articles.append((article_id(art), _text(g, art, SDO.headline), str(date or "")))
        return GraphView(tuple(nodes), tuple(edges), tuple(articles), title, total)


__all__ = ["ENTITY_CLASS", "Reader", "article_id"]
