"""Events found by the learned extractor: DuEE's types, triggers and argument roles.

The network of :mod:`kg.extract.event_model` reads each prose sentence and
proposes events (a type of the schema, a trigger span) with arguments (a
role of that type, a span). This extractor turns them into
:class:`~kg.model.Event` records:

* a PER/ORG/LOC argument becomes a link to the recognizer's mention at that
  span (or the mention inside it: 警方抓获了犯罪嫌疑人张某 → 张某); a span the
  recognizer missed becomes a mention of its own when it reads as a name
  (a surname and a given name, an organization suffix, a known place);
* anything else — an amount, a count, a score, a description (3名犯罪嫌疑人)
  — stays a literal with its role, where the role allows one;
* a TIME argument, normalised against the article's date, is the event's date.

Every argument keeps its exact span; the event's evidence is its sentence.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from kg.extract.context import ArticleContext, Extraction, prose_sentences
from kg.extract.event_model import EventPrediction, has_event_model, load_event_model
from kg.extract.labels import clause_span, summary
from kg.lexicon.gazetteer import gazetteer
from kg.lexicon.rules import org_suffix_regex, surnames
from kg.model import Article, Event, Mention
from kg.registry import event_type, relation_extractor, relation_extractors
from kg.schema import EventType, Role
from kg.text.chars import is_cjk
from kg.text.dates import find_dates

__all__ = ["events_of", "predicted_together"]

RULE = "model:events"


def _name_kind(text: str, role: Role) -> str | None:
    """The entity kind a span the recognizer missed reads as, if it reads as a name."""
    if not 2 <= len(text) <= 12 or not all(is_cjk(ch) or ch == "·" for ch in text):
        return None
    if "LOC" in role.entity and gazetteer().lookup(text) is not None:
        return "LOC"
    if "ORG" in role.entity and len(text) >= 4:
        ends = [m.end() for m in org_suffix_regex().finditer(text)]
        if ends and ends[-1] == len(text):
            return "ORG"
    if "PER" in role.entity and len(text) <= 4 and (text[:1] in surnames()
                                                   or text[:2] in surnames()):
        return "PER"
    return None


def _argument(ctx: ArticleContext, inside: Sequence[Mention], role: Role, start: int, end: int,
              derived: list[Mention]) -> Mention | None:
    """The mention an argument span stands for: a recognized one, a new name, or a literal."""
    text = ctx.text[start:end]
    if role.links_entities:
        wanted = [m for m in inside if m.type in role.entity]
        exact = [m for m in wanted if (m.start, m.end) == (start, end)]
        within = [m for m in wanted if start <= m.start and m.end <= end]
        if exact or len(within) == 1:
            return (exact or within)[0]
        kind = _name_kind(text, role)
        if kind is not None:
            m = Mention(start, end, text, kind, score=0.6, recognizer=RULE,
                        article_id=ctx.article.id)
            derived.append(m)
            return m
    if role.takes_literals:
        kind = "TIME" if "TIME" in role.entity else "VALUE"
        return Mention(start, end, text, kind, recognizer=RULE, article_id=ctx.article.id)
    return None


def _date(ctx: ArticleContext, times: Sequence[Mention]) -> tuple[str, str | None]:
    """The first TIME argument that normalises to a date, and that date.

    A span the model cut short (6月 of 6月9日晚间) reads as the whole date
    expression of the text it overlaps.
    """
    base = ctx.article.date or ctx.article.published
    for m in times:
        sent = ctx.index.at(m.start) or (m.start, m.end)
        around = [d for d in find_dates(ctx.text[sent[0]:sent[1]], base)
                  if sent[0] + d.start < m.end and m.start < sent[0] + d.end and d.value]
        found = find_dates(m.text, base)
        if around and (not found or len(around[0].value or "") > len(found[0].value or "")):
            return m.text, around[0].value
        if found and found[0].value:
            return m.text, found[0].value
    return (times[0].text, None) if times else ("", None)


def _where_it_happened(ctx: ArticleContext, inside: Sequence[Mention], kind: EventType,
                       sent: tuple[int, int], trigger: int) -> list[tuple[str, Mention]]:
    """The places before 发生 in the trigger's clause, for a type with a place role
    the model left empty (浙江省台州市路桥区一家厂房发生火灾)."""
    role = next((r.id for r in kind.roles if tuple(r.entity) == ("LOC",)), None)
    if role is None:
        return []
    c0, _ = clause_span(ctx.text, sent, trigger)
    verb = ctx.text.rfind("发生", c0, trigger)
    if verb < 0:
        return []
    return [(role, m) for m in inside if m.type == "LOC" and c0 <= m.start and m.end <= verb
            and ctx.text[m.start - 1:m.start] not in ("从", "自", "赴", "往", "到")]


def events_of(ctx: ArticleContext, sent: tuple[int, int], preds: Sequence[EventPrediction],
              derived: list[Mention]) -> list[Event]:
    """The events of one sentence from the model's predictions on its text."""
    s, e = sent
    inside = ctx.inside(sent)
    out = []
    for p in preds:
        kind: EventType = event_type(p.type)  # a type the schema lacks is an error
        args: list[tuple[str, Mention]] = []
        for a in p.arguments:
            role = kind.role(a.role)
            m = _argument(ctx, inside, role, s + a.start, s + a.end, derived)
            if m is not None:
                args.append((role.id, m))
        date_text, date = _date(ctx, [m for _, m in args if m.type == "TIME"])
        t0, t1, trigger = p.trigger
        if not any(tuple(kind.role(r).entity) == ("LOC",) for r, _ in args):
            args += _where_it_happened(ctx, inside, kind, sent, s + t0)
        actors = [m for _, m in args if m.type in ("PER", "ORG", "LOC")]
        out.append(Event(ctx.article.id, s, e, ctx.text[s:e], trigger, s + t0, s + t1, kind.id,
                         date=date, date_text=date_text, arguments=tuple(args), rule=RULE,
                         score=p.score,
                         summary=summary(ctx.text, sent, s + t0, s + t1, actors)))
    return out


