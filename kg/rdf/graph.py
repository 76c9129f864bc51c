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
from typing import Any
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg import registry
from kg.model import Article, Entity, Event, Mention, Relation
from kg.rdf.iris import article_iri, hash_iri, span_iri, typed_date
from kg.rdf.namespace import KG, NIF, ORG, PREFIXES, PROV, RDF, RDFS, SDO, SEM, SKOS
from kg.rdf.ontology import class_iri, expand, role_iri
from kg.rdf.terms import ESCAPES, nt_term
from kg.resolve import DEFAULT_BASE, event_iri, mention_key, place_hierarchy
from kg.schema import Role
from kg.text.sentences import SentenceIndex
from kg.types import by_code

__all__ = ["Corpus", "add_corpus", "article_iri", "corpus_lines", "new_graph", "span_iri",
           "to_graph", "typed_date"]

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


# The builder writes N-Triples lines (``<s> <p> <o> .\n``) straight away: a
# build makes millions of triples, and an rdflib term per node (then formatted
# again for Oxigraph) cost more than the rest of triple making. Fixed terms are
# formatted once, repeated literals are shared.
_TYPE, _LABEL, _ALT = nt_term(RDF.type), nt_term(RDFS.label), nt_term(SKOS.altLabel)
_ARTICLE, _EVIDENCE, _CONFIDENCE = nt_term(KG.article), nt_term(KG.evidence), nt_term(KG.confidence)
_BEGIN, _END, _ANCHOR = nt_term(NIF.beginIndex), nt_term(NIF.endIndex), nt_term(NIF.anchorOf)
_RECOGNIZER, _SOURCE_OFFSET = nt_term(KG.recognizer), nt_term(KG.sourceOffset)
_MENTION_CLASS, _EVIDENCE_CLASS = nt_term(KG.Mention), nt_term(KG.Evidence)
_MENTION, _DERIVED, _RULE = nt_term(KG.mention), nt_term(PROV.wasDerivedFrom), nt_term(KG.rule)
_SUBJECT_MENTION, _OBJECT_MENTION = nt_term(KG.subjectMention), nt_term(KG.objectMention)
_MEMBERSHIP, _MEMBER = nt_term(ORG.Membership), nt_term(ORG.member)
_ORGANIZATION, _ROLE = nt_term(ORG.organization), nt_term(ORG.role)
_STATEMENT = nt_term(KG.Statement)
_RDF_SUBJECT, _RDF_PREDICATE, _RDF_OBJECT = (nt_term(RDF.subject), nt_term(RDF.predicate),
                                            nt_term(RDF.object))
_CONTAINED = nt_term(SDO.containedInPlace)


def _iri(iri: str) -> str:
    return f"<{iri}>"


def _zh(text: str) -> str:
    """``Literal(text, lang="zh")`` in N-Triples."""
    return f'"{text.translate(ESCAPES)}"@zh'


def _str(text: str) -> str:
    """``Literal(text)`` in N-Triples."""
    return f'"{text.translate(ESCAPES)}"'


@lru_cache(maxsize=1 << 16, typed=True)  # typed: True is not 1
def _int(n: int) -> str:
    """``Literal(n)`` in N-Triples, shared (offsets repeat across articles)."""
    return nt_term(Literal(n))


@lru_cache(maxsize=1 << 12, typed=True)  # typed: 1 and 1.0 are different decimals
def _decimal(x: float) -> str:
    """``Literal(x, datatype=XSD.decimal)`` in N-Triples (scores are rounded to 3 places)."""
    return nt_term(Literal(x, datatype=XSD.decimal))


@lru_cache(maxsize=1 << 10)
def _plain(text: str) -> str:
    """``Literal(text)`` for the few strings that repeat (recognizer and rule names)."""
    return _str(text)


@lru_cache(maxsize=1 << 10)
def _term(t: URIRef | Literal) -> str:
    """A (fixed) rdflib term in N-Triples: classes, properties, dates."""
    return nt_term(t)


