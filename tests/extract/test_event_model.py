"""The learned event extractor, its scorer and the DuEE schema, on sentences written for them.

The sentences are written for these tests (not taken from DuEE); the expected values are what
the shipped model gives and what a reader would mark.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from kg.extract.bio import bio_spans
from kg.extract.event_eval import format_scores, load_duee, score_events
from kg.extract.event_model import EventPrediction, load_event_model

SCHEMA = Path(__file__).resolve().parents[2] / "kg" / "resources" / "schema" / "events-duee.toml"


@pytest.fixture(scope="module")
def model():
    return load_event_model()


@pytest.fixture(scope="module")
def schema():
    return tomllib.loads(SCHEMA.read_text(encoding="utf-8"))


# -- the schema -------------------------------------------------------------------------------
def test_schema_has_duee_classes_types_and_roles(schema):
    assert len(schema["class"]) == 9
    assert len(schema["type"]) == 65
    assert sum(len(t["role"]) for t in schema["type"]) == 217
    classes = {c["id"] for c in schema["class"]}
    assert all(c["parent"] == "Event" for c in schema["class"])
    assert {t["parent"] for t in schema["type"]} == classes
    ids = [t["id"] for t in schema["type"]] + sorted(classes)
    assert len(ids) == len(set(ids))
    assert all(i.isascii() and i[0].isupper() for i in ids)
    arrest = next(t for t in schema["type"] if t["duee"] == "司法行为-拘捕")
    assert (arrest["id"], arrest["zh"], arrest["parent"]) == ("Arrest", "拘捕", "JusticeEvent")
    assert [r["id"] for r in arrest["role"]] == ["time", "arrester", "arrestee"]


def test_schema_role_ids_agree_across_types(schema):
    kinds = {"PER", "ORG", "LOC", "TIME", "VALUE"}
    seen: dict[str, tuple] = {}
    for t in schema["type"]:
        for r in t["role"]:
            assert set(r["entity"]) <= kinds
            assert r["id"].isascii() and r["id"][0].islower() and r["en"]
            assert seen.setdefault(r["id"], (r["entity"], r["super"])) == (r["entity"], r["super"])
            if r["zh"] == "时间":
                assert (r["id"], r["entity"], r["super"]) == ("time", ["TIME"], "sem:hasTimeStamp")
            if r["zh"] in ("地点", "震中"):
                assert r["entity"] == ["LOC"] and r["super"] == "sem:hasPlace"


# -- the scorer -------------------------------------------------------------------------------
def _rec(text, *events, rid=None):
    out = {"text": text, "event_list": [
        {"event_type": t, "trigger": text[s:e], "trigger_start_index": s,
         "arguments": [{"role": r, "argument": text[a:b], "argument_start_index": a}
                       for r, a, b in args]}
        for t, s, e, args in events]}
    if rid is not None:
        out["id"] = rid
    return out


def test_score_events_exact_and_overlap():
    text = "昨天警方在上海抓获两名嫌疑人"
    gold = [_rec(text, ("司法行为-拘捕", 7, 9, [("时间", 0, 2), ("拘捕者", 2, 4),
                                          ("被拘捕者", 9, 14)]))]
    pred = [_rec(text, ("司法行为-拘捕", 7, 9, [("时间", 0, 2), ("被拘捕者", 11, 14),
                                          ("拘捕者", 5, 7)]),
                 ("人生-失联", 9, 11, []))]
    s = score_events(gold, pred)
    assert s["trigger"]["exact"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667,
                                     "correct": 1, "gold": 1, "predicted": 2}
    assert s["argument"]["exact"]["correct"] == 1
    assert s["argument"]["overlap"]["correct"] == 2      # 嫌疑人 overlaps 两名嫌疑人
    assert s["argument"]["overlap"]["precision"] == round(2 / 3, 4)
    assert s["per_class"]["司法行为"]["trigger"]["exact"]["f1"] == 1.0
    assert s["per_class"]["人生"]["trigger"]["exact"]["predicted"] == 1
    assert "trigger" in format_scores(s)


def test_score_events_pairs_by_id_and_wrong_type_is_wrong():
    a = _rec("甲公司裁员", ("组织关系-裁员", 3, 5, [("裁员方", 0, 3)]), rid="a")
    b = _rec("乙队夺冠", ("竞赛行为-夺冠", 2, 4, [("冠军", 0, 2)]), rid="b")
    b_wrong = _rec("乙队夺冠", ("竞赛行为-晋级", 2, 4, [("晋级方", 0, 2)]), rid="b")
    s = score_events([a, b], [b_wrong, a])
    assert s["trigger"]["exact"]["correct"] == 1 and s["trigger"]["overlap"]["correct"] == 1
    assert s["argument"]["exact"]["correct"] == 1
    assert score_events([a], [{"id": "a", "text": a["text"], "event_list": []}])["trigger"][
        "exact"]["recall"] == 0.0


def test_load_duee_checks_offsets(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_rec("乙队夺冠", ("竞赛行为-夺冠", 2, 4, [("冠军", 0, 2)])),
                               ensure_ascii=False) + "\n\n", encoding="utf-8")
    assert len(load_duee(good)) == 1
    bad = tmp_path / "bad.json"
    rec = _rec("乙队夺冠", ("竞赛行为-夺冠", 2, 4, []))
    rec["event_list"][0]["trigger_start_index"] = 1
    bad.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="is not at 1"):
        load_duee(bad)


# -- the model --------------------------------------------------------------------------------
def test_bio_spans():
    import numpy as np

    assert bio_spans(np.array([0, 1, 2, 2, 0, 3, 5, 6])) == [(1, 4, 0), (5, 6, 1), (6, 8, 2)]


def test_model_is_cached_and_knows_the_schema(model, schema):
    assert load_event_model() is model
    assert len(model.types) == 65
    assert set(model.type_ids) == {t["id"] for t in schema["type"]}


def test_empty_input(model):
    assert model.predict([]) == []
    assert model.predict(["", "今天天气晴朗，适合外出散步。"]) == [[], []]


# Sentences written for these tests. Each: the text, then per expected event its kg type id,
# trigger text and start, and the arguments (role id, text, start) that must be among the
# event's arguments. Every listed value is what a reader would mark and what the model gives.
CASES = [
    ("3月5日，深圳警方在龙岗区抓获了涉嫌诈骗的犯罪嫌疑人王某。",
     [("Arrest", "抓获", 13, [("time", "3月5日", 0), ("arrester", "深圳警方", 5),
                             ("arrestee", "涉嫌诈骗的犯罪嫌疑人王某", 16)])]),
    ("据中国地震台网测定，12月1日凌晨3时，四川省凉山州发生5.1级地震，震源深度10千米。",
     [("Earthquake", "地震", 32, [("time", "12月1日凌晨3时", 10), ("magnitude", "5.1级", 28),
                                 ("focalDepth", "10千米", 39)])]),
    ("在昨晚结束的决赛中，中国女排以3比1战胜日本队，第五次夺得亚洲杯冠军。",
     [("MatchResult", "战胜", 18, [("time", "昨晚", 1), ("winner", "中国女排", 10),
                                  ("loser", "日本队", 20)]),
      ("WinTitle", "冠军", 32, [("champion", "中国女排", 10), ("competition", "亚洲杯", 29)])]),
    ("小米公司今天在北京发布了新款折叠屏手机。",
     [("ProductLaunch", "发布", 9, [("releaser", "小米公司", 0), ("time", "今天", 4),
                                    ("product", "新款折叠屏手机", 12)])]),
    ("受市场低迷影响，某汽车制造商宣布将在全球裁员3000人。",
     [("Layoff", "裁员", 20, [("layoffCount", "3000人", 22)])]),
    ("著名表演艺术家李某因病在上海逝世，享年85岁。",
     [("Death", "逝世", 14, [("deceased", "著名表演艺术家李某", 0), ("age", "85岁", 19)])]),
    ("今天上午，一辆货车在京港澳高速上发生车祸，造成2人死亡、5人受伤。",
     [("TrafficAccident", "车祸", 18, [("time", "今天上午", 0), ("place", "京港澳高速上", 10),
                                       ("deaths", "2人", 23), ("injuries", "5人", 28)])]),
    ("演员陈某与妻子刘某于上周在杭州举行婚礼。",
     [("Wedding", "婚礼", 17, [("time", "上周", 10), ("place", "杭州", 13)])]),
    ("昨日下午，市区一栋居民楼突发大火，所幸无人员伤亡。",
     [("Fire", "大火", 14, [("time", "昨日下午", 0), ("place", "市区一栋居民楼", 5)])]),
    ("该公司董事长张某因个人原因辞去董事长职务。",
     [("Resignation", "辞去", 13, [("leaver", "该公司董事长张某", 0)])]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:8] for c in CASES])
def test_events_of_written_sentences(model, text, expected):
    events = model.predict([text])[0]
    got = {(e.type, e.trigger[2], e.trigger[0]): e for e in events}
    for type_id, trigger, start, args in expected:
        event = got[(type_id, trigger, start)]
        assert event.trigger == (start, start + len(trigger), trigger)
        have = {(a.role, a.text, a.start) for a in event.arguments}
        assert set(args) <= have, (set(args) - have)


def test_offsets_are_code_points_into_the_given_text(model):
    # astral characters (𠮷, emoji) and full-width digits must not shift any offset
    texts = [c[0] for c in CASES] + ["😀😀据报道，𠮷野公司昨天宣布裁员２００人。", "中国队夺冠"]
    for text, events in zip(texts, model.predict(texts), strict=True):
        for e in events:
            s, end, span = e.trigger
            assert text[s:end] == span and span
            assert 0 <= e.score <= 1
            for a in e.arguments:
                assert text[a.start:a.end] == a.text and a.text
                assert a.score >= 0.6
    layoff = model.predict(["😀😀据报道，𠮷野公司昨天宣布裁员２００人。"])[0]
    assert [(e.type, e.trigger) for e in layoff] == [("Layoff", (14, 16, "裁员"))]


def test_roles_belong_to_the_event_type(model, schema):
    roles = {t["id"]: {r["id"] for r in t["role"]} for t in schema["type"]}
    texts = [c[0] for c in CASES]
    for events in model.predict(texts):
        for e in events:
            assert isinstance(e, EventPrediction)
            assert {a.role for a in e.arguments} <= roles[e.type]


def test_batching_does_not_change_predictions(model):
    texts = [c[0] for c in CASES]
    one_by_one = [model.predict([t])[0] for t in texts]
    assert model.predict(texts, batch_size=3) == one_by_one
    assert model.predict(texts[::-1]) == one_by_one[::-1]


def test_thresholds_and_duee_output(model):
    text = CASES[0][0]
    everything = model.predict([text], min_trigger_score=0, min_argument_score=0)[0]
    assert len(everything[0].arguments) >= len(model.predict([text])[0][0].arguments)
    rec = model.predict_duee([{"id": "x", "text": text}])[0]
    assert rec["id"] == "x" and rec["event_list"][0]["event_type"] == "司法行为-拘捕"
    assert rec["event_list"][0]["trigger_start_index"] == 13
    assert score_events([rec], [rec])["argument"]["exact"]["f1"] == 1.0


def test_bio_viterbi_is_the_constrained_viterbi():
    import numpy as np

    from kg.extract.bio import bio_transitions, bio_viterbi
    from kg.recognize.ner.tagging import viterbi

    rng = np.random.default_rng(0)
    for n_labels in (1, 3, 65):
        lengths = np.array([7, 1, 12, 5])
        logp = np.log(rng.dirichlet(np.ones(1 + 2 * n_labels) * 0.3, (4, 12)))
        trans, start = bio_transitions(n_labels)
        valid = np.arange(12)[None, :] < lengths[:, None]
        ref = viterbi(logp[valid], lengths, trans, start, np.zeros(len(start)))
        assert bio_viterbi(logp, lengths)[valid].tolist() == ref.tolist()


def test_the_gate_skips_sentences_without_a_trigger_word(model, monkeypatch):
    # a sentence with none of DuEE train's trigger words never reaches the network
    assert model.gate is not None
    calls = []
    real = model._predict_batch
    monkeypatch.setattr(model, "_predict_batch",
                        lambda texts, *a: calls.append(list(texts)) or real(texts, *a))
    quiet = "画虎要画出变化多端的体态动势，以求展现虎的性格特征。"
    news = "3月5日，某公司宣布裁员300人。"
    gated = model.predict([quiet, news])
    assert calls == [[news]] and gated[0] == []
    assert gated[1] and gated[1] == model.predict([news])[0]
    calls.clear()
    model.predict([quiet], gated=False)
    assert calls == [[quiet]]
