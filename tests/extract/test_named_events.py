"""Named events: the matcher, its merge with the trigger that holds it, labels, keys."""

from __future__ import annotations

import pytest

from kg.extract import extract
from kg.extract.labels import summary
from kg.extract.named_events import find_names
from kg.model import Article, Event, Mention
from kg.resolve_events import event_key


def spans(text: str, *items: tuple[str, str]) -> list[Mention]:
    return [Mention(text.index(t), text.index(t) + len(t), t, kind, article_id="t")
            for t, kind in items]


@pytest.mark.parametrize(
    ("text", "items", "names"),
    [
        ("中国财贸轻纺烟草工会与中国轻工业联合会今天在京召开第二十二次联席会议。",
         [("中国财贸轻纺烟草工会", "ORG"), ("中国轻工业联合会", "ORG"), ("京", "LOC")],
         [("第二十二次联席会议", "meeting")]),
        ("11月9日晚，第十五届全国运动会在广州开幕。", [("广州", "LOC")],
         [("第十五届全国运动会", "competition")]),
        ("国家主席习近平出席2024中关村论坛年会开幕式。", [("习近平", "PER"), ("中关村", "LOC")],
         [("2024中关村论坛年会", "meeting")]),
        ("博鳌亚洲论坛2025年年会在海南博鳌开幕。", [("海南", "LOC"), ("博鳌", "LOC")],
         [("博鳌亚洲论坛2025年年会", "meeting")]),
        ("各地认真学习党的二十届三中全会。", [], [("二十届三中全会", "meeting")]),
        ("网信部门开展“清朗”系列专项行动。", [], [("“清朗”系列专项行动", "activity")]),
        ("今年的清朗行动取得明显成效。", [], [("清朗行动", "activity")]),
        ("学校举办第三十届春季田径运动会。", [], [("第三十届春季田径运动会", "competition")]),
        ("大连市政府和市总工会联席会议召开。", [("大连市政府", "ORG"), ("市总工会", "ORG")],
         [("大连市政府和市总工会联席会议", "meeting")]),
        # generic uses are no names
        ("会议要求，各地要召开会议传达精神。", [], []),
        ("组委会表示，这次活动吸引了近万名运动员，各项活动将持续至月底。", [], []),
        ("各区要开展行动，确保取得实效。", [], []),
        ("他参加会议并讲话。", [("他", "PER")], []),
        ("多地开展专项整治行动。", [], []),
        ("本届全运会组委会表示，场馆已准备就绪。", [], []),
        ("山东省人民政府印发《山东省制造业数字化转型行动方案》。",
         [("山东省人民政府", "ORG")], []),
        ("要推动高质量发展。", [], []),
    ],
)
def test_names(text: str, items, names) -> None:
    found = find_names(text, (0, len(text)), spans(text, *items))
    assert [(n.text, n.type) for n in found] == names
    for n in found:
        assert text[n.start:n.end] == n.text


def test_a_held_name_is_the_meeting_that_holds_it() -> None:
    text = "中国财贸轻纺烟草工会与中国轻工业联合会今天在京召开第二十二次联席会议。"
    ms = spans(text, ("中国财贸轻纺烟草工会", "ORG"), ("中国轻工业联合会", "ORG"), ("京", "LOC"))
    (ev,) = extract(Article("t", text, date="2025-02-24"), ms).events
    assert (ev.trigger, ev.type, ev.name, ev.label, ev.date) == (
        "召开", "meeting", "第二十二次联席会议", "第二十二次联席会议", "2025-02-24")
    assert [(r, m.text) for r, m in ev.arguments] == [
        ("organizer", "中国财贸轻纺烟草工会"), ("organizer", "中国轻工业联合会"), ("place", "京")]


def test_a_competition_held_and_organized_in_the_next_sentence() -> None:
    text = "广东省举办第十五届全国运动会。本届全运会由广州市人民政府承办。"
    ms = spans(text, ("广东省", "LOC"), ("广州市人民政府", "ORG"))
    (ev,) = extract(Article("t", text, date="2025-11-09"), ms).events
    assert (ev.trigger, ev.type, ev.label) == ("举办", "competition", "第十五届全国运动会")
    assert [(r, m.text) for r, m in ev.arguments] == [
        ("organizer", "广东省"), ("organizer", "广州市人民政府")]


@pytest.mark.parametrize(
    ("text", "trigger", "label"),
    [
        ("2月24日下午，国家主席习近平应约同俄罗斯总统普京通电话。", "通电话",
         "国家主席习近平应约同俄罗斯总统普京通电话"),
        ("新华社北京3月1日电 同日，国务院总理李强会见法国总统马克龙。", "会见",
         "国务院总理李强会见法国总统马克龙"),
        ("据悉，人力资源社会保障部、财政部日前联合印发《关于进一步做好稳就业工作的通知》，"
         "要求各地落实。", "印发",
         "人力资源社会保障部、财政部日前联合印发《关于进一步做好稳就业工作的通知》"),
        # longer than 40 characters: cut after a list item, never inside a quotation
        ("江苏省工业和信息化厅、浙江省经济和信息化厅、安徽省经济和信息化厅今天在上海召开"
         "长三角新能源汽车产业链供需对接会。", "召开",
         "江苏省工业和信息化厅、浙江省经济和信息化厅、安徽省经济和信息化厅今天在上海召开"),
    ],
)
def test_labels_are_the_clause_that_states_the_event(text: str, trigger: str, label: str) -> None:
    t0 = text.index(trigger)
    got = summary(text, (0, len(text)), t0, t0 + len(trigger))
    assert got == label and len(got) <= 40


def test_reports_of_one_event_share_a_key() -> None:
    xi, putin = Mention(0, 3, "习近平", "PER"), Mention(4, 6, "普京", "PER")
    a = Event("a", 0, 9, "…", "通电话", 6, 9, "communication", date="2025-02-24",
              arguments=(("participant", xi), ("participant", putin)))
    b = Event("b", 0, 30, "…", "通话", 20, 22, "communication", date="2025-02-24",
              arguments=(("participant", putin), ("participant", xi)))
    assert event_key(a) == event_key(b)
    assert event_key(Event("c", 0, 9, "…", "通电话", 6, 9, "communication", date="2025-02-25",
                           arguments=a.arguments)) != event_key(a)  # another day
    assert event_key(Event("d", 0, 9, "…", "通电话", 6, 9, "communication", date="2025-02",
                           arguments=a.arguments)) is None  # a month is no day
