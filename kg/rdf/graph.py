"""The only module that creates triples.

Everything that leaves the program (Turtle, HTML, networkx, API answers) is
read from the graph this module writes, so the outputs never disagree.

Modelling (see ``ontology/kg.ttl``): entities are ``kg:Person`` /
``kg:Organization`` / ``kg:Place`` with ``rdfs:label``@zh and
``skos:altLabel``; each occurrence is a ``kg:Mention`` (NIF offsets, exact
text, recognizer, confidence, its sentence as ``kg:evidence``); a role is an
``org:Membership``; containment and sub-organizations are direct triples
(``schema:containedInPlace``, ``schema:location``,
``org:subOrganizationOf``) whose provenance rides on a ``kg:Statement``;
events are ``kg:Event`` subclasses with SEM actors and places and a
``schema:startDate``. Every fact is ``prov:wasDerivedFrom`` its article.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import quote

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg import registry
from kg.model import Article, Entity, Event, Mention, Relation
from kg.rdf.iris import article_iri, hash_iri, span_iri, typed_date
from kg.rdf.namespace import KG, NIF, ORG, PREFIXES, PROV, RDF, RDFS, SDO, SEM, SKOS
from kg.rdf.ontology import class_iri, expand, role_iri
from kg.resolve import DEFAULT_BASE, event_iri, mention_key, place_hierarchy
from kg.schema import Role
from kg.text.sentences import SentenceIndex
from kg.types import by_code

__all__ = ["Corpus", "add_corpus", "article_iri", "new_graph", "span_iri", "to_graph",
           "typed_date"]

GAZETTEER_LABEL = "kg gazetteer (from jionlp's China and world place dictionaries)"
CREDIT_ROLE = {"reporter": "记者", "correspondent": "通讯员", "photographer": "摄影记者"}


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything the pipeline found, ready to become triples."""

    articles: tuple[Article, ...]
    entities: tuple[Entity, ...]
    relations: tuple[Relation, ...]  # linked: subject/object IRIs filled
    events: tuple[Event, ...]
    base: str = DEFAULT_BASE
    publishers: dict[str, str] = field(default_factory=dict)  # article id → org IRI
    agencies: dict[str, str] = field(default_factory=dict)  # article id → org IRI
    # (article id, trigger start) → the IRI of the real event a report is of
    # (kg.resolve.event_nodes); a report missing here is its own event
    event_nodes: dict[tuple[str, int], str] = field(default_factory=dict)

    def event_node(self, ev: Event) -> str:
        """The IRI of the real event ``ev`` reports."""
        return self.event_nodes.get((ev.article_id, ev.trigger_start)) or event_iri(ev, self.base)


