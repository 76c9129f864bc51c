"""kg.recognize.organizations: organizations by suffix, trimmed, joined and filtered."""

from __future__ import annotations

import pytest

import kg
from kg.model import Mention
from kg.recognize.organizations import suffix_organizations


def test_suffix_organization_needs_an_anchor() -> None:
    text = "两大联盟通过产学研融会贯通"
    assert suffix_organizations(text, []) == []
    text = "中国财贸轻纺烟草工会与中国轻工业联合会召开联席会议"
    anchors = [Mention(0, 2, "中国", "LOC"), Mention(11, 13, "中国", "LOC")]
    found = suffix_organizations(text, anchors)
    assert [(m.start, m.text) for m in found] == [
        (0, "中国财贸轻纺烟草工会"), (11, "中国轻工业联合会")]


def test_suffix_organization_keeps_attached_units_but_not_titles() -> None:
    text = "在广西钢铁集团有限公司炼钢厂内，重庆市能源工会主席刘中国说"
    anchors = [Mention(1, 3, "广西", "LOC"), Mention(16, 19, "重庆市", "LOC")]
    assert [m.text for m in suffix_organizations(text, anchors)] == [
        "广西钢铁集团有限公司炼钢厂", "重庆市能源工会"]


def test_suffix_organization_starts_at_the_overlapping_organization() -> None:
    text = "依托华北电力大学重庆电力高等专科学校函授站"
    anchors = [Mention(2, 8, "华北电力大学", "ORG")]
    found = suffix_organizations(text, anchors)
    assert [(m.start, m.text) for m in found] == [(2, "华北电力大学")]


def test_a_noun_head_joins_the_organization_but_a_verb_does_not() -> None:
    text = "中车大连机车车辆有限公司工会主席张健说"
    anchors = [Mention(2, 12, "大连机车车辆有限公司", "ORG")]
    assert [m.text for m in suffix_organizations(text, anchors)] == ["中车大连机车车辆有限公司"]
    text = "王蕴琦被调至重庆科学城供电中心工作"
    anchors = [Mention(6, 15, "重庆科学城供电中心", "ORG")]
    assert [m.text for m in suffix_organizations(text, anchors)] == ["重庆科学城供电中心"]


def test_official_names_with_he_in_a_list() -> None:
    text = "上海市经济和信息化委员会、江苏省工业和信息化厅在沪召开会议"
    orgs = [m.text for m in kg.recognize(text) if m.type == "ORG"]
    assert orgs == ["上海市经济和信息化委员会", "江苏省工业和信息化厅"]


def test_an_organization_ends_before_a_title_that_its_last_word_opens() -> None:
    text = "中国钢铁工业协会党委书记、执行会长韩明远表示"
    assert [(m.text, m.type) for m in kg.recognize(text)] == [
        ("中国钢铁工业协会", "ORG"), ("韩明远", "PER")]


@pytest.mark.parametrize(("text", "org"), [
    ("依托华北电力大学重庆电力高等专科学校函授站，以“技能培训+学历提升”等方式",
     "重庆电力高等专科学校函授站"),  # 等 inside 高等 is no list marker
    ("2024年初，重庆电力高等专科学校的指导老师给出了建议", "重庆电力高等专科学校"),
])
def test_a_stop_character_inside_a_word_does_not_cut_the_name(text: str, org: str) -> None:
    assert org in [m.text for m in kg.recognize(text) if m.type == "ORG"]


def test_a_stop_character_that_is_a_word_still_cuts() -> None:
    text = "宝武集团、鞍钢集团等企业和中国钢铁工业协会的代表参加"
    orgs = [m.text for m in kg.recognize(text) if m.type == "ORG"]
    assert "中国钢铁工业协会" in orgs and not any("等" in o or "的" in o for o in orgs)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a kind of organization is not one: "the chemical plant", "the power grid"
        ("化工厂的工人们正在检修设备，县教育局派人到场。", [("县教育局", "ORG")]),
        # ...but a ministry the dictionary calls a common noun is one body
        ("教育部、公安部联合印发通知，出版社随后跟进。", [("教育部", "ORG"), ("公安部", "ORG")]),
        ("全省教育系统开展专项行动，河北电力系统继电保护技能竞赛同日举行。", [("河北", "LOC")]),
        ("3月1日是北京市海淀区中小学开学第一天。", [("北京市", "LOC"), ("海淀区", "LOC")]),
        ("公司工会为职工送清凉，全省汽车产业链稳步发展。", []),
        # a clause the model ran on into anchors no second organization
        ("江苏省总工会以劳模创新工作室联盟形式推动职工技能提升。", [("江苏省总工会", "ORG")]),
        # departments named for two fields joined by 和; 和 between two names
        ("文化和旅游部、住房和城乡建设部联合发文",
         [("文化和旅游部", "ORG"), ("住房和城乡建设部", "ORG")]),
        ("国家发展和改革委员会发布通知", [("国家发展和改革委员会", "ORG")]),
        ("今年人力资源和社会保障部印发通知", [("人力资源和社会保障部", "ORG")]),
        ("中国和巴西外交部发表声明", [("中国", "LOC"), ("巴西外交部", "ORG")]),
        ("教育部和公安部联合发文", [("教育部", "ORG"), ("公安部", "ORG")]),
        # a title the model ran on into; a craft named after a legend
        ("中共中央政治局常委、国务院副总理丁薛祥出席",
         [("中共中央政治局", "ORG"), ("国务院", "ORG"), ("丁薛祥", "PER")]),
        ("中国国家航天局宣布嫦娥六号任务圆满成功", [("中国国家航天局", "ORG")]),
        # 为 inside a word does not cut a name
        ("鞍钢集团和华为公司签署协议，新华社记者到场。",
         [("鞍钢集团", "ORG"), ("华为公司", "ORG"), ("新华社", "ORG")]),
    ],
)
def test_kinds_and_groups_of_organizations_are_not_names(
    sentence: str, expected: list[tuple[str, str]]
) -> None:
    found = kg.recognize(sentence)
    assert [(m.text, m.type) for m in found] == expected
    assert all(sentence[m.start:m.end] == m.text for m in found)

