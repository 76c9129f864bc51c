"""kg.extract.learned_events: the model's predictions become events with linked arguments.

The predictions here are written by hand (what the network returns for these
sentences), so the tests check the linking, not the network.
"""

from __future__ import annotations

import pytest

import kg
from kg.extract.context import ArticleContext
from kg.extract.event_model import Argument, EventPrediction
from kg.extract.learned_events import events_of
from kg.model import Article, Mention

TEXT = "3月2日，警方在杭州市抓获了犯罪嫌疑人张某某，另有3名同伙在逃。"


def _ctx(mentions: list[Mention]) -> ArticleContext:
    return ArticleContext.of(Article("a1", TEXT, date="2025-03-05"), mentions)


def _arrest(*args: Argument) -> EventPrediction:
    return EventPrediction("Arrest", "司法行为-拘捕", (13, 15, "抓获"), 0.93, list(args))


def test_arguments_link_to_the_recognized_mentions_and_times_become_the_date() -> None:
    suspect = Mention(19, 22, "张某某", "PER", article_id="a1")
    ctx = _ctx([Mention(8, 11, "杭州市", "LOC", article_id="a1"), suspect])
    pred = _arrest(Argument("time", 0, 4, "3月2日"),
                   Argument("arrestee", 16, 22, "犯罪嫌疑人张某某"),
                   Argument("arrester", 5, 7, "警方"))
    derived: list[Mention] = []
    (ev,) = events_of(ctx, ctx.sentences[0], [pred], derived)
    assert (ev.type, ev.trigger, ev.trigger_start, ev.date) == ("Arrest", "抓获", 13, "2025-03-02")
    roles = [(role, m.text, m.type) for role, m in ev.arguments]
    # the suspect is the recognized 张某某 inside the span; 警方 is no name: a literal is not
    # allowed for an arrester, so it is dropped rather than made a person
    assert roles == [("time", "3月2日", "TIME"), ("arrestee", "张某某", "PER")]
    assert ev.arguments[1][1] is suspect and derived == []
    for _, m in ev.arguments:
        assert TEXT[m.start:m.end] == m.text


def test_a_name_the_recognizer_missed_becomes_a_mention_of_its_own() -> None:
    ctx = _ctx([])
    pred = _arrest(Argument("arrestee", 19, 22, "张某某"))
    derived: list[Mention] = []
    (ev,) = events_of(ctx, ctx.sentences[0], [pred], derived)
    assert [(m.text, m.type, m.recognizer) for m in derived] == [("张某某", "PER", "model:events")]
    assert ev.arguments == (("arrestee", derived[0]),)


def test_amounts_stay_literals_with_their_role() -> None:
    text = "据悉，阿里巴巴集团以50亿元收购了饿了么公司。"
    buyer = Mention(3, 9, "阿里巴巴集团", "ORG", article_id="b")
    ctx = ArticleContext.of(Article("b", text), [buyer])
    pred = EventPrediction("Acquisition", "财经/交易-出售/收购", (14, 16, "收购"), 0.9, [
        Argument("buyer", 3, 9, "阿里巴巴集团"), Argument("salePrice", 10, 14, "50亿元")])
    (ev,) = events_of(ctx, ctx.sentences[0], [pred], [])
    assert [(r, m.text, m.type) for r, m in ev.arguments] == [
        ("buyer", "阿里巴巴集团", "ORG"), ("salePrice", "50亿元", "VALUE")]


def test_a_type_or_role_the_schema_lacks_is_an_error() -> None:
    ctx = _ctx([])
    with pytest.raises(kg.UsageError, match="unknown event type 'Kidnap'"):
        events_of(ctx, ctx.sentences[0],
                  [EventPrediction("Kidnap", "x", (13, 15, "抓获"), 0.5, [])], [])
    with pytest.raises(kg.UsageError, match="has no role 'victim'"):
        events_of(ctx, ctx.sentences[0], [_arrest(Argument("victim", 19, 22, "张某某"))], [])
