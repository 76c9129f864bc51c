"""Events of whole articles: type, key roles, date, label, links — and what is no event.

The articles (tests/composed_articles.py) are our own: an earthquake,
a fire, a traffic accident, a national games, an acquisition with a product
launch, an arrest and a sentence, a phone call reported by two papers, talks
with a visit, a forum day, and a page of three articles under a masthead.
Each row names one event as a reader would: its type, its label (its name,
else the clause that states it), its date normalised against the article's,
the values its key roles must include, and the event it is part of. A row
the extractors genuinely miss is a strict xfail with the reason.
"""

from __future__ import annotations

import pytest
from composed_articles import ARTICLES, PAGE
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDFS

import kg
from kg.build.batch import analyze, text_triples
from kg.build.resolution import assemble, resolved_triples
from kg.ingest.reading import BuildReport, read_articles
from kg.model import Event
from kg.rdf.graph import to_graph
from kg.rdf.namespace import KG, SEM
from kg.rdf.terms import to_term
from kg.rdf.validate import validate

DATE = "2026-11-10"  # the --date of the build: datelines without a year fall before it

DOCS = {**ARTICLES, "page": PAGE}


def miss(reason: str):
    return pytest.mark.xfail(reason=reason, strict=True)


G_MISSES = {  # what NER variant G (2026-12-02) read wrong here, and T13 (2026-12-03) still does
    "g2": "X省人民政府 and X特别行政区政府 are read as the place only",
    "g3": "the rule opening and the model's EventOpening of one sentence stay two events",
    "g4": "华远科技 is not read as an organization, so the launch has no releaser",
    "g5": "the visit is read in the talks sentence, not in 黄循财赴天津考察",
    "g6": "广东省人民政府 is read as the place 广东省 only",
}