class _Builder:
    """Adds a corpus to a list of N-Triples lines; one method per kind of record.

    ``self.r`` takes the lines that need resolved entities, ``self.t`` the
    lines about text spans; either is None when its kind is not made.
    """

    def __init__(self, lines: list[str], corpus: Corpus, *, text: bool = True,
                 resolved: bool = True) -> None:
        self.r = lines.append if resolved else None
        self.t = lines.append if text else None
        self.c = corpus
        self.base = corpus.base
        self.articles = {a.id: a for a in corpus.articles}
        self._sentences: dict[str, SentenceIndex] = {}
        self._article_iris: dict[str, str] = {}
        # nodes whose own triples are already out: a sentence is the evidence of
        # each of its mentions (a third of a batch's lines were such repeats)
        self._done: set[str] = set()

    # -- helpers
    def sentence_of(self, article_id: str, pos: int) -> tuple[int, int] | None:
        if article_id not in self._sentences:
            self._sentences[article_id] = SentenceIndex(self.articles[article_id].text)
        return self._sentences[article_id].at(pos)

    def _article_str(self, article_id: str) -> str:
        """The article's IRI (without brackets)."""
        node = self._article_iris.get(article_id)
        if node is None:
            node = self._article_iris[article_id] = str(article_iri(article_id, self.base))
        return node

    def _article(self, article_id: str) -> str:
        return f"<{self._article_str(article_id)}>"

    def _span(self, article_id: str, start: int, end: int) -> str:
        return f"<{self._article_str(article_id)}#char={start},{end}>"  # = span_iri

    def evidence(self, article_id: str, start: int, end: int) -> str:
        node = self._span(article_id, start, end)
        add = self.t
        if add is None or node in self._done:
            return node
        self._done.add(node)
        add(f"{node} {_TYPE} {_EVIDENCE_CLASS} .\n"
            f"{node} {_ARTICLE} {self._article(article_id)} .\n"
            f"{node} {_BEGIN} {_int(start)} .\n"
            f"{node} {_END} {_int(end)} .\n"
            f"{node} {_ANCHOR} {_str(self.articles[article_id].text[start:end])} .\n")
        return node

    def mention(self, m: Mention) -> str:
        node = self._span(m.article_id, m.start, m.end)
        add = self.t
        if add is None:
            return node
        add(f"{node} {_TYPE} {_MENTION_CLASS} .\n"
            f"{node} {_ARTICLE} {self._article(m.article_id)} .\n"
            f"{node} {_BEGIN} {_int(m.start)} .\n"
            f"{node} {_END} {_int(m.end)} .\n"
            f"{node} {_ANCHOR} {_str(m.text)} .\n")
        if m.recognizer:
            add(f"{node} {_RECOGNIZER} {_plain(m.recognizer)} .\n")
        add(f"{node} {_CONFIDENCE} {_decimal(round(m.score, 3))} .\n")
        src = self.articles[m.article_id].source_offset(m.start)
        if src is not None:
            add(f"{node} {_SOURCE_OFFSET} {_int(src)} .\n")
        sent = self.sentence_of(m.article_id, m.start)
        if sent is not None:
            add(f"{node} {_EVIDENCE} {self.evidence(m.article_id, *sent)} .\n")
        return node

    def provenance(self, node: str, article_id: str, start: int, end: int,
                   rule: str, score: float) -> None:
        evidence = self.evidence(article_id, start, end)
        add = self.r
        if add is None:
            return
        add(f"{node} {_DERIVED} {self._article(article_id)} .\n"
            f"{node} {_EVIDENCE} {evidence} .\n")
        if rule:
            add(f"{node} {_RULE} {_plain(rule)} .\n")
        add(f"{node} {_CONFIDENCE} {_decimal(round(score, 3))} .\n")

    def role(self, label: str) -> str:
        node = f"<{self.base}role/{quote(label, safe='')}>"
        if self.r is not None and node not in self._done:
            self._done.add(node)
            self.r(f"{node} {_TYPE} {_term(KG.Role)} .\n{node} {_LABEL} {_zh(label)} .\n")
        return node

    # -- records
    def entity(self, e: Entity) -> None:
        add = self.r
        node = _iri(e.iri)
        if add is not None:
            add(f"{node} {_TYPE} {_term(KG[by_code(e.type).name])} .\n"
                f"{node} {_LABEL} {_zh(e.label)} .\n")
            for alias in e.aliases:
                add(f"{node} {_ALT} {_zh(alias)} .\n")
        for m in e.mentions:
            mention = self.mention(m)
            if add is not None:
                add(f"{node} {_MENTION} {mention} .\n")

    def article(self, a: Article) -> None:
        node = self._article(a.id)
        if self.t is not None:
            self.t(f"{node} {_term(KG.textLength)} {_int(len(a.text))} .\n")
        add = self.r
        if add is None:
            return
        add(f"{node} {_TYPE} {_term(KG.NewsArticle)} .\n")
        if a.title:
            add(f"{node} {_term(SDO.headline)} {_zh(a.title)} .\n"
                f"{node} {_LABEL} {_zh(a.title)} .\n")
        if a.published:
            add(f"{node} {_term(SDO.datePublished)} {_term(typed_date(a.published))} .\n")
        if a.date:
            add(f"{node} {_term(SDO.dateCreated)} {_term(typed_date(a.date))} .\n")
        if a.dateline:
            add(f"{node} {_term(KG.dateline)} {_zh(a.dateline)} .\n")
        if a.url:
            add(f"{node} {_term(SDO.url)} {nt_term(Literal(a.url, datatype=XSD.anyURI))} .\n")
        if a.path:
            add(f"{node} {_term(KG.sourceFile)} {_str(a.path)} .\n")
        if publisher := self.c.publishers.get(a.id):
            add(f"{node} {_term(SDO.publisher)} {_iri(publisher)} .\n")

    def credits(self, a: Article, index: dict) -> None:
        add = self.r or _discard
        node = self._article(a.id)
        agency = self.c.agencies.get(a.id)
        if agency:
            add(f"{node} {_term(KG.agency)} {_iri(agency)} .\n")
        for credit in a.credits:
            person = index.get((a.id, credit.start, credit.end))
            if person is None:
                continue
            prop = SDO.author if credit.role == "reporter" else SDO.contributor
            add(f"{node} {_term(prop)} {_iri(person.iri)} .\n")
            if not agency:
                continue
            m = _iri(hash_iri(self.base, "membership", a.id, credit.start, person.iri, agency))
            add(f"{m} {_TYPE} {_MEMBERSHIP} .\n"
                f"{m} {_MEMBER} {_iri(person.iri)} .\n"
                f"{m} {_ORGANIZATION} {_iri(agency)} .\n"
                f"{m} {_ROLE} {self.role(CREDIT_ROLE.get(credit.role, credit.role))} .\n"
                f"{m} {_SUBJECT_MENTION} {self._span(a.id, credit.start, credit.end)} .\n")
            part = next((p for p in a.parts if p.start <= credit.start < p.end), None)
            s, e = (part.start, part.end) if part else (credit.start, credit.end)
            self.provenance(m, a.id, s, e, f"credit:{credit.role}", 0.95)

    def relation(self, r: Relation) -> None:
        pred = registry.predicate(r.predicate)
        add = self.r
        if add is None:  # only the evidence sentence is text
            self.evidence(r.article_id, r.start, r.end)
            return
        subj = _iri(r.subject_iri)
        obj = _iri(r.object_iri) if r.object_iri else None
        if pred.form == "membership" and obj is not None:
            node = _iri(hash_iri(self.base, "membership", r.article_id, r.subject.start,
                                 r.subject_iri, r.role, r.object_iri))
            add(f"{node} {_TYPE} {_MEMBERSHIP} .\n"
                f"{node} {_MEMBER} {subj} .\n"
                f"{node} {_ORGANIZATION} {obj} .\n"
                f"{node} {_ROLE} {self.role(r.role)} .\n")
        else:
            prop_iri = expand(pred.property_for(r.subject.type))
            prop = _term(prop_iri)
            if pred.form == "membership":  # a bare title: 国家主席习近平
                target = self.role(r.role)
            elif obj is None:
                raise ValueError(f"a {r.predicate} relation needs an object: {r}")
            else:
                target = obj
            add(f"{subj} {prop} {target} .\n")
            # the hash of the old rdflib terms: str() of the IRIs, without brackets
            node = _iri(hash_iri(self.base, "statement", r.article_id, r.subject.start,
                                 r.subject_iri, prop_iri, target[1:-1]))
            add(f"{node} {_TYPE} {_STATEMENT} .\n"
                f"{node} {_RDF_SUBJECT} {subj} .\n"
                f"{node} {_RDF_PREDICATE} {prop} .\n"
                f"{node} {_RDF_OBJECT} {target} .\n")
        add(f"{node} {_SUBJECT_MENTION} "
            f"{self._span(r.article_id, r.subject.start, r.subject.end)} .\n")
        if r.object is not None:
            add(f"{node} {_OBJECT_MENTION} "
                f"{self._span(r.article_id, r.object.start, r.object.end)} .\n")
        self.provenance(node, r.article_id, r.start, r.end, r.rule, r.score)

    def containment(self, child: str, parent: str) -> None:
        """A gazetteer fact: derived from the gazetteer, not from an article."""
        add = self.r
        if add is None:
            return
        c, p = _iri(child), _iri(parent)
        node = _iri(hash_iri(self.base, "statement", "gazetteer", child, parent))
        add(f"{c} {_CONTAINED} {p} .\n"
            f"{node} {_TYPE} {_STATEMENT} .\n"
            f"{node} {_RDF_SUBJECT} {c} .\n"
            f"{node} {_RDF_PREDICATE} {_CONTAINED} .\n"
            f"{node} {_RDF_OBJECT} {p} .\n"
            f"{node} {_DERIVED} {self.gazetteer_source()} .\n"
            f"{node} {_RULE} {_plain('gazetteer')} .\n"
            f"{node} {_CONFIDENCE} {_decimal(1.0)} .\n")

    def gazetteer_source(self) -> str:
        node = f"<{self.base}source/gazetteer>"
        if self.r is not None and node not in self._done:
            self._done.add(node)
            self.r(f"{node} {_TYPE} {_term(PROV.Entity)} .\n"
                   f"{node} {_LABEL} {nt_term(Literal(GAZETTEER_LABEL, lang='en'))} .\n")
        return node

    def event(self, ev: Event, index: dict) -> None:
        """One report of an event. The first report of a real event (its IRI is
        the report's own) gives the node its label, date, trigger mention and
        confidence; every report adds its trigger, arguments and evidence."""
        kind = registry.event_type(ev.type)
        trig = Mention(ev.trigger_start, ev.trigger_end, ev.trigger, "EVENT",
                       score=ev.score, recognizer=ev.rule, article_id=ev.article_id)
        add = self.r
        if add is None:  # the trigger's mention and the evidence sentence are text
            self.mention(trig)
            self.evidence(ev.article_id, ev.start, ev.end)
            return
        iri = self.c.event_node(ev)
        node = _iri(iri)
        lead = iri == event_iri(ev, self.base)
        if lead:  # a headline's 会见 telling the body's meeting again adds no class
            add(f"{node} {_TYPE} {_term(class_iri(kind.class_name))} .\n")
        add(f"{node} {_term(KG.trigger)} {_zh(ev.trigger)} .\n")
        trigger = self.mention(trig)
        for role_id, m in ev.arguments:
            self.argument(node, kind.role(role_id), index.get(mention_key(m)), m)
        if ev.part_of >= 0:
            parent = self.c.event_node(replace(ev, trigger_start=ev.part_of))
            if parent != iri:
                add(f"{node} {_term(SEM.subEventOf)} {_iri(parent)} .\n")
        add(f"{node} {_DERIVED} {self._article(ev.article_id)} .\n"
            f"{node} {_EVIDENCE} {self.evidence(ev.article_id, ev.start, ev.end)} .\n")
        if ev.rule:
            add(f"{node} {_RULE} {_plain(ev.rule)} .\n")
        if not lead:
            return
        add(f"{node} {_LABEL} {_zh(ev.label)} .\n"
            f"{node} {_term(KG.triggerMention)} {trigger} .\n"
            f"{node} {_CONFIDENCE} {_decimal(round(ev.score, 3))} .\n")
        if ev.date:
            add(f"{node} {_term(SDO.startDate)} {_term(typed_date(ev.date))} .\n"
                f"{node} {_term(SEM.hasTimeStamp)} {_plain(ev.date)} .\n")
        elif ev.date_text:
            a = self.articles[ev.article_id]
            if a.date or a.published:
                add(f"{node} {_term(KG.notAfter)} "
                    f"{_term(typed_date(a.date or a.published or ''))} .\n")
        if ev.date_text:
            add(f"{node} {_term(KG.dateText)} {_zh(ev.date_text)} .\n")

    def argument(self, node: str, role: Role, entity: Entity | None, m: Mention) -> None:
        """One argument: a link to its entity, or its text where the role takes literals."""
        if entity is not None and role.links_entities:
            value, linked = _iri(entity.iri), True
        elif role.takes_literals:  # an amount, a score, a time as written
            value, linked = _zh(m.text), False
        else:
            return  # an entity argument that resolved to no entity
        add = self.r
        assert add is not None
        add(f"{node} {_term(role_iri(role))} {value} .\n")
        if role.super and (linked or "TIME" in role.entity):
            # materialised, so "every actor of every event" needs no reasoner
            add(f"{node} {_term(expand(role.super))} {value} .\n")


