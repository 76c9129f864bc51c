"""The ontology and the SHACL shapes of event types and roles, made from the schema.

``ontology/kg.ttl`` holds the hand-written core (entities, mentions,
evidence, facts); the event classes, their parent classes and the role
properties come from the event schema (:mod:`kg.schema`, through
:mod:`kg.registry`), so a type added there — or registered by a user — is
an ontology class with labels and a parent, each of its kg: roles a
sub-property of a standard property, and a SHACL shape checks the kinds of
its arguments; the relation predicates of ``predicates.toml`` are the
properties a ``kg:Statement`` may state. ``ontology/events.ttl`` and
``ontology/schema-shapes.ttl`` are these graphs for the shipped schema
(``scripts/build_ontology.py`` writes them; a test fails when they are stale).

>>> g = event_ontology()
>>> (class_iri("Communication"), RDFS.subClassOf, KG.Event) in g
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH

from kg import registry
from kg.errors import UsageError
from kg.rdf.namespace import KG, PREFIXES, RDF, RDFS
from kg.schema import EventClass, EventType, Predicate, Role
from kg.types import by_code

__all__ = ["KGSH", "class_iri", "event_ontology", "expand", "role_iri", "schema_shapes"]

KGSH = Namespace("https://w3id.org/kg-cn/shapes#")


def expand(curie: str) -> URIRef:
    """A CURIE of one of kg's prefixes (or a full IRI) as an IRI.

    >>> str(expand("sem:hasActor"))
    'http://semanticweb.cs.vu.nl/2009/11/sem/hasActor'
    """
    if curie.startswith(("http://", "https://", "urn:")):
        return URIRef(curie)
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        raise UsageError(f"{curie!r} is neither a full IRI nor a CURIE of "
                         f"{', '.join(sorted(PREFIXES))}")
    return URIRef(PREFIXES[prefix] + local)


def class_iri(name: str) -> URIRef:
    """The class of an event type or parent class: ``kg:<name>``, or a full IRI."""
    return expand(name) if ":" in name else URIRef(str(KG._NS) + name)


def role_iri(role: Role) -> URIRef:
    """The property a role is written as."""
    return expand(role.property)


def _labels(g: Graph, node: URIRef, zh: str, en: str, comment: str = "") -> None:
    g.add((node, RDFS.label, Literal(zh, lang="zh")))
    g.add((node, RDFS.label, Literal(en, lang="en")))
    if comment:
        g.add((node, RDFS.comment, Literal(comment, lang="en")))


def event_ontology(types: Iterable[EventType] | None = None,
                   classes: Mapping[str, EventClass] | None = None) -> Graph:
    """OWL classes for the event types and parent classes, properties for kg: roles."""
    types = list(registry.event_types().values() if types is None else types)
    classes = registry.event_classes() if classes is None else classes
    g = Graph()
    for c in classes.values():
        node = class_iri(c.id)
        g.add((node, RDF.type, OWL.Class))
        g.add((node, RDFS.subClassOf, class_iri(c.parent)))
        _labels(g, node, c.zh, c.en)
    for t in types:
        node = class_iri(t.class_name)
        g.add((node, RDF.type, OWL.Class))
        g.add((node, RDFS.subClassOf, class_iri(t.parent)))
        _labels(g, node, t.zh, t.en, t.comment)
        for r in t.roles:
            if not r.super:
                continue  # a standard property used as it is
            prop = role_iri(r)
            kind = (OWL.ObjectProperty if not r.takes_literals else
                    OWL.DatatypeProperty if not r.links_entities else RDF.Property)
            g.add((prop, RDF.type, kind))
            g.add((prop, RDFS.subPropertyOf, expand(r.super)))
            g.add((prop, RDFS.domain, KG.Event))
            if (prop, RDFS.label, None) not in g:
                _labels(g, prop, r.zh, r.en)
    return g


def _kind_shape(g: Graph, kinds: tuple[str, ...]) -> BNode:
    """``[sh:or ([sh:class kg:Person] …)]`` for the kinds an argument may be."""
    options = []
    for kind in kinds:
        opt = BNode()
        if kind in ("PER", "ORG", "LOC"):
            g.add((opt, SH["class"], class_iri(by_code(kind).name)))
        else:  # TIME and VALUE arguments are literals
            g.add((opt, SH.nodeKind, SH.Literal))
        options.append(opt)
    head = BNode()
    Collection(g, head, options)
    shape = BNode()
    g.add((shape, SH["or"], head))
    return shape


def _predicate_shape(g: Graph, preds: Iterable[Predicate]) -> None:
    """``kg:Statement``'s ``rdf:predicate`` is a property of a registered predicate."""
    props = list(dict.fromkeys(expand(p) for pred in preds for p in pred.properties()))
    head = BNode()
    Collection(g, head, props)
    shape, prop = KGSH.StatementPredicate, BNode()
    g.add((shape, RDF.type, SH.NodeShape))
    g.add((shape, SH.targetClass, KG.Statement))
    g.add((shape, SH.property, prop))
    g.add((prop, SH.path, RDF.predicate))
    g.add((prop, SH["in"], head))
    g.add((prop, SH.message, Literal(
        "a statement's rdf:predicate is the property of a relation predicate of the schema "
        "(kg/resources/schema/predicates.toml or kg.registry.register_predicate)")))


def schema_shapes(types: Iterable[EventType] | None = None,
                  preds: Iterable[Predicate] | None = None) -> Graph:
    """The SHACL shapes made from the schema: one node shape per event type (what
    each role's values may be) and the predicates a statement may state."""
    types = list(registry.event_types().values() if types is None else types)
    g = Graph()
    _predicate_shape(g, registry.predicates().values() if preds is None else preds)
    g.bind("sh", SH)
    g.bind("kgsh", KGSH)
    for t in types:
        shape = KGSH[f"{t.class_name}Roles"] if ":" not in t.class_name else BNode()
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, class_iri(t.class_name)))
        g.add((shape, RDFS.comment, Literal(f"the roles of {t.class_name} events", lang="en")))
        for r in t.roles:
            prop = BNode()
            g.add((shape, SH.property, prop))
            g.add((prop, SH.path, role_iri(r)))
            g.add((prop, SH.message, Literal(
                f"the {r.en} ({r.property}) of {t.class_name} events is one of: "
                f"{', '.join(r.entity)}")))
            g.add((prop, SH.node, _kind_shape(g, r.entity)))
    return g