# (document, type, label, date, key roles: role → values it must include, part of: label)
ROWS = [
    ("quake", "Earthquake", "青海省海西州格尔木市发生5.9级地震", "2026-03-14",
     {"magnitude": {"5.9级"}, "focalDepth": {"12千米"}, "epicenter": {"青海省"}}, None),
    ("quake", "Death", "地震造成2人死亡、14人受伤", "2026-03-14", {"place": {"青海省"}},
     "青海省海西州格尔木市发生5.9级地震"),
    ("fire", "Fire", "浙江省台州市路桥区一家鞋材加工厂房发生火灾", "2026-04-01",
                 {"place": {"台州市"}}, None),
    ("fire", "Death", "火灾造成3人死亡", "2026-04-01", {},
     "浙江省台州市路桥区一家鞋材加工厂房发生火灾"),
    ("traffic", "TrafficAccident", "沈海高速江苏盐城段发生一起多车相撞的交通事故", "2026-05-06",
     {"deaths": {"4人"}, "injuries": {"6人"}, "place": {"盐城"}}, None),
    ("traffic", "Death", "造成4人死亡、6人受伤", "2026-05-06", {"place": {"盐城"}},
     "沈海高速江苏盐城段发生一起多车相撞的交通事故"),
    pytest.param("games", "competition", "第十五届全国运动会", "2026-11-09",
     {"place": {"广州市"},
      "organizer": {"广东省人民政府", "香港特别行政区政府", "澳门特别行政区政府"}}, None,
                 marks=miss(G_MISSES["g2"])),
    pytest.param("games", "opening", "第十五届全国运动会在广东省广州市开幕", "2026-11-09",
     {"place": {"广州市"}}, "第十五届全国运动会",
                 marks=miss(G_MISSES["g3"])),
    pytest.param("games", "WinTitle", "广东队选手梁子豪以10秒05的成绩夺得冠军", "2026-11-09",
                 {"champion": {"梁子豪"}}, "第十五届全国运动会",
                 marks=miss("the model gives this title no champion")),
    ("deal", "Acquisition", "公司拟以12亿元收购深圳星河半导体有限公司70%股权", "2026-06-09",
     {"buyer": {"华远科技股份有限公司"}, "salePrice": {"12亿元"},
      "tradedItem": {"深圳星河半导体有限公司"}}, None),
    pytest.param("deal", "ProductLaunch", "华远科技在深圳发布新一代车规级芯片“远芯3号”",
                 "2026-06-09",
     {"releaser": {"华远科技"}}, None,
                 marks=miss(G_MISSES["g4"])),
    ("police", "Arrest", "杭州市公安局西湖分局在江西南昌抓获犯罪嫌疑人王某",
                 "2026-07-12", {"arrester": {"杭州市公安局西湖分局"}, "arrestee": {"王某"}}, None),
    ("police", "Imprisonment", "西湖区人民法院日前以诈骗罪判处被告人张某某有期徒刑五年",
                 None, {"sentenceLength": {"五年"}, "prisoner": {"张某某"}}, None),
    ("call", "communication", "国家主席习近平应约同法国总统马克龙通电话", "2026-03-20",
     {"participant": {"习近平", "马克龙"}}, None),
    ("call2", "communication", "国家主席习近平3月20日晚同法国总统马克龙通电话", "2026-03-20",
     {"participant": {"习近平", "马克龙"}}, None),
    ("talks", "meeting",
                 "国务院总理李强在人民大会堂同来华进行正式访问的新加坡总理黄循财举行会谈",
                 "2026-04-08", {"participant": {"李强", "黄循财"}, "place": {"人民大会堂"}}, None),
    pytest.param("talks", "visit", "黄循财赴天津考察", "2026-04-08",
     {"participant": {"黄循财"}, "place": {"天津"}}, None,
                 marks=miss(G_MISSES["g5"])),
    ("forum", "meeting", "2026中关村论坛年会", "2026-03-26",
     {"place": {"北京"}, "organizer": {"科学技术部", "中国科学技术协会", "北京市人民政府"}}, None),
    ("forum", "opening", "2026中关村论坛年会在北京开幕", "2026-03-26", {}, "2026中关村论坛年会"),
    ("forum", "competition", "第三十届春季田径运动会", "2026-03-26",
     {"organizer": {"北京市第一六一中学"}}, None),
    ("forum", "activity", "“清朗·护苗”专项行动", "2026-03-26",
                 {"organizer": {"北京市网信办"}}, None),
    pytest.param("page", "meeting", "广东省人民政府在广州召开全省安全生产工作会议", "2026-08-02",
     {"participant": {"广东省人民政府"}, "place": {"广州"}}, None,
                 marks=miss(G_MISSES["g6"])),
    ("page", "Fire", "深圳市宝安区一居民楼发生火灾", "2026-08-01",
     {"deaths": {"1人"}, "place": {"宝安区"}}, None),
    ("page", "competition", "第二届粤港澳大湾区龙舟邀请赛", "2026-08-02",
     {"place": {"顺德区"}}, None),
    ("page", "WinTitle", "顺德龙舟队夺得男子500米直道竞速冠军", "2026-08-02",
     {"champion": {"顺德龙舟队"}}, "第二届粤港澳大湾区龙舟邀请赛"),
]

# (document, words that are no event: a generic meeting, activity or action)
NOT_EVENTS = [
    ("fire", "召开会议"), ("games", "这次活动"), ("games", "各项活动"), ("deal", "参加会议"),
    ("forum", "开展行动"), ("forum", "这次活动"), ("page", "召开会议"), ("page", "各项活动"),
]


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> list[str]:
    folder = tmp_path_factory.mktemp("composed")
    out = []
    for name, text in DOCS.items():
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        out.append(str(path))
    return out


@pytest.fixture(scope="module")
def results(paths):
    return analyze(read_articles(paths, date=DATE, strict=False, report=BuildReport()))


@pytest.fixture(scope="module")
def reports(results) -> dict[str, list[tuple[str, Event]]]:
    """Document name → (article text, event) of every event report, in order."""
    out: dict[str, list[tuple[str, Event]]] = {name: [] for name in DOCS}
    for r in results:
        name = r.article.path.rsplit("/", 1)[-1].removesuffix(".txt")
        out[name] += [(r.article.text, ev) for ev in r.extraction.events]
    return out


