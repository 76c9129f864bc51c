"""Relations and events from real-style sentences (mentions given explicitly)."""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.extract.locations import locations
from kg.extract.positions import positions
from kg.extract.units import inner_organizations
from kg.model import Article, Mention
from kg.text.sentences import sentences


def spans(text: str, *items: tuple[str, str]) -> list[Mention]:
    """Mentions for (name, type) pairs, found left to right in ``text``."""
    out, pos = [], 0
    for name, kind in items:
        start = text.index(name, pos)
        out.append(Mention(start, start + len(name), name, kind, article_id="t"))
        pos = start + len(name)
    return out


@pytest.mark.parametrize(
    ("text", "items", "expected"),
    [
        ("中车大连机车车辆有限公司工会主席张健介绍经验时说。",
         [("中车大连机车车辆有限公司", "ORG"), ("张健", "PER")],
         [("张健", "工会主席", "中车大连机车车辆有限公司")]),
        ("重庆市总工会党组书记、副主席余季平表示，联盟成效明显。",
         [("重庆市总工会", "ORG"), ("余季平", "PER")],
         [("余季平", "党组书记", "重庆市总工会"), ("余季平", "副主席", "重庆市总工会")]),
        ("国家主席习近平应约同俄罗斯总统普京通电话。",
         [("习近平", "PER"), ("俄罗斯", "LOC"), ("普京", "PER")],
         [("习近平", "国家主席", None), ("普京", "总统", "俄罗斯")]),
        ("杭州市西湖区人民医院院长陈晓东介绍，医院引入了新设备。",
         [("杭州市西湖区人民医院", "ORG"), ("陈晓东", "PER")],
         [("陈晓东", "院长", "杭州市西湖区人民医院")]),
        ("深圳市总工会副主席 王卫东出席活动。",
         [("深圳市总工会", "ORG"), ("王卫东", "PER")],
         [("王卫东", "副主席", "深圳市总工会")]),
        # a title far from the organization is not a role in it
        ("华为技术有限公司发布新品，技术专家李强说。",
         [("华为技术有限公司", "ORG"), ("李强", "PER")],
         [("李强", "技术专家", None)]),
        # no title, no relation
        ("张伟和王芳走进浙江大学的实验室。",
         [("张伟", "PER"), ("王芳", "PER"), ("浙江大学", "ORG")],
         []),
    ],
)
def test_positions(text: str, items, expected) -> None:
    ms = spans(text, *items)
    found = positions(text, (0, len(text)), ms, "t")
    got = [(r.subject.text, r.role, r.object.text if r.object else None) for r in found]
    assert got == expected
    for r in found:
        assert text[r.start:r.end] == r.evidence
        assert text[r.subject.start:r.subject.end] == r.subject.text


@pytest.mark.parametrize(
    ("name", "parent"),
    [
        ("国网大连供电公司二次检修工区", "国网大连供电公司"),
        ("广西钢铁集团有限公司炼钢厂", "广西钢铁集团有限公司"),
        ("重庆大学附属三峡医院", "重庆大学"),
        ("中车大连机车车辆有限公司工会", "中车大连机车车辆有限公司"),
        ("中华全国总工会", None),
        ("重庆市电力行业产教融合联盟", None),
    ],
)
def test_inner_organizations(name: str, parent: str | None) -> None:
    pairs = inner_organizations(name, [Mention(0, len(name), name, "ORG")], "t")
    assert [p.text for _, p in pairs] == ([parent] if parent else [])


@pytest.mark.parametrize(
    ("text", "items", "expected"),
    [
        ("2月24日是吉林省长春市中小学开学第一天。",
         [("吉林省", "LOC"), ("长春市", "LOC")], [("长春市", "吉林省")]),
        ("这是辽宁省大连市多部门合力的缩影。",
         [("辽宁省", "LOC"), ("大连市", "LOC")], [("大连市", "辽宁省")]),
        ("眼下，位于天津市宝坻区的京津中关村科技城内企业忙碌。",
         [("天津市", "LOC"), ("宝坻区", "LOC"), ("京津中关村科技城", "ORG")],
         [("宝坻区", "天津市"), ("京津中关村科技城", "宝坻区")]),
        ("比亚迪股份有限公司位于深圳市。",
         [("比亚迪股份有限公司", "ORG"), ("深圳市", "LOC")],
         [("比亚迪股份有限公司", "深圳市")]),
        # two places side by side, the first not a level of administration
        ("中关村西湖都是名胜。", [("中关村", "LOC"), ("西湖", "LOC")], []),
    ],
)
def test_locations(text: str, items, expected) -> None:
    ms = spans(text, *items)
    got = [(r.subject.text, r.object.text) for r in locations(text, (0, len(text)), ms, "t")]
    assert got == expected


def article(text: str, date: str = "2025-02-24") -> Article:
    return Article("t", text, date=date, published="2025-02-25")