def _discard(line: str) -> None:
    """Where a text-only pass sends the lines it does not make."""


def corpus_lines(corpus: Corpus, *, text: bool = True, resolved: bool = True) -> list[str]:
    """The triples of ``corpus`` as N-Triples lines (each ends with `` .\\n``).

    The triples come in two kinds, and a streaming build makes them apart:
    ``text`` ones are about text spans (mentions, evidence sentences) and
    article lengths, and need the article text but no resolution;
    ``resolved`` ones (entities, links to spans, facts, events, articles)
    need every mention of the corpus but no text. Both together are the
    whole graph.

    >>> a = Article("a1", "新华社北京电")
    >>> e = Entity("北京", "北京", "LOC", iri="https://e.org/place/北京",
    ...            mentions=(Mention(3, 5, "北京", "LOC", article_id="a1"),))
    >>> lines = corpus_lines(Corpus((a,), (e,), (), (), base="https://e.org/"), resolved=False)
    >>> lines[1].splitlines()[-1].split(" ", 2)[2]
    '"北京" .'
    """
    lines: list[str] = []
    builder = _Builder(lines, corpus, text=text, resolved=resolved)
    index = {mention_key(m): e for e in corpus.entities for m in e.mentions}
    for a in corpus.articles:
        builder.article(a)
    extra, containment = (place_hierarchy(corpus.entities, corpus.base) if resolved
                          else ([], []))  # the containing places have no mentions
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
    return lines


def add_corpus(g: Graph | Any, corpus: Corpus, *, text: bool = True,
               resolved: bool = True) -> Any:
    """Add the records of ``corpus`` to ``g`` and return it.

    ``g`` is an rdflib :class:`~rdflib.Graph` (the lines are parsed into it)
    or anything that takes N-Triples lines with ``extend`` (a list, a
    :class:`~kg.rdf.store_sink.StoreSink`). ``text`` and ``resolved`` are
    as for :func:`corpus_lines`.
    """
    lines = corpus_lines(corpus, text=text, resolved=resolved)
    if isinstance(g, Graph):
        g.parse(data="".join(lines), format="nt")
    else:
        g.extend(lines)
    return g


def to_graph(corpus: Corpus) -> Graph:
    """A new graph holding ``corpus``."""
    return add_corpus(new_graph(), corpus)