_PREDICTED: contextvars.ContextVar[dict[str, list[EventPrediction]] | None] = (
    contextvars.ContextVar("kg_event_predictions", default=None))


@contextmanager
def predicted_together(articles: Sequence[Article]) -> Iterator[None]:
    """Run the event model once over every prose sentence of ``articles``.

    Inside the block the ``event-model`` extractor reads its predictions from
    that one batched call instead of calling the network once per article:
    a build batch's 32 articles make a few large matrix products, not 32
    rounds of small ones (the same predictions; measured on 300 news
    articles, the event model's time fell by about half). Nothing is done
    when the extractor has been replaced or the model is not shipped.
    """
    ours = any(e.fn is _model_events for e in relation_extractors())
    if not (ours and has_event_model()):
        yield
        return
    texts = list(dict.fromkeys(a.text[s:e] for a in articles for s, e in prose_sentences(a)))
    token = _PREDICTED.set(dict(zip(texts, load_event_model().predict(texts), strict=True)))
    try:
        yield
    finally:
        _PREDICTED.reset(token)


@relation_extractor("event-model", after="events")
def _model_events(ctx: ArticleContext) -> Extraction:
    if not has_event_model() or not ctx.sentences:
        return Extraction()
    texts = [ctx.text[s:e] for s, e in ctx.sentences]
    known = _PREDICTED.get()
    if known is not None and all(t in known for t in texts):
        preds = [known[t] for t in texts]
    else:
        preds = load_event_model().predict(texts)
    derived: list[Mention] = []
    found: list[Event] = []
    for sent, events in zip(ctx.sentences, preds, strict=True):
        found += events_of(ctx, sent, events, derived)
    return Extraction(tuple(derived), (), tuple(found))
