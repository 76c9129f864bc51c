"""The registry and the schema: types, roles and predicates as data, steps by name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF, RDFS

import kg
from kg import registry
from kg.build.runners import run_batches
from kg.extract import Extraction
from kg.extract import events as rule_events
from kg.lexicon import files
from kg.model import Article, Event, Mention
from kg.rdf.graph import Corpus, new_graph
from kg.rdf.graph import add_corpus as graph_add
from kg.rdf.namespace import KG, SEM
from kg.rdf.ontology import class_iri, event_ontology, expand, role_iri
from kg.schema import parse_event_schema

ROOT = Path(__file__).resolve().parents[1]
STANDARD = ("http://semanticweb.cs.vu.nl/2009/11/sem/", "https://schema.org/",
            "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#")


def test_the_ontology_files_are_made_from_the_schema() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_ontology.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_every_event_type_is_a_labelled_class_with_a_parent() -> None:
    g = event_ontology()
    for t in registry.event_types().values():
        node = class_iri(t.class_name)
        assert (node, RDFS.subClassOf, class_iri(t.parent)) in g, t.id
        langs = {lbl.language for lbl in g.objects(node, RDFS.label) if isinstance(lbl, Literal)}
        assert langs == {"zh", "en"}, t.id


def test_every_role_is_a_standard_property_or_a_sub_property_of_one() -> None:
    g = event_ontology()
    core = Graph().parse(ROOT / "ontology" / "kg.ttl")
    for t in registry.event_types().values():
        for r in t.roles:
            prop = role_iri(r)
            if r.super:
                assert (prop, RDFS.subPropertyOf, expand(r.super)) in g, (t.id, r.id)
                assert str(expand(r.super)).startswith(STANDARD), (t.id, r.id)
            else:  # used as it is: a standard property, or one of kg.ttl's
                assert str(prop).startswith(STANDARD) or (prop, None, None) in core, (t.id, r.id)


def test_every_trigger_names_a_type_of_the_schema() -> None:
    rows = files.tsv_rows("triggers.tsv", "schema")
    assert rows and {kind for _, kind, *_ in rows} <= set(registry.event_types())
    assert len(rule_events._triggers()) == len(rows)


def test_a_trigger_of_an_unknown_type_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    real = files.resource_text

    def fake(*parts: str) -> str:
        text = real(*parts)
        return text + "罢工\tstrike\n" if parts == ("schema", "triggers.tsv") else text

    monkeypatch.setattr(files, "resource_text", fake)
    rule_events._triggers.cache_clear()
    try:
        with pytest.raises(kg.UsageError, match="unknown event type 'strike'"):
            rule_events._triggers()
    finally:
        monkeypatch.undo()
        rule_events._triggers.cache_clear()


def test_an_event_of_an_unregistered_type_or_role_is_refused() -> None:
    text = "双方通电话。"
    art = Article("a", text, parts=())
    person = Mention(0, 2, "双方", "PER", article_id="a")
    for ev, message in (
        (Event("a", 0, 6, text, "通电话", 2, 5, "phonecall"), "unknown event type 'phonecall'"),
        (Event("a", 0, 6, text, "通电话", 2, 5, "communication",
               arguments=(("caller", person),)), "has no role 'caller'"),
    ):
        corpus = Corpus((art,), (), (), (ev,))
        with pytest.raises(kg.UsageError, match=message):
            graph_add(new_graph(), corpus)


def test_a_schema_role_needs_a_standard_super_property_or_a_property() -> None:
    bad = ('[[type]]\nid = "x"\nzh = "甲"\nen = "x"\n'
           '[[type.role]]\nid = "y"\nzh = "乙"\nen = "y"\nentity = ["PER"]\n')
    with pytest.raises(kg.UsageError, match="give 'super'"):
        parse_event_schema(bad, "bad.toml")
    with pytest.raises(kg.UsageError, match="entity kinds"):
        parse_event_schema(bad.replace('["PER"]', '["CAR"]') + 'super = "sem:hasActor"\n')


def _honorifics(text: str, mentions):
    """A user's rule: a name before 先生/女士 is a person (王小明先生)."""
    import re

    return [kg.Mention(m.start(1), m.end(1), m.group(1), "PER", recognizer="rule:honorific")
            for m in re.finditer(r"([\u4e00-\u9fff]{2,3})(?:先生|女士)", text)]


