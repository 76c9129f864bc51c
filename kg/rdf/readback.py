"""Records read back from a graph (never from text): entities, relations, edges.

The API and networkx read the graph through :class:`Reader`, so they show
exactly what the Turtle file holds; the HTML page (:mod:`kg.view.from_graph`)
reads it with SPARQL, through the same :class:`Vocabulary`. What counts as an
entity class, a relation or an event role comes from the types table and the
registry, never from a list of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING
from urllib.parse import unquote

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg import registry
from kg.model import Entity, Mention, Relation
from kg.rdf.namespace import KG, NIF, ORG, PROV, RDF, RDFS, SKOS
from kg.rdf.ontology import class_iri, expand, role_iri
from kg.types import ALL_TYPES, EVENT, by_name

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Vocabulary:
    """What the readback recognises, made from the types table and the registry.

    ``classes`` maps an ontology class to its type name (every event class to
    ``Event``); ``predicates`` a relation property to its predicate id;
    ``edge_labels`` a shown property to the label of its edge; ``roles`` an
    event-role property to the relation name and label of an entity's part in
    the event; ``supers`` a role property to the super-property written beside it.
    """

    classes: dict[URIRef, str]
    predicates: dict[URIRef, str]
    edge_labels: dict[URIRef, str]
    roles: dict[URIRef, tuple[str, str]]
    supers: dict[URIRef, URIRef]

    @classmethod
    def current(cls) -> Vocabulary:
        """The vocabulary of the schema and registrations of this process."""
        classes = {KG[t.name]: t.name for t in ALL_TYPES}
        for c in registry.event_classes().values():
            classes.setdefault(class_iri(c.id), EVENT.name)
        predicates: dict[URIRef, str] = {}
        labels: dict[URIRef, str] = {}
        for p in registry.predicates().values():
            for prop in map(expand, p.properties()):
                predicates.setdefault(prop, p.id)
                if p.shown and p.form == "statement":
                    labels.setdefault(prop, p.zh)
        roles: dict[URIRef, tuple[str, str]] = {}
        supers: dict[URIRef, URIRef] = {}
        for t in registry.event_types().values():
            classes.setdefault(class_iri(t.class_name), EVENT.name)
            for r in t.roles:
                if r.links_entities:
                    roles.setdefault(role_iri(r), (r.relation, r.zh))
                    if r.super:
                        supers[role_iri(r)] = expand(r.super)
        return cls(classes, predicates, labels, roles, supers)


def _text(g: Graph, node: Node, prop: URIRef) -> str:
    value = g.value(node, prop)
    return str(value) if value is not None else ""


def article_id(iri: Node | str | None) -> str:
    """The article id of an article IRI (or of a span IRI inside it), given as a term or text."""
    if iri is None:
        return ""
    return unquote(str(iri).split("#")[0].rsplit("/", 1)[-1])


class Reader:
    """Read entities, relations and views out of one graph."""

    def __init__(self, g: Graph, vocabulary: Vocabulary | None = None) -> None:
        self.g = g
        self.vocab = vocabulary or Vocabulary.current()

    @cached_property
    def node_class(self) -> dict[Node, str]:
        out: dict[Node, str] = {}
        for cls, name in self.vocab.classes.items():
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

    # -- entities
    def entities(self, class_name: str | None = None) -> list[Entity]:
        out = []
        for node, name in self.node_class.items():
            if class_name and name != class_name:
                continue
            code = by_name(name).code
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

    def _code(self, node: Node | None) -> str:
        name = self.node_class.get(node) if node is not None else None
        return by_name(name).code if name else ""

    # -- relations
    def _fact(self, fact: Node, predicate: str, subj: Node, obj: Node | None,
              role: str) -> Relation:
        g = self.g
        ev = g.value(fact, KG.evidence)
        sm = g.value(fact, KG.subjectMention)
        om = g.value(fact, KG.objectMention)
        subj_m = self.mention(sm, self._code(subj)) if sm \
            else Mention(0, 0, self.label(subj), "")
        obj_m = self.mention(om, self._code(obj)) \
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
        edges = {(ev, prop, target) for n in nodes for prop in self.vocab.roles
                 for ev, target in ([(e, n) for e in g.subjects(prop, n)]
                                    + [(n, t) for t in g.objects(n, prop)])}
        edges = {e for e in edges if not self._implied(*e)}
        out: list[Relation] = []
        for m in memberships:
            out.append(self._fact(m, "holds_position", g.value(m, ORG.member),
                                  g.value(m, ORG.organization), self.label(g.value(m, ORG.role))))
        for st in statements:
            subj, pred, obj = (g.value(st, p) for p in (RDF.subject, RDF.predicate, RDF.object))
            if pred == KG.holdsTitle:
                out.append(self._fact(st, "holds_position", subj, None, self.label(obj)))
            else:
                out.append(self._fact(st, self.vocab.predicates.get(pred, str(pred)), subj, obj,
                                      ""))
        for ev, prop, target in edges:
            out.append(self._fact(ev, self.vocab.roles[prop][0], target, ev, ""))
        return sorted(out, key=lambda r: (r.article_id, r.start, r.predicate, r.role,
                                          r.subject_iri, r.object_iri))

    def _event_edges(self) -> Iterator[tuple[Node, URIRef, Node]]:
        for ev, name in self.node_class.items():
            if name == "Event":
                for prop in self.vocab.roles:
                    for target in self.g.objects(ev, prop):
                        if not self._implied(ev, prop, target):
                            yield ev, prop, target

    def _implied(self, ev: Node, prop: URIRef, target: Node) -> bool:
        """True for a super-property triple written beside its role's own (kg:arrestee)."""
        return any(sup == prop and (ev, sub, target) in self.g
                   for sub, sup in self.vocab.supers.items())

    # -- graphs for people and programs
    def edges(self) -> Iterator[tuple[Node, Node, str, str, Node]]:
        """(source, target, predicate IRI, label, fact node) for every shown edge."""
        g = self.g
        for m in g.subjects(RDF.type, ORG.Membership):
            yield (g.value(m, ORG.member), g.value(m, ORG.organization), str(ORG.memberOf),
                   self.label(g.value(m, ORG.role)), m)
        for st in g.subjects(RDF.type, KG.Statement):
            pred = g.value(st, RDF.predicate)
            if pred in self.vocab.edge_labels:
                yield (g.value(st, RDF.subject), g.value(st, RDF.object), str(pred),
                       self.vocab.edge_labels[pred], st)
        for ev, prop, target in self._event_edges():
            yield ev, target, str(prop), self.vocab.roles[prop][1], ev

    def to_networkx(self) -> nx.MultiDiGraph:
        import networkx as nx

        nxg = nx.MultiDiGraph()
        for node, name in self.node_class.items():
            nxg.add_node(str(node), label=self.label(node), type=name)
        for src, dst, pred, label, _ in self.edges():
            nxg.add_edge(str(src), str(dst), predicate=pred, label=label)
        return nxg


__all__ = ["Reader", "Vocabulary", "article_id"]
