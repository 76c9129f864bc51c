"""kg extended from outside the package: an event type with two roles and two extractors.

Nothing here edits kg: the test registers a strike event type (from a schema
file of its own), a relation predicate and two extractors, builds a page,
and finds the event and the relation in the graph, in SHACL-valid RDF and in
``g.relations(...)``. ``registry.scoped()`` undoes the registrations after.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from rdflib import URIRef

import kg
from kg import registry
from kg.extract import ArticleContext, Extraction
from kg.model import Event, Relation
from kg.rdf.namespace import RDF, RDFS, SEM
from kg.rdf.validate import validate
from kg.schema import Predicate

EX = "https://example.org/labour#"

STRIKE_SCHEMA = f'''
[[type]]
id = "strike"
class = "{EX}Strike"
zh = "罢工"
en = "strike"
comment = "Workers stop work to press their demands."
[[type.role]]
id = "striker"
zh = "罢工方"
en = "striker"
entity = ["ORG", "PER"]
property = "{EX}striker"
super = "sem:hasActor"
[[type.role]]
id = "place"
zh = "地点"
en = "place"
entity = ["LOC"]
property = "sem:hasPlace"
relation = "place_of"
'''

PAGE = ("新华社柏林3月1日电 德国铁路公司2月28日在柏林发生罢工，法兰克福机场也受影响。"
        "宁德时代新能源科技股份有限公司向特斯拉公司供应动力电池。")


def strikes(ctx: ArticleContext) -> Extraction:
    """罢工: the organizations before it strike, the place after 在 is where."""
    found = []
    for s, e in ctx.sentences:
        for hit in re.finditer("罢工", ctx.text[s:e]):
            t0 = s + hit.start()
            inside = [m for m in ctx.inside((s, e)) if m.end <= t0]
            args = [("striker", m) for m in inside if m.type == "ORG"]
            args += [("place", m) for m in inside
                     if m.type == "LOC" and ctx.text[m.start - 1] == "在"]
            found.append(Event(ctx.article.id, s, e, ctx.text[s:e], "罢工", t0, t0 + 2,
                               "strike", arguments=tuple(args), rule="test:strike", score=0.9))
    return Extraction(events=tuple(found))


def supplies(ctx: ArticleContext) -> Extraction:
    """X向Y供应…: X supplies Y."""
    found = []
    for sent in ctx.sentences:
        orgs = [m for m in ctx.inside(sent) if m.type == "ORG"]
        for a, b in pairwise(orgs):
            if ctx.text[a.end:b.start] == "向" and ctx.text.startswith("供应", b.end):
                found.append(Relation(a, "supplies", b, ctx.article.id, *sent,
                                      ctx.text[sent[0]:sent[1]], rule="test:supplies"))
    return Extraction(relations=tuple(found))


@pytest.fixture
def extended(tmp_path: Path):
    schema = tmp_path / "labour.toml"
    schema.write_text(STRIKE_SCHEMA, encoding="utf-8")
    with registry.scoped():
        registry.load_event_schema(schema)
        registry.register_predicate(Predicate("supplies", "供应", "supplies", f"{EX}supplies",
                                              subject_types=("ORG",), object_types=("ORG",)))
        registry.relation_extractor("strikes", before="events")(strikes)  # first: it wins
        registry.relation_extractor("supplies", before="events")(supplies)
        page = tmp_path / "page.txt"
        page.write_text(PAGE, encoding="utf-8")
        yield kg.build([str(page)], date="2025-03-01")


def test_the_new_event_type_is_in_the_graph_with_both_roles(extended) -> None:
    g = extended.graph
    events = list(g.subjects(RDF.type, URIRef(f"{EX}Strike")))
    assert len(events) == 1
    ev = events[0]
    strikers = {str(g.value(o, RDFS.label)) for o in g.objects(ev, URIRef(f"{EX}striker"))}
    places = {str(g.value(o, RDFS.label)) for o in g.objects(ev, SEM.hasPlace)}
    assert strikers == {"德国铁路公司"} and places == {"柏林"}
    # the role's super-property is written too: "every actor of every event" finds it
    assert {str(g.value(o, RDFS.label)) for o in g.objects(ev, SEM.hasActor)} == {"德国铁路公司"}


def test_the_new_predicate_is_a_statement_in_the_graph(extended) -> None:
    g = extended.graph
    pairs = {(str(g.value(s, RDFS.label)), str(g.value(o, RDFS.label)))
             for s, o in g.subject_objects(URIRef(f"{EX}supplies"))}
    assert pairs == {("宁德时代新能源科技股份有限公司", "特斯拉公司")}


def test_both_read_back_through_relations(extended) -> None:
    catl = extended.relations("宁德时代新能源科技股份有限公司")
    supplied = [(r.predicate, r.object_label) for r in catl if r.predicate == "supplies"]
    assert supplied == [("supplies", "特斯拉公司")]
    parts = sorted((r.predicate, r.subject_label) for r in extended.relations("柏林")
                   if r.predicate.endswith("_of"))
    assert ("place_of", "柏林") in parts
    striker = [r for r in extended.relations("德国铁路公司") if r.predicate == "striker_of"]
    assert len(striker) == 1 and striker[0].evidence.startswith("德国铁路公司2月28日在柏林发生罢工")


def test_the_extended_graph_is_shacl_valid(extended) -> None:
    report = validate(extended.graph)
    assert report.conforms, [str(v) for v in report.violations[:5]]


def test_a_wrong_argument_kind_breaks_the_generated_shape(extended) -> None:
    g = extended.graph
    ev = next(iter(g.subjects(RDF.type, URIRef(f"{EX}Strike"))))
    article = next(iter(g.subjects(RDF.type, kg.rdf.namespace.KG.NewsArticle)))
    g.add((ev, URIRef(f"{EX}striker"), article))  # an article is no striker
    report = validate(g)
    assert not report.conforms
    assert any("striker" in v.message for v in report.violations)


def test_registrations_are_gone_after_the_scope(extended) -> None:
    assert "strike" in registry.event_types()
    with registry.scoped():
        pass
    assert "strikes" in [e.name for e in registry.relation_extractors()]


def test_unknown_types_and_roles_are_errors_not_defaults() -> None:
    with pytest.raises(kg.UsageError, match="unknown event type 'strike'"):
        registry.event_type("strike")
    with pytest.raises(kg.UsageError, match="has no role 'striker'"):
        registry.event_type("meeting").role("striker")
    with pytest.raises(kg.UsageError, match="unknown relation predicate 'supplies'"):
        registry.predicate("supplies")