@pytest.mark.parametrize(
    ("text", "items", "expected"),
    [
        ("2月24日下午，国家主席习近平应约同俄罗斯总统普京通电话。",
         [("习近平", "PER"), ("俄罗斯", "LOC"), ("普京", "PER")],
         [("通电话", "communication", "2025-02-24", ["习近平", "普京"], [])]),
        ("中国财贸轻纺烟草工会与中国轻工业联合会今天在京召开第二十二次联席会议。",
         [("中国财贸轻纺烟草工会", "ORG"), ("中国轻工业联合会", "ORG"), ("京", "LOC")],
         [("召开", "meeting", "2025-02-24",
           ["中国财贸轻纺烟草工会", "中国轻工业联合会"], ["京"])]),
        ("去年9月，中国同巴西一道成立“和平之友”小组。",
         [("中国", "LOC"), ("巴西", "LOC")],
         [("成立", "founding", "2024-09", ["中国", "巴西"], [])]),
        ("近日，浙江省人社厅发布了新一批技能人才目录。",
         [("浙江省人社厅", "ORG")],
         [("发布", "publication", None, ["浙江省人社厅"], [])]),
        # a country before a holiday dates the clause; the speaker is the actor
        ("李强指出，越南新春前夕我同范明政总理举行会谈。",
         [("李强", "PER"), ("越南", "LOC"), ("范明政", "PER")],
         [("举行", "meeting", None, ["范明政", "李强"], [])]),
        # a trigger with nobody doing it is no event
        ("会议将于下月召开。", [], []),
        # 召开 needs a meeting after it
        ("这家公司召开了新局面", [("这家公司", "ORG")], []),
    ],
)
def test_events(text: str, items, expected) -> None:
    ms = spans(text, *items)
    got = extract(article(text), ms).events
    assert [(e.trigger, e.type, e.date,
             [m.text for r, m in e.arguments if r in ("participant", "organizer")],
             [m.text for r, m in e.arguments if r == "place"]) for e in got] == expected
    for e in got:
        assert text[e.trigger_start:e.trigger_end] == e.trigger
        assert text[e.start:e.end] == e.evidence


def test_vague_dates_keep_their_words_but_no_day() -> None:
    text = "近日，浙江省人社厅发布了新一批技能人才目录。"
    (ev,) = extract(article(text), spans(text, ("浙江省人社厅", "ORG"))).events
    assert (ev.date, ev.date_text) == (None, "近日")


def test_headline_and_lead_report_one_event() -> None:
    text = "习近平同普京通电话\n2月24日下午，习近平同普京通电话。"
    ms = spans(text, ("习近平", "PER"), ("普京", "PER"), ("习近平", "PER"), ("普京", "PER"))
    (ev,) = extract(article(text), ms).events
    assert ev.date == "2025-02-24" and ev.start > 0


def test_sentences_keep_closing_quotes() -> None:
    text = "他说：“收入也提高了。”王蕴琦的经历，是缩影。\n第二段"
    assert [text[s:e].strip() for s, e in sentences(text)] == [
        "他说：“收入也提高了。”", "王蕴琦的经历，是缩影。", "第二段"]


def test_titles_in_a_list_that_name_their_own_body() -> None:
    text = "中共中央政治局委员、外交部长王毅会见了来访的客人。"
    ms = spans(text, ("中共中央政治局", "ORG"), ("王毅", "PER"))
    got = [(r.role, r.object.text if r.object else None)
           for r in positions(text, (0, len(text)), ms, "t")]
    assert got == [("委员", "中共中央政治局"), ("外交部长", None)]


def test_an_ambassador_belongs_to_the_sending_country() -> None:
    text = "中国驻英国大使郑泽光出席活动。"
    ms = spans(text, ("中国", "LOC"), ("英国", "LOC"), ("郑泽光", "PER"))
    got = [(r.role, r.object.text if r.object else None)
           for r in positions(text, (0, len(text)), ms, "t")]
    assert got == [("大使", "中国")]


def test_all_places_after_zai_are_the_place() -> None:
    text = "中国商务部与肯尼亚贸易部在肯尼亚内罗毕签署合作协议。"
    ms = spans(text, ("中国商务部", "ORG"), ("肯尼亚贸易部", "ORG"), ("肯尼亚", "LOC"),
               ("内罗毕", "LOC"))
    (ev,) = extract(article(text), ms).events
    assert [(r, m.text) for r, m in ev.arguments] == [
        ("participant", "中国商务部"), ("participant", "肯尼亚贸易部"),
        ("place", "肯尼亚"), ("place", "内罗毕")]


def test_two_triggers_of_one_meeting_are_one_event() -> None:
    text = "王毅同到访的法国外长举行会谈。"
    ms = spans(text, ("王毅", "PER"))
    assert [e.trigger for e in extract(article(text), ms).events] == ["举行"]
