"""Extraction quality: the facts kg builds from labelled pages against gold.

    .venv/bin/python benchmarks/bench_extract.py [-v] [--pages-only | --sample-only]
                                                 [--jieba-base]

Each page of ``benchmarks/data/gold.json`` is built on its own with
``kg.build`` and read back only through the public API (``g.entities()``,
``g.relations(name)``, ``g.sparql(...)``), so the score is the score of what a
user of the graph sees. ``benchmarks/data/sample-gold.json`` is a small,
*partial* gold for the bundled sample page and is printed separately.

Matching rules
--------------
* **Names.** A predicted name matches a gold name when it is the gold name,
  one of the gold ``aliases`` given for it, or the gold name's gazetteer full
  name (大连 → 大连市: the graph's canonical place name). Matching is exact
  after that mapping: no substring or fuzzy credit. Names in a page's
  ``ignore`` list (agencies, mastheads, borderline spans) are never counted.
* **Entities** (per type PER/ORG/LOC): entities of the graph that have at
  least one mention in the text (places the graph adds from the gazetteer
  hierarchy have none and are not scored), keyed by (type, name). A gold type
  ``LOC|ORG`` accepts either type.
* **Memberships**: (person, role, organization or null). Both org:Membership
  facts and bare titles (kg:holdsTitle, org null) are read; byline/credit
  memberships (rule ``credit:*``) are scored as credits instead. A gold slot
  that is a list accepts any of its values. ``memberships (person+role)*``
  ignores the organization (a diagnostic row).
* **located_in / part_of**: (thing, place) and (unit, parent), exact. The
  graph also states containment from its gazetteer (北京市 in 中国); such
  facts are world knowledge, not extraction: they count as right when the
  text states them (gold has them) and are ignored otherwise. Every fact
  derived from an article is scored in full.
* **Events**: a predicted event matches a gold event with the same type and
  trigger (a gold list of triggers accepts any) and at least one common
  participant (actors and the named thing founded/published, kg:about);
  each predicted event matches at most one gold event (most shared
  participants first, then the one carrying the gold date). A second event
  for the same happening (a headline restating the body) is a false positive.
* **Event dates**: over matched events: a predicted date is right when it
  equals the gold ISO date (day, month or year precision as the text gives);
  a date on an event the gold dates null (近日, 日前) is wrong. Recall is over
  the *matched* gold events that have a date (a missed event counts once,
  under events), so this row's gold column moves with event recall.
  ``event places*`` is scored the same way.
  Photo dates (``not_event_dates``: （3月2日摄）) dating any event are listed.
* **Credits**: (person, role) with role reporter, correspondent or
  photographer, per page.
* **Articles***: a headline matches when, without whitespace, it equals the
  gold title, optionally with its kicker before and/or subtitle after.
* Rows marked ``*`` are diagnostics and stay out of the micro total.
* **Partial gold** (the sample): recall is exact; precision counts only the
  predicted facts in the gold's scope (memberships/credits of gold people,
  located_in/part_of of gold subjects, events whose type and trigger appear
  in the gold); kinds with no scope show ``-``.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import kg
from kg.lexicon.gazetteer import gazetteer

DATA = Path(__file__).resolve().parent / "data"
CORE = ("entities PER", "entities ORG", "entities LOC", "memberships", "located_in",
        "part_of", "events", "event dates", "credits")
DIAGNOSTIC = ("memberships (person+role)*", "event places*", "articles*")
CREDIT_ROLES = {"reporters": "reporter", "correspondents": "correspondent",
                "photographers": "photographer"}
EVENT_TYPES = ("communication", "meeting", "founding", "publication", "competition",
               "agreement", "opening", "visit", "activity")


# ------------------------------------------------------------------ names


class Names:
    """Maps predicted and gold names of one page to one key per gold entity."""

    def __init__(self, page: dict) -> None:
        self.key_of: dict[str, str] = {}
        for name, alts in page.get("aliases", {}).items():
            for alt in alts:
                self.key_of[alt] = name
        gz = gazetteer()
        for name in sorted(gold_names(page)):
            self.key_of.setdefault(name, name)
            place = gz.lookup(name)
            if place is not None:
                self.key_of.setdefault(place.name, self.key_of[name])
        self.ignored = {self.key(n) for n in page.get("ignore", ())}

    def key(self, name: str | None) -> str | None:
        return None if name is None else self.key_of.get(name, name)

    def keys(self, slot: str | list | None) -> set[str | None]:
        """The keys a gold slot accepts (a list means any of them)."""
        values = slot if isinstance(slot, list) else [slot]
        return {self.key(v) for v in values}


def gold_names(page: dict) -> set[str]:
    names: set[str] = set(page.get("aliases", {}))
    for group in page.get("entities", {}).values():
        names.update(group)
    for fact in (*page.get("memberships", ()), *page.get("located_in", ()),
                 *page.get("part_of", ())):
        for i, slot in enumerate(fact):
            if i == 1 and len(fact) == 3:
                continue  # a role, not a name
            names.update(v for v in (slot if isinstance(slot, list) else [slot]) if v)
    for ev in page.get("events", ()):
        names.update(ev["participants"])
        names.update(v for v in (ev["place"] if isinstance(ev["place"], list) else [ev["place"]])
                     if v)
    for art in page.get("articles", ()):
        for role in CREDIT_ROLES:
            names.update(art.get(role, ()))
    return names


# ------------------------------------------------------------------ reading the graph


@dataclass
class Predicted:
    entities: set[tuple[str, str]] = field(default_factory=set)
    memberships: set[tuple[str, str, str | None]] = field(default_factory=set)
    credits: set[tuple[str, str]] = field(default_factory=set)
    located_in: dict[tuple[str, str], bool] = field(default_factory=dict)  # → from text
    part_of: dict[tuple[str, str], bool] = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)
    headlines: list[str] = field(default_factory=list)


TYPE_CODE = {"Person": "PER", "Organization": "ORG", "Place": "LOC"}

EVENTS_Q = """SELECT ?e ?t ?cls ?d WHERE {
  ?e kg:trigger ?t ; a ?cls . OPTIONAL { ?e schema:startDate ?d } }"""
ARGS_Q = """SELECT ?e ?p ?x WHERE {
  ?e kg:trigger ?t ; ?p ?n . VALUES ?p { sem:hasActor kg:about sem:hasPlace }
  ?n rdfs:label ?x }"""
CREDITS_Q = """SELECT ?p ?x WHERE {
  ?a a kg:NewsArticle ; ?p ?n . VALUES ?p { schema:author schema:contributor }
  ?n rdfs:label ?x }"""
HEADLINES_Q = "SELECT ?h WHERE { ?a a kg:NewsArticle ; schema:headline ?h }"


def read_graph(g: kg.KnowledgeGraph, names: Names) -> Predicted:
    """Everything the benchmark scores, read through the public API."""
    key = names.key
    out = Predicted()
    labels: set[str] = set()
    for cls, code in TYPE_CODE.items():
        for e in g.entities(cls):
            labels.add(e.label)
            if e.mentions:
                out.entities.add((code, key(e.label)))
    credit_roles: dict[str, str] = {}
    for label in sorted(labels):
        for r in g.relations(label):
            subj, obj = key(r.subject_label), key(r.object_label) if r.object_label else None
            if r.predicate == "holds_position":
                if r.rule.startswith("credit:"):
                    credit_roles[subj] = r.rule.split(":", 1)[1]
                else:
                    out.memberships.add((subj, r.role, obj))
            elif r.predicate in ("located_in", "part_of") and obj is not None:
                facts = out.located_in if r.predicate == "located_in" else out.part_of
                facts[(subj, obj)] = facts.get((subj, obj), False) or bool(r.article_id)
    for row in g.sparql(CREDITS_Q):
        person = key(str(row["x"]))
        default = "reporter" if str(row["p"]).endswith("author") else "contributor"
        out.credits.add((person, credit_roles.get(person, default)))
    args: dict[str, list[tuple[str, str]]] = collections.defaultdict(list)
    for row in g.sparql(ARGS_Q):
        args[str(row["e"])].append((str(row["p"]).rsplit("/", 1)[-1].rsplit("#", 1)[-1],
                                    key(str(row["x"]))))
    for row in g.sparql(EVENTS_Q):
        kind = str(row["cls"]).rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower()
        if kind not in EVENT_TYPES:
            continue
        ev_args = args[str(row["e"])]
        out.events.append({
            "iri": str(row["e"]), "type": kind, "trigger": str(row["t"]),
            "date": str(row["d"]) if row.get("d") is not None else None,
            "participants": {n for p, n in ev_args if p in ("hasActor", "about")},
            "places": {n for p, n in ev_args if p == "hasPlace"},
        })
    out.headlines = [str(row["h"]) for row in g.sparql(HEADLINES_Q)]
    return out


# ------------------------------------------------------------------ scoring


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    scoped: bool = True  # False: precision has no meaning (partial gold)
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.scoped = self.scoped and other.scoped
        self.misses += other.misses
        self.extras += other.extras

    def prf(self) -> tuple[float | None, float | None, float | None]:
        p = self.tp / (self.tp + self.fp) if self.scoped and self.tp + self.fp else None
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else None
        if not self.scoped and r is not None:
            return None, r, None
        f = 2 * p * r / (p + r) if p is not None and r is not None and p + r else \
            (0.0 if p is not None and r is not None else None)
        return p, r, f


def match(gold: list, predicted: Iterable, fits: Callable[[object, object], bool],
          in_scope: Callable[[object], bool] = lambda _: True, scoped: bool = True,
          ignored: Callable[[object], bool] = lambda _: False) -> Score:
    """Greedy one-to-one matching of gold items to predicted items."""
    left = [p for p in predicted if not ignored(p)]
    score = Score(scoped=scoped)
    for g in gold:
        hit = next((p for p in left if fits(g, p)), None)
        if hit is None:
            score.fn += 1
            score.misses.append(str(g))
        else:
            score.tp += 1
            left.remove(hit)
    extra = [p for p in left if in_scope(p)] if scoped else []
    score.fp = len(extra)
    score.extras = [str(p) for p in extra]
    return score


def score_page(page: dict, pred: Predicted, names: Names) -> dict[str, Score]:
    key, keys, ignored = names.key, names.keys, names.ignored
    partial = page.get("partial", False)
    out: dict[str, Score] = {}

    if "entities" in page:
        for code in ("PER", "ORG", "LOC"):
            gold = [(code, key(n)) for t, group in page["entities"].items() for n in group
                    if t.split("|")[0] == code]
            typed = {key(n): t.split("|") for t, group in page["entities"].items()
                     for n in group}  # a gold LOC|ORG takes either, scored as LOC
            predicted = {(typed[n][0] if n in typed and t in typed[n] else t, n)
                         for t, n in pred.entities}
            predicted = {x for x in predicted if x[0] == code}
            out[f"entities {code}"] = match(gold, sorted(predicted), lambda g, p: g == p,
                                            ignored=lambda p: p[1] in ignored)

    gold_m = [(key(p), r, o) for p, r, o in page.get("memberships", ())]
    persons = {p for p, _, _ in gold_m}
    mem_scope = (lambda p: p[0] in persons) if partial else (lambda p: True)

    def fits_m(g, p):
        roles = set(g[1]) if isinstance(g[1], list) else {g[1]}
        return p[0] == g[0] and p[1] in roles and p[2] in keys(g[2])

    out["memberships"] = match(gold_m, sorted(pred.memberships, key=str), fits_m, mem_scope)
    out["memberships (person+role)*"] = match(
        gold_m, sorted({(p, r) for p, r, _ in pred.memberships}),
        lambda g, p: p[0] == g[0] and p[1] in (set(g[1]) if isinstance(g[1], list) else {g[1]}),
        mem_scope)

    for kind, facts in (("located_in", pred.located_in), ("part_of", pred.part_of)):
        gold = [(key(a), b) for a, b in page.get(kind, ())]
        subjects = {a for a, _ in gold}

        def fits_rel(g, p):
            return p[0] == g[0] and p[1] in keys(g[1])

        # gazetteer-only facts count when the text states them, are ignored otherwise
        wanted = [p for p, from_text in sorted(facts.items())
                  if from_text or any(fits_rel(g, p) for g in gold)]
        scope = (lambda p, s=subjects: p[0] in s) if partial else (lambda p: True)
        out[kind] = match(gold, wanted, fits_rel, scope,
                          ignored=lambda p: p[0] in ignored or p[1] in ignored)

    gold_ev = page.get("events", [])
    triggers = {(e["type"], t) for e in gold_ev
                for t in (e["trigger"] if isinstance(e["trigger"], list) else [e["trigger"]])}
    ev_scope = (lambda e: (e["type"], e["trigger"]) in triggers) if partial else (lambda e: True)
    pairs, free = [], list(pred.events)
    ev_score = Score()
    for g in gold_ev:
        gtrig = g["trigger"] if isinstance(g["trigger"], list) else [g["trigger"]]
        gpart = {key(n) for n in g["participants"]}
        # most shared participants first; among duplicates, the one with the gold date
        cands = [(len(p["participants"] & gpart), p["date"] == g["date"], i)
                 for i, p in enumerate(free)
                 if p["type"] == g["type"] and p["trigger"] in gtrig and p["participants"] & gpart]
        if not cands:
            ev_score.fn += 1
            ev_score.misses.append(f"{g['type']} {g['trigger']} {g['participants']} {g['date']}")
            continue
        *_, i = max(cands)
        pairs.append((g, free.pop(i)))
        ev_score.tp += 1
    extra = [e for e in free if ev_scope(e)]
    ev_score.fp = len(extra)
    ev_score.extras = [f"{e['type']} {e['trigger']} {sorted(e['participants'])} {e['date']}"
                       for e in extra]
    out["events"] = ev_score

    dates, places = Score(), Score()
    for g, p in pairs:
        pdate = p["date"]
        if g["date"] is not None:
            if pdate == g["date"]:
                dates.tp += 1
            else:
                dates.fn += 1
                dates.misses.append(f"{g['trigger']} {g['participants']}: {g['date']}")
        if pdate is not None and pdate != g["date"]:
            dates.fp += 1
            dates.extras.append(f"{g['trigger']} {g['participants']}: {pdate}")
        want = keys(g["place"]) - {None}
        if want:
            if p["places"] & want:
                places.tp += 1
            else:
                places.fn += 1
                places.misses.append(f"{g['trigger']} {g['participants']}: {g['place']}")
        wrong = p["places"] - want
        places.fp += len(wrong)
        places.extras += [f"{g['trigger']} {g['participants']}: {w}" for w in sorted(wrong)]
    out["event dates"] = dates
    out["event places*"] = places

    gold_c = [(key(n), role) for art in page.get("articles", ())
              for field_, role in CREDIT_ROLES.items() for n in art.get(field_, ())]
    cpeople = {n for n, _ in gold_c}
    out["credits"] = match(gold_c, sorted(pred.credits), lambda g, p: g == p,
                           (lambda p: p[0] in cpeople) if partial else (lambda p: True))

    def forms(art: dict) -> set[str]:
        t, k, s = (art.get(x, "") for x in ("title", "kicker", "subtitle"))
        return {"".join((a + t + b).split()) for a in {"", k} for b in {"", s}}

    out["articles*"] = match(page.get("articles", []), pred.headlines,
                             lambda g, p: "".join(p.split()) in forms(g),
                             scoped=not partial)
    if partial:
        for kind in ("entities PER", "entities ORG", "entities LOC"):
            out.pop(kind, None)
    return out


def photo_dates(page: dict, pred: Predicted) -> list[str]:
    bad = set(page.get("not_event_dates", ()))
    return [f"{e['trigger']} {sorted(e['participants'])} {e['date']}"
            for e in pred.events if e["date"] in bad]


# ------------------------------------------------------------------ report


def fmt(x: float | None) -> str:
    return "    -" if x is None else f"{x:5.3f}"


def report(title: str, gold_file: Path, verbose: bool, recognizer: str | None = None) -> None:
    spec = json.loads(gold_file.read_text("utf-8"))
    totals: dict[str, Score] = collections.defaultdict(Score)
    started = time.perf_counter()
    for page in spec["pages"]:
        path = (gold_file.parent / page["file"]).resolve()
        g = kg.build([str(path)], recognizer=recognizer)
        names = Names(page)
        pred = read_graph(g, names)
        scores = score_page(page, pred, names)
        core = Score()
        for kind, s in scores.items():
            totals[kind].add(s)
            if kind in CORE:
                core.add(s)
        p, r, f = core.prf()
        bad = photo_dates(page, pred)
        print(f"  {path.name}: micro P {fmt(p)} R {fmt(r)} F1 {fmt(f)}"
              f"   photo dates as event dates: {len(bad)}")
        if verbose:
            for kind, s in scores.items():
                for m in s.misses:
                    print(f"      {kind:28} missed  {m}")
                for e in s.extras:
                    print(f"      {kind:28} extra   {e}")
            for b in bad:
                print(f"      photo date on event  {b}")
    print(f"\n  {'kind':30} {'gold':>5} {'pred':>5} {'tp':>5}   {'P':>5}   {'R':>5}  {'F1':>5}")
    micro = Score()
    for kind in (*CORE, *DIAGNOSTIC):
        if kind not in totals:
            continue
        s = totals[kind]
        if kind in CORE:
            micro.add(s)
        p, r, f = s.prf()
        pred_n = str(s.tp + s.fp) if s.scoped else "-"
        print(f"  {kind:30} {s.tp + s.fn:5} {pred_n:>5} {s.tp:5}   {fmt(p)}   {fmt(r)}  {fmt(f)}")
    p, r, f = micro.prf()
    print(f"  {'micro (unstarred rows)':30} {micro.tp + micro.fn:5} "
          f"{(str(micro.tp + micro.fp) if micro.scoped else '-'):>5} {micro.tp:5}   "
          f"{fmt(p)}   {fmt(r)}  {fmt(f)}")
    print(f"  ({title}: {len(spec['pages'])} page(s) in {time.perf_counter() - started:.1f} s)\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--pages-only", action="store_true")
    which.add_argument("--sample-only", action="store_true")
    ap.add_argument("--jieba-base", action="store_true",
                    help="score with the jieba-POS base recognizer instead of the trained "
                         "model (to compare the two while the model changes)")
    args = ap.parse_args(argv)
    recognizer = "jieba" if args.jieba_base else None
    if recognizer:
        print("(base recognizer: jieba POS)")
    if not args.sample_only:
        print("Labelled pages (benchmarks/data/gold.json)")
        report("pages", DATA / "gold.json", args.verbose, recognizer)
    if not args.pages_only:
        print("Sample page, partial gold (benchmarks/data/sample-gold.json)")
        report("sample", DATA / "sample-gold.json", args.verbose, recognizer)
    return 0


if __name__ == "__main__":
    sys.exit(main())