def test_kg_ships_no_rule_steps_and_a_step_is_replaced_under_its_name() -> None:
    text = "记者见到了王小明先生"
    assert registry.recognizer_steps("propose") == []  # every rule lost on dev (README)
    with registry.scoped():
        registry.recognizer_step("honorifics", stage="propose")(_honorifics)
        registry.recognizer_step("tail", stage="propose")(lambda text, mentions: [])
        assert "rule:honorific" in {m.recognizer for m in kg.recognize(text)}
        registry.recognizer_step("honorifics", stage="propose")(lambda text, mentions: [])
        names = [s.name for s in registry.recognizer_steps("propose")]
        assert names == ["honorifics", "tail"]  # replaced in its place
        assert "rule:honorific" not in {m.recognizer for m in kg.recognize(text)}
    assert registry.recognizer_steps("propose") == []


def test_steps_run_in_the_declared_order() -> None:
    with registry.scoped():
        registry.recognizer_step("middle", stage="filter")(lambda text, mentions: mentions)
        registry.recognizer_step("first", stage="filter", before="middle")(
            lambda text, mentions: mentions)
        registry.recognizer_step("last", stage="filter")(lambda text, mentions: mentions)
        names = [s.name for s in registry.recognizer_steps("filter")]
        assert names == ["first", "middle", "last"]
        registry.recognizer_step("x", stage="filter", after="nothing")(lambda t, m: m)
        with pytest.raises(kg.UsageError, match="cannot place 'x' next to 'nothing'"):
            registry.recognizer_steps("filter")


def test_placement_does_not_depend_on_registration_order() -> None:
    with registry.scoped():
        registry.relation_extractor("b", after="a")(lambda ctx: Extraction())
        registry.relation_extractor("c", before="b")(lambda ctx: Extraction())
        registry.relation_extractor("a", after="events")(lambda ctx: Extraction())
        names = [e.name for e in registry.relation_extractors()]
        at = names.index("events")
        assert names[at + 1:at + 4] == ["a", "c", "b"]


def test_the_base_recognizer_is_an_argument() -> None:
    text = "国家主席习近平在北京会见外宾"
    by_model = {m.recognizer for m in kg.recognize(text)}
    by_jieba = {m.recognizer for m in kg.recognize(text, base="jieba")}
    assert "model" in by_model and "jieba" in by_jieba and "model" not in by_jieba
    with pytest.raises(kg.UsageError, match="unknown base recognizer 'crf'"):
        kg.recognize(text, base="crf")


def test_a_local_extractor_cannot_go_to_workers_and_says_why() -> None:
    def local(ctx):
        return Extraction()

    with registry.scoped():
        registry.relation_extractor("local")(local)
        batches = iter([[Article("a", "正文。")]])
        with pytest.raises(kg.UsageError, match="top level of a module"):
            next(run_batches(batches, workers=2))


def test_shipped_roles_keep_their_standard_properties() -> None:
    meeting = registry.event_type("meeting")
    assert [(r.id, role_iri(r)) for r in meeting.roles] == [
        ("participant", SEM.hasActor), ("organizer", expand("kg:organizer")),
        ("place", SEM.hasPlace), ("object", KG.about)]
    organizer = meeting.role("organizer")
    assert expand(organizer.super) == SEM.hasActor  # who holds it is an actor too
    assert (class_iri(meeting.class_name), RDF.type, OWL.Class) in event_ontology()
