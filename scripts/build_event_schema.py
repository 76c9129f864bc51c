"""Write kg/resources/schema/events-duee.toml: DuEE 1.0's 65 event types in 9 classes as data.

    python scripts/build_event_schema.py [--schema ../shared/data/duee/duee_event_schema.json]
                                         [--out kg/resources/schema/events-duee.toml]

The DuEE schema file gives the type names and their roles in Chinese; this script adds
what the graph needs — an ontology class id and an English label per class and type, and
per role a property id, an English label, the kinds of entity expected and the standard
super-property — and fails if DuEE has a type or role it has no English for. Role ids are
shared across types only where the meaning is the same (``time``, ``place``, ``deaths``…),
and then always with the same super-property and entity kinds (checked).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CLASSES = {  # DuEE class -> (id, en)
    "财经/交易": ("FinanceEvent", "finance or trade event"),
    "产品行为": ("ProductEvent", "product event"),
    "交往": ("InteractionEvent", "social interaction event"),
    "竞赛行为": ("CompetitionEvent", "competition event"),
    "人生": ("LifeEvent", "life event"),
    "司法行为": ("JusticeEvent", "justice event"),
    "灾害/意外": ("DisasterEvent", "disaster or accident"),
    "组织关系": ("OrganizationRelationEvent", "organizational relation event"),
    "组织行为": ("OrganizationActionEvent", "organizational action event"),
}

TYPES = {  # DuEE type -> (id, en)
    "财经/交易-出售/收购": ("Acquisition", "sale or acquisition"),
    "财经/交易-跌停": ("StockLimitDown", "stock falls by the daily limit"),
    "财经/交易-加息": ("RateHike", "interest rate rise"),
    "财经/交易-降价": ("PriceCut", "price cut"),
    "财经/交易-降息": ("RateCut", "interest rate cut"),
    "财经/交易-融资": ("Financing", "funding round"),
    "财经/交易-上市": ("Listing", "stock market listing"),
    "财经/交易-涨价": ("PriceIncrease", "price increase"),
    "财经/交易-涨停": ("StockLimitUp", "stock rises by the daily limit"),
    "产品行为-发布": ("ProductLaunch", "product launch"),
    "产品行为-获奖": ("AwardWin", "winning an award"),
    "产品行为-上映": ("FilmRelease", "film or show release"),
    "产品行为-下架": ("ProductRemoval", "product taken off the shelves"),
    "产品行为-召回": ("ProductRecall", "product recall"),
    "交往-道歉": ("Apology", "apology"),
    "交往-点赞": ("Praise", "praise"),
    "交往-感谢": ("Thanks", "thanks"),
    "交往-会见": ("MeetWith", "meeting with someone"),
    "交往-探班": ("SetVisit", "visit on set"),
    "竞赛行为-夺冠": ("WinTitle", "winning a title"),
    "竞赛行为-晋级": ("Advancement", "advancing in a competition"),
    "竞赛行为-禁赛": ("CompetitionBan", "competition ban"),
    "竞赛行为-胜负": ("MatchResult", "match result"),
    "竞赛行为-退赛": ("CompetitionWithdrawal", "withdrawal from a competition"),
    "竞赛行为-退役": ("Retirement", "retirement from sport"),
    "人生-产子/女": ("Childbirth", "birth of a child"),
    "人生-出轨": ("Affair", "extramarital affair"),
    "人生-订婚": ("Engagement", "engagement"),
    "人生-分手": ("Breakup", "breakup"),
    "人生-怀孕": ("Pregnancy", "pregnancy"),
    "人生-婚礼": ("Wedding", "wedding"),
    "人生-结婚": ("Marriage", "marriage"),
    "人生-离婚": ("Divorce", "divorce"),
    "人生-庆生": ("BirthdayCelebration", "birthday celebration"),
    "人生-求婚": ("MarriageProposal", "marriage proposal"),
    "人生-失联": ("Disappearance", "going missing"),
    "人生-死亡": ("Death", "death"),
    "司法行为-罚款": ("Fine", "fine"),
    "司法行为-拘捕": ("Arrest", "arrest"),
    "司法行为-举报": ("Denunciation", "reporting to the authorities"),
    "司法行为-开庭": ("CourtHearing", "court hearing"),
    "司法行为-立案": ("CaseFiling", "opening of a case"),
    "司法行为-起诉": ("Lawsuit", "lawsuit or indictment"),
    "司法行为-入狱": ("Imprisonment", "imprisonment"),
    "司法行为-约谈": ("Summons", "summons for a talk"),
    "灾害/意外-爆炸": ("Explosion", "explosion"),
    "灾害/意外-车祸": ("TrafficAccident", "traffic accident"),
    "灾害/意外-地震": ("Earthquake", "earthquake"),
    "灾害/意外-洪灾": ("Flood", "flood"),
    "灾害/意外-起火": ("Fire", "fire"),
    "灾害/意外-坍/垮塌": ("Collapse", "collapse"),
    "灾害/意外-袭击": ("Attack", "attack"),
    "灾害/意外-坠机": ("PlaneCrash", "plane crash"),
    "组织关系-裁员": ("Layoff", "layoff"),
    "组织关系-辞/离职": ("Resignation", "resignation"),
    "组织关系-加盟": ("Joining", "joining an organization"),
    "组织关系-解雇": ("Dismissal", "dismissal"),
    "组织关系-解散": ("Dissolution", "dissolution"),
    "组织关系-解约": ("ContractTermination", "termination of a contract"),
    "组织关系-停职": ("Suspension", "suspension from duty"),
    "组织关系-退出": ("Exit", "leaving an organization"),
    "组织行为-罢工": ("Strike", "strike"),
    "组织行为-闭幕": ("EventClosing", "closing of an event"),
    "组织行为-开幕": ("EventOpening", "opening of an event"),
    "组织行为-游行": ("Demonstration", "demonstration or parade"),
}

PO = ["PER", "ORG"]
ACTOR, PART, OBJ, ABOUT, VAL = ("sem:hasActor", "schema:participant", "schema:object",
                                 "schema:about", "schema:value")
SUPER_EVENT = "schema:superEvent"

ROLES = {  # DuEE role -> (id, en, entity kinds, super-property)
    "时间": ("time", "time", ["TIME"], "sem:hasTimeStamp"),
    "地点": ("place", "place", ["LOC"], "sem:hasPlace"),
    "震中": ("epicenter", "epicenter", ["LOC"], "sem:hasPlace"),
    # finance / trade
    "出售方": ("seller", "seller", PO, ACTOR),
    "收购方": ("buyer", "buyer", PO, ACTOR),
    "交易物": ("tradedItem", "item traded", ["ORG", "VALUE"], OBJ),
    "出售价格": ("salePrice", "sale price", ["VALUE"], VAL),
    "跌停股票": ("stock", "stock", ["ORG", "VALUE"], OBJ),
    "涨停股票": ("stock", "stock", ["ORG", "VALUE"], OBJ),
    "加息幅度": ("rateRise", "size of the rate rise", ["VALUE"], VAL),
    "降息幅度": ("rateCutSize", "size of the rate cut", ["VALUE"], VAL),
    "加息机构": ("rateSetter", "institution setting the rate", ["ORG"], ACTOR),
    "降息机构": ("rateSetter", "institution setting the rate", ["ORG"], ACTOR),
    "降价方": ("priceSetter", "party changing the price", PO, ACTOR),
    "涨价方": ("priceSetter", "party changing the price", PO, ACTOR),
    "降价物": ("pricedItem", "item whose price changes", ["VALUE"], OBJ),
    "涨价物": ("pricedItem", "item whose price changes", ["VALUE"], OBJ),
    "降价幅度": ("priceCutSize", "size of the price cut", ["VALUE"], VAL),
    "涨价幅度": ("priceRise", "size of the price rise", ["VALUE"], VAL),
    "融资方": ("fundraiser", "company raising funds", PO, ACTOR),
    "领投方": ("leadInvestor", "lead investor", PO, ACTOR),
    "跟投方": ("coInvestor", "co-investor", PO, ACTOR),
    "融资轮次": ("fundingRound", "funding round", ["VALUE"], ABOUT),
    "融资金额": ("amountRaised", "amount raised", ["VALUE"], VAL),
    "上市企业": ("listedCompany", "company listed", ["ORG"], ACTOR),
    # products
    "发布产品": ("product", "product", ["VALUE"], OBJ),
    "下架产品": ("product", "product", ["VALUE"], OBJ),
    "召回内容": ("product", "product", ["VALUE"], OBJ),
    "发布方": ("releaser", "party releasing the product", PO, ACTOR),
    "获奖人": ("awardee", "award winner", PO, ACTOR),
    "奖项": ("award", "award", ["VALUE"], ABOUT),
    "颁奖机构": ("awardPresenter", "awarding body", ["ORG"], "schema:organizer"),
    "上映方": ("distributor", "distributor", PO, ACTOR),
    "上映影视": ("work", "film or show", ["VALUE"], OBJ),
    "下架方": ("remover", "party taking the product off", PO, ACTOR),
    "被下架方": ("removedParty", "party whose product is taken off", PO, PART),
    "召回方": ("recaller", "party recalling the product", PO, ACTOR),
    # interaction
    "道歉者": ("apologizer", "party apologizing", PO, ACTOR),
    "道歉对象": ("apologyRecipient", "party apologized to", PO, PART),
    "点赞方": ("praiser", "party praising", PO, ACTOR),
    "点赞对象": ("praised", "party praised", PO, PART),
    "致谢人": ("thanker", "party thanking", PO, ACTOR),
    "被感谢人": ("thanked", "party thanked", PO, PART),
    "会见主体": ("host", "party meeting", PO, ACTOR),
    "会见对象": ("guest", "party met", PO, PART),
    "探班主体": ("setVisitor", "visitor on set", ["PER"], ACTOR),
    "探班对象": ("setVisitee", "person visited on set", ["PER"], PART),
    # competition
    "冠军": ("champion", "champion", PO, ACTOR),
    "夺冠赛事": ("competition", "competition", ["VALUE"], SUPER_EVENT),
    "晋级赛事": ("competition", "competition", ["VALUE"], SUPER_EVENT),
    "赛事名称": ("competition", "competition", ["VALUE"], SUPER_EVENT),
    "退赛赛事": ("competition", "competition", ["VALUE"], SUPER_EVENT),
    "晋级方": ("qualifier", "party advancing", PO, ACTOR),
    "禁赛时长": ("banLength", "length of the ban", ["VALUE"], VAL),
    "被禁赛人员": ("bannedParty", "party banned", PO, PART),
    "禁赛机构": ("banningBody", "body imposing the ban", ["ORG"], ACTOR),
    "胜者": ("winner", "winner", PO, ACTOR),
    "败者": ("loser", "loser", PO, ACTOR),
    "退赛方": ("withdrawingParty", "party withdrawing", PO, ACTOR),
    "退役者": ("retiree", "person retiring", ["PER"], ACTOR),
    # life
    "产子者": ("parent", "parent", ["PER"], ACTOR),
    "出生者": ("newborn", "newborn", ["PER"], PART),
    "出轨方": ("unfaithfulPartner", "unfaithful partner", ["PER"], ACTOR),
    "出轨对象": ("affairPartner", "affair partner", ["PER"], PART),
    "订婚主体": ("fiance", "engaged person", ["PER"], ACTOR),
    "分手双方": ("separatingPartner", "partner breaking up", ["PER"], ACTOR),
    "怀孕者": ("pregnantPerson", "pregnant person", ["PER"], ACTOR),
    "参礼人员": ("weddingGuest", "wedding guest", ["PER"], PART),
    "结婚双方": ("spouse", "spouse", ["PER"], ACTOR),
    "离婚双方": ("divorcingSpouse", "divorcing spouse", ["PER"], ACTOR),
    "生日方": ("birthdayPerson", "person whose birthday it is", PO, ACTOR),
    "生日方年龄": ("age", "age", ["VALUE"], VAL),
    "死者年龄": ("age", "age", ["VALUE"], VAL),
    "庆祝方": ("celebrant", "party celebrating", PO, PART),
    "求婚者": ("proposer", "person proposing", ["PER"], ACTOR),
    "求婚对象": ("proposee", "person proposed to", ["PER"], PART),
    "失联者": ("missingPerson", "missing person", ["PER"], ACTOR),
    "死者": ("deceased", "deceased", ["PER"], ACTOR),
    # justice
    "罚款对象": ("finedParty", "party fined", PO, PART),
    "执法机构": ("enforcementAgency", "enforcement agency", ["ORG"], ACTOR),
    "罚款金额": ("fineAmount", "amount of the fine", ["VALUE"], VAL),
    "拘捕者": ("arrester", "party making the arrest", PO, ACTOR),
    "被拘捕者": ("arrestee", "arrestee", PO, ACTOR),
    "举报发起方": ("informant", "party reporting", PO, ACTOR),
    "举报对象": ("reportedParty", "party reported", PO, PART),
    "开庭法院": ("court", "court", ["ORG"], ACTOR),
    "开庭案件": ("case", "case", ["VALUE"], ABOUT),
    "立案机构": ("investigatingAgency", "agency opening the case", ["ORG"], ACTOR),
    "立案对象": ("investigatedParty", "party investigated", PO, PART),
    "原告": ("plaintiff", "plaintiff or prosecutor", PO, ACTOR),
    "被告": ("defendant", "defendant", PO, PART),
    "入狱者": ("prisoner", "prisoner", ["PER"], ACTOR),
    "刑期": ("sentenceLength", "length of the sentence", ["VALUE"], VAL),
    "约谈发起方": ("summoningAgency", "party summoning", PO, ACTOR),
    "约谈对象": ("summonedParty", "party summoned", PO, PART),
    # disasters and accidents
    "死亡人数": ("deaths", "number of deaths", ["VALUE"], VAL),
    "受伤人数": ("injuries", "number of injured", ["VALUE"], VAL),
    "震级": ("magnitude", "magnitude", ["VALUE"], VAL),
    "震源深度": ("focalDepth", "focal depth", ["VALUE"], VAL),
    "坍塌主体": ("collapsedStructure", "structure that collapsed", ["LOC", "VALUE"], OBJ),
    "袭击者": ("attacker", "attacker", PO, ACTOR),
    "袭击对象": ("attackTarget", "target of the attack", ["PER", "ORG", "LOC"], PART),
    # organizations
    "裁员方": ("layoffEmployer", "employer laying off", ["ORG"], ACTOR),
    "裁员人数": ("layoffCount", "number laid off", ["VALUE"], VAL),
    "离职者": ("leaver", "person leaving", ["PER"], ACTOR),
    "原所属组织": ("formerOrganization", "former organization", ["ORG"], PART),
    "加盟者": ("joiner", "party joining", PO, ACTOR),
    "所加盟组织": ("joinedOrganization", "organization joined", ["ORG"], PART),
    "解雇方": ("dismisser", "party dismissing", PO, ACTOR),
    "被解雇人员": ("dismissedPerson", "person dismissed", ["PER"], PART),
    "解散方": ("dissolvedOrganization", "organization dissolved", ["ORG"], ACTOR),
    "解约方": ("terminatingParty", "party terminating the contract", PO, ACTOR),
    "被解约方": ("terminatedParty", "party whose contract is terminated", PO, PART),
    "所属组织": ("organization", "organization", ["ORG"], PART),
    "停职人员": ("suspendedPerson", "person suspended", ["PER"], ACTOR),
    "退出方": ("leavingParty", "party leaving", PO, ACTOR),
    "罢工人员": ("striker", "strikers", PO, ACTOR),
    "罢工人数": ("strikerCount", "number of strikers", ["VALUE"], VAL),
    "活动名称": ("activity", "event opened or closed", ["VALUE"], SUPER_EVENT),
    "游行组织": ("marchOrganizer", "organizer of the demonstration", ["ORG"], "schema:organizer"),
    "游行人数": ("marcherCount", "number of demonstrators", ["VALUE"], VAL),
}


def q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def build(schema_lines: list[str]) -> str:
    types = [json.loads(ln) for ln in schema_lines if ln.strip()]
    missing = sorted({t["event_type"] for t in types} - set(TYPES))
    missing += sorted({r["role"] for t in types for r in t["role_list"]} - set(ROLES))
    missing += sorted({t["class"] for t in types} - set(CLASSES))
    if missing:
        raise SystemExit(f"no English for {missing}")
    by_id: dict[str, tuple] = {}
    for _, (rid, _, entity, sup) in ROLES.items():
        if by_id.setdefault(rid, (entity, sup)) != (entity, sup):
            raise SystemExit(f"role id {rid} recurs with another entity or super-property")
    ids = [v[0] for v in TYPES.values()] + [v[0] for v in CLASSES.values()]
    if len(set(ids)) != len(ids):
        raise SystemExit("duplicate class or type ids")

    out = ["# DuEE 1.0's event types (65, in 9 classes) as ontology classes and their roles as",
           "# properties. Generated by scripts/build_event_schema.py from DuEE's",
           "# duee_event_schema.json (Baidu, research and teaching use only); edit the script,",
           "# not this file. Each role is the property kg:<id>, a sub-property of `super`;",
           "# `entity` is the kinds of thing expected (VALUE: a literal).", ""]
    seen_classes = []
    for t in types:
        if t["class"] not in seen_classes:
            seen_classes.append(t["class"])
    for zh in seen_classes:
        cid, en = CLASSES[zh]
        out += ["[[class]]", f"id = {q(cid)}", f"zh = {q(zh)}", f"en = {q(en)}",
                'parent = "Event"', ""]
    for t in types:
        tid, en = TYPES[t["event_type"]]
        out += ["[[type]]", f"id = {q(tid)}", f"zh = {q(t['event_type'].split('-', 1)[1])}",
                f"en = {q(en)}", f"parent = {q(CLASSES[t['class']][0])}",
                f"duee = {q(t['event_type'])}"]
        for r in t["role_list"]:
            rid, ren, entity, sup = ROLES[r["role"]]
            out += ["[[type.role]]", f"id = {q(rid)}", f"zh = {q(r['role'])}", f"en = {q(ren)}",
                    f"entity = [{', '.join(q(e) for e in entity)}]", f"super = {q(sup)}"]
        out.append("")
    return "\n".join(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schema",
                    default=str(ROOT.parent / "shared/data/duee/duee_event_schema.json"))
    ap.add_argument("--out", default=str(ROOT / "kg/resources/schema/events-duee.toml"))
    args = ap.parse_args()
    text = build(Path(args.schema).read_text(encoding="utf-8").splitlines())
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(text, encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