def _roles(ev: Event) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for role, m in ev.arguments:
        out.setdefault(role, set()).add(m.text)
    return out


@pytest.mark.parametrize(("doc", "kind", "label", "date", "roles", "part_of"), ROWS)
def test_event(reports, doc, kind, label, date, roles, part_of) -> None:
    # the report that speaks for its event (not a headline or a second trigger telling it again)
    found = [ev for _, ev in reports[doc]
             if ev.type == kind and ev.label == label and ev.repeats == -1]
    assert len(found) == 1, [(e.type, e.label, e.repeats) for _, e in reports[doc]]
    (ev,) = found
    assert ev.date == date
    got = _roles(ev)
    for role, values in roles.items():
        assert values <= got.get(role, set()), (role, got)
    parents = [p for _, p in reports[doc] if p.trigger_start == ev.part_of]
    assert [p.label for p in parents] == ([part_of] if part_of else [])


@pytest.mark.parametrize(("doc", "words"), NOT_EVENTS)
def test_no_event(reports, doc, words) -> None:
    text = DOCS[doc]
    assert words in text
    for article_text, ev in reports[doc]:
        for at in (i for i in range(len(article_text)) if article_text.startswith(words, i)):
            assert not (at <= ev.trigger_start < at + len(words)), ev
        assert words not in ev.name


def test_labels_are_spans_of_the_text_and_short(reports) -> None:
    """A label is what the article says (its name or a clause), never a list of names."""
    for events in reports.values():
        for text, ev in events:
            assert ev.label in text and 2 <= len(ev.label) <= 40, ev.label
            if ev.name:
                assert text[ev.name_start:ev.name_start + len(ev.name)] == ev.name


def test_headline_and_later_mentions_tell_the_lead_again(reports) -> None:
    quakes = [ev for _, ev in reports["quake"] if ev.type == "Earthquake"]
    (lead,) = [ev for ev in quakes if ev.repeats == -1]
    assert len(quakes) == 4  # headline, lead, 地震造成…, 地震发生后
    assert {ev.repeats for ev in quakes if ev is not lead} == {lead.trigger_start}


@pytest.fixture(scope="module")
def graph(paths):
    return kg.build(paths, date=DATE)


def _node(g, label: str) -> URIRef:
    (node,) = g.graph.subjects(RDFS.label, to_term(label))
    return node


def test_one_call_reported_by_two_papers_is_one_node(graph) -> None:
    g = graph.graph
    calls = {s for s in g.subjects(KG.trigger, None)
             if {str(t) for t in g.objects(s, KG.trigger)} == {"通电话"}}
    assert len(calls) == 1
    (call,) = calls
    assert len(set(g.objects(call, PROV.wasDerivedFrom))) == 2
    assert len(set(g.objects(call, KG.evidence))) >= 2  # both papers' sentences (and a headline)
    assert len(set(g.objects(call, RDFS.label))) == 1


def test_sub_events_link_to_their_event(graph) -> None:
    g = graph.graph
    quake = _node(graph, "青海省海西州格尔木市发生5.9级地震")
    deaths = _node(graph, "地震造成2人死亡、14人受伤")
    assert (deaths, SEM.subEventOf, quake) in g
    assert len(set(g.objects(quake, KG.evidence))) == 4
    games = _node(graph, "第十五届全国运动会")
    assert (_node(graph, "第十五届全国运动会在广东省广州市开幕"), SEM.subEventOf, games) in g


def test_the_composed_graph_conforms_to_the_shapes(graph) -> None:
    report = validate(graph.graph)
    assert report.conforms, report


def test_resolving_one_article_at_a_time_gives_the_one_shot_graph(results) -> None:
    """The two papers' call is one node however the articles are chunked."""
    lines = text_triples(results)
    resolved_triples(iter(results), lines, chunk=1)
    chunked = Graph().parse(data="".join(lines), format="nt")
    assert set(chunked) == set(to_graph(assemble(results)))
