"""Entity resolution: merging what is one thing, never what is two."""

from __future__ import annotations

from kg.extract.context import make_relation
from kg.model import Mention
from kg.resolve import entity_index, entity_iri, link_relations, resolve, unify_types


def m(text: str, kind: str, article: str, start: int = 0, score: float = 0.9) -> Mention:
    return Mention(start, start + len(text), text, kind, score=score, article_id=article)


def test_same_name_and_type_is_one_entity_across_articles() -> None:
    ents = resolve([m("习近平", "PER", "a"), m("习近平", "PER", "b", 10)])
    assert [(e.label, len(e.mentions)) for e in ents] == [("习近平", 2)]


def test_place_with_and_without_suffix_merge() -> None:
    ents = resolve([m("大连", "LOC", "a"), m("大连市", "LOC", "a", 5), m("辽宁省", "LOC", "a", 9)])
    assert [(e.label, e.aliases) for e in ents] == [("大连市", ("大连",)), ("辽宁省", ())]


def test_city_union_takes_the_city_of_its_article() -> None:
    ents = resolve([
        m("大连市", "LOC", "a"), m("市总工会", "ORG", "a", 10),
        m("青岛市", "LOC", "b"), m("市总工会", "ORG", "b", 10),
    ])
    orgs = sorted(e.label for e in ents if e.type == "ORG")
    assert orgs == ["大连市总工会", "青岛市总工会"]


def test_city_union_with_two_cities_in_its_article_stays_local() -> None:
    ents = resolve([
        m("大连市", "LOC", "a"), m("沈阳市", "LOC", "a", 4), m("市总工会", "ORG", "a", 10),
        m("市总工会", "ORG", "b", 10),
    ])
    unions = [e for e in ents if e.type == "ORG"]
    assert len(unions) == 2  # never merged across articles
    assert {e.label for e in unions} == {"市总工会"}
    assert len({e.iri for e in unions}) == 2


def test_iris_are_stable_and_encoded() -> None:
    a = resolve([m("普京", "PER", "x")])[0].iri
    b = resolve([m("普京", "PER", "y", 7)])[0].iri
    assert a == b == entity_iri("PER:普京")
    assert a == "https://w3id.org/kg-cn/id/person/%E6%99%AE%E4%BA%AC"


def test_types_are_voted_by_score() -> None:
    ms = [m("普京", "PER", "a", 0, 0.9), m("普京", "LOC", "a", 9, 0.5),
          m("普京", "LOC", "b", 0, 0.3)]
    assert {x.type for x in unify_types(ms)} == {"PER"}
    assert [e.type for e in resolve(ms)] == ["PER"]


def test_two_people_sharing_a_surname_stay_apart() -> None:
    ents = resolve([m("王蕴琦", "PER", "a"), m("王芳", "PER", "a", 8)])
    assert sorted(e.label for e in ents) == ["王芳", "王蕴琦"]


def test_org_short_names_take_the_full_name() -> None:
    ents = resolve([m("全总", "ORG", "a"), m("中华全国总工会", "ORG", "b")])
    assert [(e.label, e.aliases) for e in ents] == [("中华全国总工会", ("全总",))]


def test_places_take_gazetteer_names_and_province_abbreviations() -> None:
    abbr = Mention(5, 6, "京", "LOC", subtype="abbreviation", article_id="a")
    ents = resolve([m("大连", "LOC", "a"), m("长春", "LOC", "b"), abbr])
    assert sorted(e.label for e in ents) == ["北京市", "大连市", "长春市"]


def test_ambiguous_district_is_chosen_by_its_article() -> None:
    ents = resolve([m("北京市", "LOC", "a"), m("朝阳区", "LOC", "a", 3),
                    m("长春市", "LOC", "b"), m("朝阳区", "LOC", "b", 3)])
    from kg.resolve import place_hierarchy

    districts = [e for e in ents if e.label == "朝阳区"]
    assert len(districts) == 2 and districts[0].iri != districts[1].iri
    _, pairs = place_hierarchy(ents)
    labels = {e.iri: e.label for e in ents}
    parents = sorted(labels[p] for c, p in pairs if c in {d.iri for d in districts})
    assert parents == ["北京市", "长春市"]


def test_one_character_places_are_abbreviations_of_their_country_or_province() -> None:
    """中美关系 and 在京 name 中国, 美国 and 北京市; 华 (no such abbreviation) stays as written."""
    ms = [Mention(s, s + 1, name, "LOC", article_id="a")
          for s, name in ((5, "中"), (6, "美"), (20, "京"), (30, "华"))]
    assert sorted((e.label, e.aliases) for e in resolve(ms)) == [
        ("中国", ("中",)), ("北京市", ("京",)), ("华", ()), ("美国", ("美",))]


def test_a_post_whose_holder_resolved_to_a_place_is_dropped() -> None:
    # one article tags 普京 PER under its title, two tag it LOC: the votes make it a
    # place, and a membership with a place as org:member would break the shapes
    text = "俄罗斯总统普京通电话"
    putin = m("普京", "PER", "a", 5)
    russia = m("俄罗斯", "LOC", "a")
    ents = resolve([russia, putin, m("普京", "LOC", "b"), m("普京", "LOC", "c")])
    post = make_relation(text, (0, len(text)), putin, "holds_position", russia, "a", role="总统")
    assert link_relations([post], entity_index(ents)) == []
    ents = resolve([russia, putin])  # voted a person: the post stays, linked to both
    (linked,) = link_relations([post], entity_index(ents))
    assert (linked.subject_label, linked.object_label, linked.role) == ("普京", "俄罗斯", "总统")
