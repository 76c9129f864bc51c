"""Facts the real pipeline extracts from real-style news sentences, table by table.

Every sentence is one JSONL article (published 2025-03-10); the whole table is
built once per module with ``kg.build`` and read back through the public API
(``g.relations``, ``g.entities``, ``g.sparql``). Each row asserts the exact
facts of its article; the negative tests assert what must never come out (a
title or a courtesy form as a person, two cities' 市总工会 merged, a slogan as
an organization, a photo date as an event date). Sentences the pipeline gets
wrong today are not here: they are the lead's bug list (see the benchmark
report), not xfails — except rows a newer model broke (``MODEL_MISSES``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg
from kg.rdf.graph import article_iri

PUBLISHED = "2025-03-10"

MEMBERSHIPS = [  # (id, sentence, every membership the article yields)
    ("m01", "浙江省总工会党组书记、副主席王建国在会上作工作报告。",
     {("王建国", "党组书记", "浙江省总工会"), ("王建国", "副主席", "浙江省总工会")}),
    ("m03", "国务院总理李强出席开幕式并发表主旨演讲。",
     {("李强", "总理", "国务院")}),
    ("m04", "中国石油天然气集团有限公司董事长戴厚良表示，将加大油气勘探开发力度。",
     {("戴厚良", "董事长", "中国石油天然气集团有限公司")}),
    ("m05", "清华大学校长王希勤在开学典礼上致辞。",
     {("王希勤", "校长", "清华大学")}),
    ("m08", "联合国秘书长古特雷斯发表声明，呼吁各方保持克制。",
     {("古特雷斯", "秘书长", "联合国")}),
    ("m10", "中国海员建设工会主席吴书凯在会上讲话。",
     {("吴书凯", "主席", "中国海员建设工会")}),
    ("m11", "北京大学教授林毅夫指出，产业升级离不开高技能人才。",
     {("林毅夫", "教授", "北京大学")}),
    ("m13", "武汉钢铁有限公司炼钢厂厂长陈红兵说，今年产量将再创新高。",
     {("陈红兵", "厂长", "武汉钢铁有限公司炼钢厂")}),
    ("m15", "江苏省副省长胡广杰出席活动并致辞。",
     {("胡广杰", "副省长", "江苏省")}),
    ("m18", "巴西总统卢拉表示，巴方愿同中方深化合作。",
     {("卢拉", "总统", "巴西")}),
    ("m21", "广州市总工会副主席黄穗生介绍，全市已建成职工驿站500余个。",
     {("黄穗生", "副主席", "广州市总工会")}),
    ("m23", "厦门大学副校长江云宝在论坛上作报告。",
     {("江云宝", "副校长", "厦门大学")}),
    ("m24", "四川省人民医院院长王莉介绍了医院的发展情况。",
     {("王莉", "院长", "四川省人民医院")}),
    ("m25", "国家副主席韩正出席开幕式。",
     {("韩正", "国家副主席", None)}),
    ("m30", "湖北省总工会副主席李小平说，今年将培训农民工5万人次。",
     {("李小平", "副主席", "湖北省总工会")}),
    ("m31", "西班牙首相桑切斯当天抵达北京。",
     {("桑切斯", "首相", "西班牙")}),
    ("m32", "中国宝武钢铁集团有限公司总经理胡望明介绍，集团将推进智慧制造。",
     {("胡望明", "总经理", "中国宝武钢铁集团有限公司")}),
    ("m33", "南京市总工会主席吴跃进在会上讲话。",
     {("吴跃进", "主席", "南京市总工会")}),
    ("m34", "浙江大学校长杜江峰出席开学典礼。",
     {("杜江峰", "校长", "浙江大学")}),
    ("m35", "印度尼西亚总统普拉博沃表示，印尼重视同中国的关系。",
     {("普拉博沃", "总统", "印度尼西亚")}),
    ("m36", "长沙市人民政府副市长刘涛介绍，长沙将建设更多技能人才培训基地。",
     {("刘涛", "副市长", "长沙市人民政府")}),
    ("m37", "中国教科文卫体工会主席孙小林在会上讲话。",
     {("孙小林", "主席", "中国教科文卫体工会")}),
    ("m38", "北京理工大学校长龙腾出席毕业典礼。",
     {("龙腾", "校长", "北京理工大学")}),
    ("m39", "山东省总工会副主席王世农介绍了有关情况。",
     {("王世农", "副主席", "山东省总工会")}),
    ("m40", "福建省副省长李建成出席活动并讲话。",
     {("李建成", "副省长", "福建省")}),
    ("m41", "意大利总统马塔雷拉会见了中国艺术团。",
     {("马塔雷拉", "总统", "意大利")}),
    ("m42", "澳大利亚总理阿尔巴尼斯表示欢迎中国游客。",
     {("阿尔巴尼斯", "总理", "澳大利亚")}),
    ("m44", "重庆市总工会副主席王明贵说，全市将开展技能竞赛。",
     {("王明贵", "副主席", "重庆市总工会")}),
    ("m45", "中国建筑集团有限公司董事长郑学选表示，将加快海外市场布局。",
     {("郑学选", "董事长", "中国建筑集团有限公司")}),
    ("m47", "广东省副省长王曦出席开幕式。",
     {("王曦", "副省长", "广东省")}),
    ("m48", "武汉大学校长张平文在典礼上致辞。",
     {("张平文", "校长", "武汉大学")}),
]

PLACES_AND_UNITS = [  # (id, sentence, every located_in / part_of fact of the article)
    ("l01", "在广东省深圳市南山区，一批科技企业正在加速成长。",
     {("in", "深圳市", "广东省"), ("in", "南山区", "深圳市")}),
    ("l02", "四川省绵阳市的一家电子企业正在赶制订单。",
     {("in", "绵阳市", "四川省")}),
    ("l03", "湖北省武汉市江夏区的光谷南科技城内，工人正在调试设备。",
     {("in", "武汉市", "湖北省"), ("in", "江夏区", "武汉市")}),
    ("l04", "山东省烟台市的苹果种植户正在忙着剪枝。",
     {("in", "烟台市", "山东省")}),
    ("l05", "河南省郑州市的航空港区内，新建厂房陆续投产。",
     {("in", "郑州市", "河南省")}),
    ("l06", "云南省昆明市的花卉市场迎来销售旺季。",
     {("in", "昆明市", "云南省")}),
    ("l07", "内蒙古自治区鄂尔多斯市的风电场里，检修人员正在作业。",
     {("in", "鄂尔多斯市", "内蒙古自治区")}),
    ("l08", "黑龙江省哈尔滨市的冰雪大世界吸引了大量游客。",
     {("in", "哈尔滨市", "黑龙江省")}),
    ("l10", "甘肃省兰州市的牛肉面馆清晨就排起了长队。",
     {("in", "兰州市", "甘肃省")}),
    ("l11", "贵州省贵阳市的大数据企业正在招聘技术人员。",
     {("in", "贵阳市", "贵州省")}),
    ("l12", "陕西省西安市总工会为一线职工送去慰问品。",
     {("in", "西安市", "陕西省"), ("in", "陕西省西安市总工会", "西安市")}),
    ("l13", "河北省石家庄市人社局发布了新的就业政策。",
     {("in", "石家庄市", "河北省"), ("in", "河北省石家庄市人社局", "石家庄市")}),
    ("l15", "江西省南昌市的一家制造企业正在扩建生产线。",
     {("in", "南昌市", "江西省")}),
    ("l16", "广西壮族自治区南宁市的东盟商务区正在加快建设。",
     {("in", "南宁市", "广西壮族自治区")}),
    ("l17", "安徽省芜湖市的汽车零部件企业订单饱满。",
     {("in", "芜湖市", "安徽省")}),
    ("l18", "吉林省吉林市的化工企业完成了技术改造。",
     {("in", "吉林市", "吉林省")}),
    ("l19", "宁夏回族自治区银川市总工会开展了送清凉活动。",
     {("in", "银川市", "宁夏回族自治区"), ("in", "宁夏回族自治区银川市总工会", "银川市")}),
    ("l20", "浙江省温州市总工会推出了职工技能提升计划。",
     {("in", "温州市", "浙江省"), ("in", "浙江省温州市总工会", "温州市")}),
    ("l21", "海南省三亚市的崖州湾科技城吸引了大批科研人员。",
     {("in", "三亚市", "海南省"), ("in", "崖州湾科技城", "崖州区")}),
    ("l22", "湖南省株洲市的轨道交通装备企业正在赶制出口订单。",
     {("in", "株洲市", "湖南省")}),
    ("p01", "中国石油天然气股份有限公司长庆油田分公司的采油工人坚守岗位。",
     {("part", "中国石油天然气股份有限公司长庆油田分公司", "中国石油天然气股份有限公司"),
      ("in", "中国石油天然气股份有限公司长庆油田分公司", "中国")}),
    ("p03", "中国建筑第八工程局有限公司华南分公司承建了该项目。",
     {("part", "中国建筑第八工程局有限公司华南分公司", "中国建筑第八工程局有限公司"),
      ("in", "中国建筑第八工程局有限公司华南分公司", "中国")}),
    ("p05", "中国电信股份有限公司浙江分公司推出了新的服务举措。",
     {("part", "中国电信股份有限公司浙江分公司", "中国电信股份有限公司"),
      ("in", "中国电信股份有限公司浙江分公司", "中国")}),
    ("p06", "中国农业银行股份有限公司北京分行为小微企业发放贷款。",
     {("part", "中国农业银行股份有限公司北京分行", "中国农业银行股份有限公司"),
      ("in", "中国农业银行股份有限公司北京分行", "中国")}),
    ("p07", "中国科学院大连化学物理研究所的科研人员取得新突破。",
     {("part", "中国科学院大连化学物理研究所", "中国科学院"),
      ("in", "中国科学院大连化学物理研究所", "中国")}),
    ("p08", "北京首钢股份有限公司冷轧作业部的职工正在检修设备。",
     {("part", "北京首钢股份有限公司冷轧作业部", "北京首钢股份有限公司"),
      ("in", "北京首钢股份有限公司冷轧作业部", "北京市")}),
    ("l23", "山西省太原市的煤机企业正在加紧生产。",
     {("in", "太原市", "山西省")}),
    ("l24", "辽宁省沈阳市的机床企业迎来订单高峰。",
     {("in", "沈阳市", "辽宁省")}),
    ("l25", "青海省西宁市的光伏企业扩大了产能。",
     {("in", "西宁市", "青海省")}),
    ("l26", "江苏省无锡市总工会举办了职工运动会。",
     {("in", "无锡市", "江苏省"), ("in", "江苏省无锡市总工会", "无锡市")}),
]

EVENTS = [  # (id, sentence, type, trigger, participants it must include, date)
    ("e01", "3月9日，国务院总理李强同德国总理默茨通电话。",
     "communication", "通电话", ["李强", "默茨"], "2025-03-09"),
    ("e02", "去年10月，浙江省总工会与浙江大学签署战略合作协议。",
     "agreement", "签署", ["浙江大学", "浙江省总工会"], "2024-10"),
    ("e03", "2024年12月，中国机械工业联合会在北京召开年度工作会议。",
     "meeting", "召开", ["中国机械工业联合会"], "2024-12"),
    ("e07", "去年底，广州市总工会发布《新就业形态劳动者权益保障白皮书》。",
     "publication", "发布", ["广州市总工会"], "2024-12"),
    ("e08", "3月5日，深圳市市场监督管理局出台《深圳市电动自行车安全管理规定》。",
     "publication", "出台", ["深圳市市场监督管理局"], "2025-03-05"),
    ("e09", "2月下旬，中国建筑集团有限公司在北京举办首届青年职工技能大赛。",
     "competition", "举办", ["中国建筑集团有限公司"], "2025-02"),
    ("e10", "2023年9月，中国和印度尼西亚签署共建“一带一路”合作文件。",
     "agreement", "签署", ["中国", "印度尼西亚"], "2023-09"),
    ("e11", "3月7日，法国总统马克龙致电越南国家主席梁强。",
     "communication", "致电", ["梁强", "马克龙"], "2025-03-07"),
    ("e12", "去年5月，重庆市总工会与西南大学签订合作协议。",
     "agreement", "签订", ["西南大学", "重庆市总工会"], "2024-05"),
    ("e14", "3月3日，山东省人民政府印发《山东省制造业数字化转型行动方案》。",
     "publication", "印发", ["山东省人民政府"], "2025-03-03"),
    ("e19", "3月6日，宁夏回族自治区总工会走访慰问一线职工。",
     "visit", "走访", ["宁夏回族自治区总工会"], "2025-03-06"),
    ("e21", "2024年3月，中国与新加坡签署自由贸易协定进一步升级议定书。",
     "agreement", "签署", ["中国", "新加坡"], "2024-03"),
    ("e23", "去年8月，海南省总工会组建新就业形态劳动者服务联盟。",
     "founding", "组建", ["海南省总工会"], "2024-08"),
    ("e24", "前年10月，中华全国总工会与国际劳工组织签署谅解备忘录。",
     "agreement", "签署", ["中华全国总工会", "国际劳工组织"], "2023-10"),
    ("e25", "今年2月，河南省郑州市总工会举办首届外卖骑手技能大赛。",
     "competition", "举办", ["河南省郑州市总工会"], "2025-02"),
    ("e28", "3月2日，湖北省总工会调研新就业形态劳动者入会工作。",
     "visit", "调研", ["湖北省总工会"], "2025-03-02"),
    ("e29", "2020年11月，中国与东盟十国等签署《区域全面经济伙伴关系协定》。",
     "agreement", "签署", ["中国"], "2020-11"),
    ("e30", "今天，天津市总工会与天津大学签署共建协议。",
     "agreement", "签署", ["天津大学", "天津市总工会"], "2025-03-10"),
    ("e31", "3月8日，全国妇联在北京举办“巾帼建功”主题活动。",
     "activity", "举办", ["全国妇联"], "2025-03-08"),
    ("e32", "2019年4月，中国与意大利签署共建“一带一路”谅解备忘录。",
     "agreement", "签署", ["中国", "意大利"], "2019-04"),
    ("e33", "3月1日，北京市总工会与北京工业大学签署合作协议。",
     "agreement", "签署", ["北京工业大学", "北京市总工会"], "2025-03-01"),
    ("e34", "去年11月，四川省总工会与四川大学签订战略合作协议。",
     "agreement", "签订", ["四川大学", "四川省总工会"], "2024-11"),
    ("e35", "3月6日，天津市人民政府印发《天津市促进就业若干措施》。",
     "publication", "印发", ["天津市人民政府"], "2025-03-06"),
    ("e36", "去年9月，福建省总工会走访慰问一线建设者。",
     "visit", "走访", ["福建省总工会"], "2024-09"),
    ("e42", "3月2日，中国国家主席习近平会见来访的巴西总统卢拉。",
     "meeting", "会见", ["习近平", "卢拉"], "2025-03-02"),
    ("e43", "去年11月，四川省总工会与四川大学签署合作框架协议。",
     "agreement", "签署", ["四川省总工会", "四川大学"], "2024-11"),
    ("e41", "3月1日，湖北省人力资源和社会保障厅发布2025年技能人才培养计划。",
     "publication", "发布", ["湖北省人力资源和社会保障厅"], "2025-03-01"),
    ("e44", "2022年6月，安徽省总工会成立职工创新工作室联盟。",
     "founding", "成立", ["安徽省总工会"], "2022-06"),
    ("e45", "3月4日，福建省总工会在福州召开十五届三次全委会议。",
     "meeting", "召开", ["福建省总工会"], "2025-03-04"),
    ("e46", "今年1月，吉林省总工会举办全省职工冰雪运动会。",
     "activity", "举办", ["吉林省总工会"], "2025-01"),
    ("e47", "3月6日，江苏省总工会走访南京港集团一线码头工人。",
     "visit", "走访", ["江苏省总工会"], "2025-03-06"),
    ("e48", "2月27日，俄罗斯总统普京同美国总统特朗普通电话。",
     "communication", "通电话", ["普京", "特朗普"], "2025-02-27"),
    ("e49", "今年2月，陕西省人民政府出台《关于促进职工技能提升的若干措施》。",
     "publication", "出台", ["陕西省人民政府"], "2025-02"),
    ("e50", "去年12月，广东省总工会组建新能源汽车产业工会联盟。",
     "founding", "组建", ["广东省总工会"], "2024-12"),
]

NEGATIVES = [
    ("n01", "李强表示，总理先生此次访华将为两国关系注入新动力。"),
    ("n03", "杭州市总工会日前召开会议。市总工会副主席张明华说，今年将新建职工驿站100个。"),
    ("n04", "苏州市总工会近日发布通知。市总工会主席李文彬表示，将加大困难职工帮扶力度。"),
    ("n07", "“建功‘十五五’ 奋进新征程”主题劳动和技能竞赛在京启动。"),
    ("n08", "在江苏省苏州市举办的职业技能大赛现场，苏州市总工会工作人员为选手计时（3月8日摄）。\n"
            "新华社记者 王鹏 摄"),
    ("n09", "南京市和苏州市的职工代表参加了交流活动。市总工会副主席陈华说，两地将加强合作。"),
]

EVENTS_Q = """SELECT ?e ?t ?cls ?d WHERE {
  ?e kg:trigger ?t ; a ?cls ; prov:wasDerivedFrom ?art . OPTIONAL { ?e schema:startDate ?d } }"""
ARGS_Q = """SELECT ?e ?x WHERE {
  ?e kg:trigger ?t ; prov:wasDerivedFrom ?art ; ?p ?n . VALUES ?p { sem:hasActor kg:about }
  ?n rdfs:label ?x }"""
TITLES = {"总统", "总理", "主席", "国家主席", "首相", "先生", "总统先生", "总理先生", "主席先生",
          "书记", "校长", "董事长", "市长", "院长", "教授", "记者"}


MEMBERSHIPS_Q = """SELECT ?art ?p ?r ?o ?rule WHERE {
  ?m a org:Membership ; org:member ?pp ; org:role ?rr ; prov:wasDerivedFrom ?art ; kg:rule ?rule .
  ?pp rdfs:label ?p . ?rr rdfs:label ?r . ?m org:organization ?oo . ?oo rdfs:label ?o }"""
STATEMENTS_Q = """SELECT ?art ?pred ?s ?o ?rule WHERE {
  ?st a kg:Statement ; rdf:subject ?ss ; rdf:predicate ?pred ; rdf:object ?oo ;
      prov:wasDerivedFrom ?art ; kg:rule ?rule . ?ss rdfs:label ?s . ?oo rdfs:label ?o }"""
PREDICATE = {"holdsTitle": "holds_position", "containedInPlace": "located_in",
             "location": "located_in", "subOrganizationOf": "part_of"}


def _local(iri: object) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


class Facts:
    """The facts of a graph, per article, read back with SPARQL."""

    def __init__(self, g: kg.KnowledgeGraph) -> None:
        self.g = g
        self.by_article: dict[str, set] = {}
        for row in g.sparql(MEMBERSHIPS_Q):
            fact = ("holds_position", str(row["p"]), str(row["r"]), str(row["o"]),
                    str(row["rule"]))
            self.by_article.setdefault(_local(row["art"]), set()).add(fact)
        for row in g.sparql(STATEMENTS_Q):
            pred = PREDICATE.get(_local(row["pred"]), _local(row["pred"]))
            if pred == "holds_position":  # a bare title: the object is the role
                fact = (pred, str(row["s"]), str(row["o"]), None, str(row["rule"]))
            else:
                fact = (pred, str(row["s"]), "", str(row["o"]), str(row["rule"]))
            self.by_article.setdefault(_local(row["art"]), set()).add(fact)

    def memberships(self, aid: str) -> set[tuple]:
        return {(s, role, o) for p, s, role, o, rule in self.by_article.get(aid, ())
                if p == "holds_position" and not rule.startswith("credit:")}

    def places_and_units(self, aid: str) -> set[tuple]:
        kind = {"located_in": "in", "part_of": "part"}
        return {(kind[p], s, o) for p, s, _, o, _ in self.by_article.get(aid, ()) if p in kind}

    def events(self, aid: str) -> list[tuple]:
        art = str(article_iri(aid))
        args: dict[str, set[str]] = {}
        for row in self.g.sparql(ARGS_Q, art=art):
            args.setdefault(str(row["e"]), set()).add(str(row["x"]))
        out = []
        for row in self.g.sparql(EVENTS_Q, art=art):
            kind = str(row["cls"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower()
            date = str(row["d"]) if row.get("d") is not None else None
            out.append((kind, str(row["t"]), date, frozenset(args.get(str(row["e"]), ()))))
        return sorted(out)

    def labels(self, aid: str, cls: str) -> set[str]:
        return {e.label for e in self.g.entities(cls)
                if any(m.article_id == aid for m in e.mentions)}


@pytest.fixture(scope="module")
def facts(tmp_path_factory: pytest.TempPathFactory) -> Facts:
    rows = [(i, t) for i, t, *_ in (*MEMBERSHIPS, *PLACES_AND_UNITS, *EVENTS, *NEGATIVES)]
    path = Path(tmp_path_factory.mktemp("facts")) / "cases.jsonl"
    path.write_text("".join(json.dumps({"id": i, "text": t, "date": PUBLISHED}, ensure_ascii=False)
                            + "\n" for i, t in rows), encoding="utf-8")
    return Facts(kg.build([str(path)]))


def test_table_ids_are_unique() -> None:
    ids = [row[0] for row in (*MEMBERSHIPS, *PLACES_AND_UNITS, *EVENTS, *NEGATIVES)]
    assert len(ids) == len(set(ids))
    assert min(len(MEMBERSHIPS), len(PLACES_AND_UNITS), len(EVENTS)) >= 24


# Rows a newer model got wrong (strict: a fix shows up as a failure until the mark goes);
# variant T13 (2026-12-03) still gets these wrong.
_GOV = ("NER variant G (no rule steps since 2026-12-02) reads X省/市人民政府 as the place "
        "only; the suffix rule that joined them lost F1 on MSRA dev, and a narrow "
        "government rule lost 0.003 on MSRA dev (gained 0.006 on CLUENER)")
MODEL_MISSES = {
    "m38": "NER variant D (MSRA + CLUENER) reads no person in 龙腾, a name that is also a "
           "word, and 龙 is not in the surname list MSRA yields",
    "m01": "NER variant G reads 浙江省总工会党组 as the organization (党组书记 → 书记)",
    "m36": "NER variant G reads 长沙市 only, not 长沙市人民政府",
    "e14": _GOV, "e35": _GOV, "e49": _GOV,
}


def _rows(table: list) -> list:
    return [pytest.param(*row, id=row[0], marks=[pytest.mark.xfail(strict=True,
                                                                   reason=MODEL_MISSES[row[0]])])
            if row[0] in MODEL_MISSES else pytest.param(*row, id=row[0]) for row in table]


@pytest.mark.parametrize(("aid", "text", "expected"), _rows(MEMBERSHIPS))
def test_memberships(facts: Facts, aid: str, text: str, expected: set) -> None:
    assert facts.memberships(aid) == expected


@pytest.mark.parametrize(("aid", "text", "expected"), _rows(PLACES_AND_UNITS))
def test_located_in_and_part_of(facts: Facts, aid: str, text: str, expected: set) -> None:
    assert facts.places_and_units(aid) == expected


@pytest.mark.parametrize(("aid", "text", "kind", "trigger", "participants", "date"),
                         _rows(EVENTS))
def test_events(facts: Facts, aid: str, text: str, kind: str, trigger: str,
                participants: list[str], date: str | None) -> None:
    (event,) = facts.events(aid)  # exactly one event per sentence
    assert event[:3] == (kind, trigger, date)
    assert set(participants) <= event[3]


def test_no_title_or_courtesy_form_is_a_person(facts: Facts) -> None:
    people = {e.label for e in facts.g.entities("Person")}
    assert not people & TITLES
    assert not any(p.endswith("先生") for p in people)
    assert facts.labels("n01", "Person") == {"李强"}
    assert facts.memberships("n01") == set()


def test_two_cities_unions_are_not_merged(facts: Facts) -> None:
    assert facts.memberships("n03") == {("张明华", "副主席", "杭州市总工会")}
    assert facts.memberships("n04") == {("李文彬", "主席", "苏州市总工会")}
    unions = {e.label: e.iri for e in facts.g.entities("Organization")}
    assert unions["杭州市总工会"] != unions["苏州市总工会"]


def test_union_of_an_article_naming_two_cities_stays_unresolved(facts: Facts) -> None:
    (membership,) = facts.memberships("n09")
    assert membership == ("陈华", "副主席", "市总工会")
    assert not {"南京市总工会", "苏州市总工会"} & facts.labels("n09", "Organization")


def test_people_sharing_a_surname_stay_apart(facts: Facts) -> None:
    people = {e.label: e for e in facts.g.entities("Person")}
    assert people["王明贵"].iri != people["王世农"].iri
    assert "王世农" not in people["王明贵"].aliases
    assert facts.memberships("m44") == {("王明贵", "副主席", "重庆市总工会")}
    assert {(r.role, r.object_label) for r in facts.g.relations("王明贵")} == {
        ("副主席", "重庆市总工会")}
    assert facts.memberships("m39") == {("王世农", "副主席", "山东省总工会")}


def test_slogan_is_not_an_organization(facts: Facts) -> None:
    assert facts.labels("n07", "Organization") == set()
    assert facts.labels("n07", "Person") == set()


def test_photo_date_dates_no_event(facts: Facts) -> None:
    dates = {date for _, _, date, _ in facts.events("n08")}
    assert "2025-03-08" not in dates
    assert facts.labels("n08", "Person") == {"王鹏"}