def new_graph() -> Graph:
    """An empty graph with the project's prefixes bound."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


# Terms of the hot path (a mention is ~10 triples; a build makes millions), made
# once: a namespace attribute makes a new URIRef at every access, and rdflib's
# Literal constructor is slow; literals are immutable, so equal ones are shared.
_TYPE, _ARTICLE, _EVIDENCE, _CONFIDENCE = RDF.type, KG.article, KG.evidence, KG.confidence
_BEGIN, _END, _ANCHOR = NIF.beginIndex, NIF.endIndex, NIF.anchorOf
_RECOGNIZER, _SOURCE_OFFSET = KG.recognizer, KG.sourceOffset
_MENTION_CLASS, _EVIDENCE_CLASS = KG.Mention, KG.Evidence


@lru_cache(maxsize=1 << 16, typed=True)  # typed: True is not 1
def _int(n: int) -> Literal:
    """``Literal(n)``, shared (offsets repeat across articles)."""
    return Literal(n)


@lru_cache(maxsize=1 << 12, typed=True)  # typed: 1 and 1.0 are different decimals
def _decimal(x: float) -> Literal:
    """``Literal(x, datatype=XSD.decimal)``, shared (scores are rounded to 3 places)."""
    return Literal(x, datatype=XSD.decimal)


@lru_cache(maxsize=1 << 10)
def _plain(text: str) -> Literal:
    """``Literal(text)`` for the few strings that repeat (recognizer names)."""
    return Literal(text)


class _Builder:
    """Adds a corpus to a graph; one method per kind of record."""

    def __init__(self, g: Graph, corpus: Corpus, *, text: bool = True,
                 resolved: bool = True) -> None:
        self.g = g if resolved else _Discard()  # triples that need resolved entities
        self.t = g if text else None  # triples about text spans (and text lengths)
        self.c = corpus
        self.base = corpus.base
        self.articles = {a.id: a for a in corpus.articles}
        self._sentences: dict[str, SentenceIndex] = {}
        self._article_iris: dict[str, URIRef] = {}

    # -- helpers
    def sentence_of(self, article_id: str, pos: int) -> tuple[int, int] | None:
        if article_id not in self._sentences:
            self._sentences[article_id] = SentenceIndex(self.articles[article_id].text)
        return self._sentences[article_id].at(pos)

    def _article(self, article_id: str) -> URIRef:
        node = self._article_iris.get(article_id)
        if node is None:
            node = self._article_iris[article_id] = article_iri(article_id, self.base)
        return node

    def _span(self, article_id: str, start: int, end: int) -> URIRef:
        return URIRef(f"{self._article(article_id)}#char={start},{end}")  # = span_iri

    def evidence(self, article_id: str, start: int, end: int) -> URIRef:
        node = self._span(article_id, start, end)
        g = self.t
        if g is None:
            return node
        add = g.add
        add((node, _TYPE, _EVIDENCE_CLASS))
        add((node, _ARTICLE, self._article(article_id)))
        add((node, _BEGIN, _int(start)))
        add((node, _END, _int(end)))
        add((node, _ANCHOR, Literal(self.articles[article_id].text[start:end])))
        return node

    def mention(self, m: Mention) -> URIRef:
        node = self._span(m.article_id, m.start, m.end)
        g = self.t
        if g is None:
            return node
        add = g.add
        add((node, _TYPE, _MENTION_CLASS))
        add((node, _ARTICLE, self._article(m.article_id)))
        add((node, _BEGIN, _int(m.start)))
        add((node, _END, _int(m.end)))
        add((node, _ANCHOR, Literal(m.text)))
        if m.recognizer:
            add((node, _RECOGNIZER, _plain(m.recognizer)))
        add((node, _CONFIDENCE, _decimal(round(m.score, 3))))
        src = self.articles[m.article_id].source_offset(m.start)
        if src is not None:
            add((node, _SOURCE_OFFSET, _int(src)))
        sent = self.sentence_of(m.article_id, m.start)
        if sent is not None:
            add((node, _EVIDENCE, self.evidence(m.article_id, *sent)))
        return node

    def provenance(self, node: URIRef | BNode, article_id: str, start: int, end: int,
                   rule: str, score: float) -> None:
        g = self.g
        g.add((node, PROV.wasDerivedFrom, article_iri(article_id, self.base)))
        g.add((node, KG.evidence, self.evidence(article_id, start, end)))
        if rule:
            g.add((node, KG.rule, Literal(rule)))
        g.add((node, KG.confidence, Literal(round(score, 3), datatype=XSD.decimal)))

    def role(self, label: str) -> URIRef:
        node = URIRef(f"{self.base}role/{quote(label, safe='')}")
        self.g.add((node, RDF.type, KG.Role))
        self.g.add((node, RDFS.label, Literal(label, lang="zh")))
        return node

    # -- records
    def entity(self, e: Entity) -> None:
        g = self.g
        node = URIRef(e.iri)
        g.add((node, RDF.type, KG[by_code(e.type).name]))
        g.add((node, RDFS.label, Literal(e.label, lang="zh")))
        for alias in e.aliases:
            g.add((node, SKOS.altLabel, Literal(alias, lang="zh")))
        for m in e.mentions:
            g.add((node, KG.mention, self.mention(m)))

    def article(self, a: Article) -> None:
        g = self.g
        node = article_iri(a.id, self.base)
        g.add((node, RDF.type, KG.NewsArticle))
        if self.t is not None:
            self.t.add((node, KG.textLength, Literal(len(a.text))))
        if a.title:
            g.add((node, SDO.headline, Literal(a.title, lang="zh")))
            g.add((node, RDFS.label, Literal(a.title, lang="zh")))
        if a.published:
            g.add((node, SDO.datePublished, typed_date(a.published)))
        if a.date:
            g.add((node, SDO.dateCreated, typed_date(a.date)))
        if a.dateline:
            g.add((node, KG.dateline, Literal(a.dateline, lang="zh")))
        if a.url:
            g.add((node, SDO.url, Literal(a.url, datatype=XSD.anyURI)))
        if a.path:
            g.add((node, KG.sourceFile, Literal(a.path)))
        if publisher := self.c.publishers.get(a.id):
            g.add((node, SDO.publisher, URIRef(publisher)))

    def credits(self, a: Article, index: dict) -> None:
        g = self.g
        node = article_iri(a.id, self.base)
        agency = self.c.agencies.get(a.id)
        if agency:
            g.add((node, KG.agency, URIRef(agency)))
        for credit in a.credits:
            person = index.get((a.id, credit.start, credit.end))
            if person is None:
                continue
            prop = SDO.author if credit.role == "reporter" else SDO.contributor
            g.add((node, prop, URIRef(person.iri)))
            if not agency:
                continue
            m = hash_iri(self.base, "membership", a.id, credit.start, person.iri, agency)
            g.add((m, RDF.type, ORG.Membership))
            g.add((m, ORG.member, URIRef(person.iri)))
            g.add((m, ORG.organization, URIRef(agency)))
            g.add((m, ORG.role, self.role(CREDIT_ROLE.get(credit.role, credit.role))))
            g.add((m, KG.subjectMention, span_iri(a.id, credit.start, credit.end, self.base)))
            part = next((p for p in a.parts if p.start <= credit.start < p.end), None)
            s, e = (part.start, part.end) if part else (credit.start, credit.end)
            self.provenance(m, a.id, s, e, f"credit:{credit.role}", 0.95)

    def relation(self, r: Relation) -> None:
        g = self.g
        pred = registry.predicate(r.predicate)
        subj = URIRef(r.subject_iri)
        obj = URIRef(r.object_iri) if r.object_iri else None
        if pred.form == "membership" and obj is not None:
            node = hash_iri(self.base, "membership", r.article_id, r.subject.start,
                            r.subject_iri, r.role, r.object_iri)
            g.add((node, RDF.type, ORG.Membership))
            g.add((node, ORG.member, subj))
            g.add((node, ORG.organization, obj))
            g.add((node, ORG.role, self.role(r.role)))
        else:
            prop = expand(pred.property_for(r.subject.type))
            if pred.form == "membership":  # a bare title: 国家主席习近平
                target = self.role(r.role)
            elif obj is None:
                raise ValueError(f"a {r.predicate} relation needs an object: {r}")
            else:
                target = obj
            g.add((subj, prop, target))
            node = hash_iri(self.base, "statement", r.article_id, r.subject.start,
                            r.subject_iri, prop, target)
            g.add((node, RDF.type, KG.Statement))
            g.add((node, RDF.subject, subj))
            g.add((node, RDF.predicate, prop))
            g.add((node, RDF.object, target))
        g.add((node, KG.subjectMention, span_iri(r.article_id, r.subject.start, r.subject.end,
                                                 self.base)))
        if r.object is not None:
            g.add((node, KG.objectMention, span_iri(r.article_id, r.object.start, r.object.end,
                                                    self.base)))
        self.provenance(node, r.article_id, r.start, r.end, r.rule, r.score)

    def containment(self, child: str, parent: str) -> None:
        """A gazetteer fact: derived from the gazetteer, not from an article."""
        g = self.g
        g.add((URIRef(child), SDO.containedInPlace, URIRef(parent)))
        node = hash_iri(self.base, "statement", "gazetteer", child, parent)
        g.add((node, RDF.type, KG.Statement))
        g.add((node, RDF.subject, URIRef(child)))
        g.add((node, RDF.predicate, SDO.containedInPlace))
        g.add((node, RDF.object, URIRef(parent)))
        g.add((node, PROV.wasDerivedFrom, self.gazetteer_source()))
        g.add((node, KG.rule, Literal("gazetteer")))
        g.add((node, KG.confidence, Literal(1.0, datatype=XSD.decimal)))

    def gazetteer_source(self) -> URIRef:
        node = URIRef(f"{self.base}source/gazetteer")
        self.g.add((node, RDF.type, PROV.Entity))
        self.g.add((node, RDFS.label, Literal(GAZETTEER_LABEL, lang="en")))
        return node

    def event(self, ev: Event, index: dict) -> None:
        """One report of an event. The first report of a real event (its IRI is
        the report's own) gives the node its label, date, trigger mention and
        confidence; every report adds its trigger, arguments and evidence."""
        g = self.g
        node = URIRef(self.c.event_node(ev))
        lead = str(node) == event_iri(ev, self.base)
        kind = registry.event_type(ev.type)
        if lead:  # a headline's 会见 telling the body's meeting again adds no class
            g.add((node, RDF.type, class_iri(kind.class_name)))
        g.add((node, KG.trigger, Literal(ev.trigger, lang="zh")))
        trig = Mention(ev.trigger_start, ev.trigger_end, ev.trigger, "EVENT",
                       score=ev.score, recognizer=ev.rule, article_id=ev.article_id)
        trigger = self.mention(trig)
        for role_id, m in ev.arguments:
            self.argument(node, kind.role(role_id), index.get(mention_key(m)), m)
        if ev.part_of >= 0:
            parent = self.c.event_node(replace(ev, trigger_start=ev.part_of))
            if parent != str(node):
                g.add((node, SEM.subEventOf, URIRef(parent)))
        g.add((node, PROV.wasDerivedFrom, article_iri(ev.article_id, self.base)))
        g.add((node, KG.evidence, self.evidence(ev.article_id, ev.start, ev.end)))
        if ev.rule:
            g.add((node, KG.rule, Literal(ev.rule)))
        if not lead:
            return
        g.add((node, RDFS.label, Literal(ev.label, lang="zh")))
        g.add((node, KG.triggerMention, trigger))
        g.add((node, KG.confidence, Literal(round(ev.score, 3), datatype=XSD.decimal)))
        if ev.date:
            g.add((node, SDO.startDate, typed_date(ev.date)))
            g.add((node, SEM.hasTimeStamp, Literal(ev.date)))
        elif ev.date_text:
            a = self.articles[ev.article_id]
            if a.date or a.published:
                g.add((node, KG.notAfter, typed_date(a.date or a.published or "")))
        if ev.date_text:
            g.add((node, KG.dateText, Literal(ev.date_text, lang="zh")))

    def argument(self, node: URIRef, role: Role, entity: Entity | None, m: Mention) -> None:
        """One argument: a link to its entity, or its text where the role takes literals."""
        if entity is not None and role.links_entities:
            value: URIRef | Literal = URIRef(entity.iri)
        elif role.takes_literals:  # an amount, a score, a time as written
            value = Literal(m.text, lang="zh")
        else:
            return  # an entity argument that resolved to no entity
        self.g.add((node, role_iri(role), value))
        if role.super and (isinstance(value, URIRef) or "TIME" in role.entity):
            # materialised, so "every actor of every event" needs no reasoner
            self.g.add((node, expand(role.super), value))


class _Discard:
    """A sink for the triples a partial pass does not make."""

    def add(self, triple: tuple) -> None:
        pass


def add_corpus(g: Graph, corpus: Corpus, *, text: bool = True, resolved: bool = True) -> Graph:
    """Add the records of ``corpus`` to ``g`` and return it.

    The triples come in two kinds, and a streaming build makes them apart:
    ``text`` ones are about text spans (mentions, evidence sentences) and
    article lengths, and need the article text but no resolution;
    ``resolved`` ones (entities, links to spans, facts, events, articles)
    need every mention of the corpus but no text. Both together are the
    whole graph.
    """
    builder = _Builder(g, corpus, text=text, resolved=resolved)
    index = {mention_key(m): e for e in corpus.entities for m in e.mentions}
    for a in corpus.articles:
        builder.article(a)
    extra, containment = place_hierarchy(corpus.entities, corpus.base)
    for e in (*corpus.entities, *extra):
        builder.entity(e)
    for child, parent in containment:
        builder.containment(child, parent)
    for a in corpus.articles:
        builder.credits(a, index)
    for r in corpus.relations:
        builder.relation(r)
    for ev in corpus.events:
        builder.event(ev, index)
    return g


def to_graph(corpus: Corpus) -> Graph:
    """A new graph holding ``corpus``."""
    return add_corpus(new_graph(), corpus)
