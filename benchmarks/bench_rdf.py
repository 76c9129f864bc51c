"""RDF speed: our Oxigraph-backed store against plain rdflib, on a graph shaped like ours.

Not a timed test: run it by hand.

    .venv/bin/python benchmarks/bench_rdf.py                  # 1,000,000 triples
    .venv/bin/python benchmarks/bench_rdf.py --triples 50000 --timeout 60

It writes a synthetic graph (people, organizations and places with @zh
labels, mentions with NIF offsets and evidence, memberships with roles and
provenance, a place hierarchy) as Turtle, then in one subprocess per engine
times: parse the Turtle, write it back, and three SPARQL queries. Each step
of rdflib is stopped after ``--timeout`` seconds and reported as "> N s".
Peak memory is each subprocess's maximum resident set size.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ID = "https://w3id.org/kg-cn/id/"
KG = "https://w3id.org/kg-cn/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
SDO = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

PREFIXES = """PREFIX kg: <https://w3id.org/kg-cn/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
"""
QUERIES = {
    # the one that did not finish in 340 s on rdflib: two patterns and a label filter
    "label join": PREFIXES + """SELECT ?p ?name WHERE {
        ?p a kg:Person ; rdfs:label ?name . FILTER (STRSTARTS(STR(?name), "张1"))
    }""",
    "people of an org": PREFIXES + """SELECT ?name ?role WHERE {
        ?o rdfs:label "机构7号"@zh .
        ?m org:organization ?o ; org:member/rdfs:label ?name ; org:role/rdfs:label ?role .
    }""",
    "mentions per article": PREFIXES + """SELECT ?a (COUNT(?m) AS ?n) WHERE {
        ?m kg:article ?a } GROUP BY ?a ORDER BY DESC(?n) ?a LIMIT 10""",
    # an analyst's question over every membership: the busiest organizations
    "organizations by members": PREFIXES + """SELECT ?org (COUNT(DISTINCT ?p) AS ?n) WHERE {
        ?m org:organization ?o ; org:member ?p . ?o rdfs:label ?org
    } GROUP BY ?org ORDER BY DESC(?n) ?org LIMIT 10""",
}
SURNAMES = "张王李赵刘陈杨黄周吴"


def iri(x: str) -> str:
    return f"<{x}>"


def lit(text: str, lang: str = "", dtype: str = "") -> str:
    text = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"@{lang}' if lang else f'"{text}"^^<{dtype}>' if dtype else f'"{text}"'


def generate(path: Path, target: int, seed: int = 7) -> int:
    """Write about ``target`` triples shaped like a kg build as N-Triples; return the count."""
    rnd = random.Random(seed)
    n_art = max(1, target // 400)
    n = 0
    with path.open("w", encoding="utf-8") as out:
        def t(s: str, p: str, o: str) -> None:
            nonlocal n
            out.write(f"{s} {p} {o} .\n")
            n += 1

        arts = [f"{ID}article/a{i}" for i in range(n_art)]
        for a in arts:
            t(iri(a), iri(RDF + "type"), iri(KG + "NewsArticle"))
            t(iri(a), iri(SDO + "datePublished"), lit("2025-02-25", dtype=XSD + "date"))
        kinds = [("person", "Person"), ("organization", "Organization"), ("place", "Place")]
        roles = [f"{ID}role/r{i}" for i in range(20)]
        for i, r in enumerate(roles):
            t(iri(r), iri(RDF + "type"), iri(KG + "Role"))
            t(iri(r), iri(RDFS + "label"), lit(f"职务{i}", "zh"))
        ents: dict[str, list[str]] = {k: [] for k, _ in kinds}
        i = 0
        while n < target:
            kind, cls = kinds[i % 3]
            e = f"{ID}{kind}/e{i}"
            ents[kind].append(e)
            label = (f"{SURNAMES[i % 10]}{i}" if kind == "person"
                     else f"机构{i // 3}号" if kind == "organization" else f"地点{i // 3}")
            t(iri(e), iri(RDF + "type"), iri(KG + cls))
            t(iri(e), iri(RDFS + "label"), lit(label, "zh"))
            for _ in range(3):  # mentions with evidence
                a = rnd.choice(arts)
                b = rnd.randrange(5000)
                m = f"{a}#char={b},{b + len(label)}"
                t(iri(e), iri(KG + "mention"), iri(m))
                t(iri(m), iri(RDF + "type"), iri(KG + "Mention"))
                t(iri(m), iri(KG + "article"), iri(a))
                t(iri(m), iri(NIF + "beginIndex"), lit(str(b), dtype=XSD + "integer"))
                t(iri(m), iri(NIF + "endIndex"), lit(str(b + len(label)), dtype=XSD + "integer"))
                t(iri(m), iri(NIF + "anchorOf"), lit(label))
                t(iri(m), iri(KG + "confidence"), lit("0.9", dtype=XSD + "decimal"))
                t(iri(m), iri(KG + "evidence"), iri(f"{a}#char={b - b % 50},{b - b % 50 + 50}"))
            if kind == "person" and ents["organization"]:  # a membership
                ms = f"{ID}membership/m{i}"
                t(iri(ms), iri(RDF + "type"), iri(ORG + "Membership"))
                t(iri(ms), iri(ORG + "member"), iri(e))
                t(iri(ms), iri(ORG + "organization"), iri(rnd.choice(ents["organization"])))
                t(iri(ms), iri(ORG + "role"), iri(rnd.choice(roles)))
                t(iri(ms), iri(PROV + "wasDerivedFrom"), iri(rnd.choice(arts)))
            if kind == "place" and len(ents["place"]) > 1:  # the hierarchy
                t(iri(e), iri(SDO + "containedInPlace"), iri(rnd.choice(ents["place"][:-1])))
            i += 1
    return n


# ---------------------------------------------------------------- engines


class Timeout(BaseException):  # not an Exception: rdflib must not swallow it
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Timeout


def step(results: dict, name: str, fn, timeout: float, count: bool = False) -> object:
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(int(timeout))
    started = time.perf_counter()
    try:
        value = fn()
        signal.alarm(0)
        results[name] = {"seconds": time.perf_counter() - started}
        if count:
            results[name]["rows"] = len(value)  # type: ignore[arg-type]
        return value
    except Timeout:
        results[name] = {"seconds": None, "timeout": timeout}
        return None
    finally:
        signal.alarm(0)
        print(json.dumps({"step": name, **results[name]}), flush=True)  # survives a kill


def run_ours(ttl: Path, out: Path, timeout: float) -> dict:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from kg.rdf.store import Store

    res: dict = {}
    store = Store()
    step(res, "parse", lambda: store.load(ttl), timeout)
    step(res, "write", lambda: store.dump(out, "ttl"), timeout)
    for name, q in QUERIES.items():
        step(res, name, lambda q=q: store.query(q), timeout, count=True)
    return res


def run_convert(ttl: Path, out: Path, timeout: float) -> dict:
    """What the API does with the in-memory rdflib graph a build makes: copy it into a store."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from rdflib import Graph

    from kg.rdf.store import Store

    res: dict = {}
    mem = Graph()
    step(res, "setup: fill an rdflib graph", lambda: _fill(mem, ttl), timeout)
    step(res, "rdflib graph → store", lambda: Store().add(mem), timeout)
    return res


def _fill(mem, ttl: Path) -> None:
    from kg.rdf.store import Store

    s = Store()
    s.load(ttl)
    for t in s.to_rdflib():
        mem.add(t)


def run_rdflib(ttl: Path, out: Path, timeout: float) -> dict:
    from rdflib import Graph

    res: dict = {}
    g = Graph()
    if step(res, "parse", lambda: g.parse(ttl, format="turtle"), timeout) is None:
        return res
    step(res, "write", lambda: g.serialize(out, format="turtle"), timeout)
    for name, q in QUERIES.items():
        step(res, name, lambda q=q: list(g.query(q)), timeout, count=True)
    return res


def child(engine: str, ttl: str, out: str, timeout: float) -> None:
    import resource

    fn = {"ours": run_ours, "rdflib": run_rdflib, "convert": run_convert}[engine]
    res = fn(Path(ttl), Path(out), timeout)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"steps": res, "peak_mb": peak}))


def measure(engine: str, ttl: Path, tmp: Path, timeout: float) -> dict:
    limit = timeout * (len(QUERIES) + 4) + 60
    cmd = [sys.executable, __file__, "--child", engine, str(ttl), str(tmp / f"{engine}.ttl"),
           str(timeout)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=limit, check=True)
        lines, error = proc.stdout, ""
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or b""
        lines = out.decode() if isinstance(out, bytes) else out
        error = f"killed after {limit:.0f} s"
    except subprocess.CalledProcessError as exc:
        lines, error = exc.stdout, exc.stderr.strip()[-300:]
    result: dict = {"steps": {}, "peak_mb": None, "error": error}
    for line in lines.splitlines():
        data = json.loads(line)
        if "step" in data:
            result["steps"][data.pop("step")] = data
        else:
            result.update(data, error=error)
    return result


def fmt(entry: dict | None) -> str:
    if not entry:
        return "—"
    if entry.get("seconds") is None:
        return f"> {entry['timeout']:.0f} s"
    return f"{entry['seconds']:.2f} s"


def ratio(ours: dict | None, theirs: dict | None) -> str:
    if not ours or ours.get("seconds") is None or not theirs:
        return "—"
    o = max(ours["seconds"], 1e-4)
    if theirs.get("seconds") is None:
        return f"> {theirs['timeout'] / o:,.0f}×"
    return f"{theirs['seconds'] / o:,.0f}×"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000, help="graph size (default: 1M)")
    ap.add_argument("--timeout", type=float, default=300, help="seconds per rdflib step")
    ap.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        engine, ttl, out, timeout = args.child
        child(engine, ttl, out, float(timeout))
        return
    with tempfile.TemporaryDirectory(prefix="bench_rdf.") as d:
        tmp = Path(d)
        started = time.perf_counter()
        n = generate(tmp / "g.nt", args.triples)
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from kg.rdf.store import Store

        s = Store()
        s.load(tmp / "g.nt")
        s.dump(tmp / "g.ttl", "ttl")
        size = os.path.getsize(tmp / "g.ttl") / 1e6
        print(f"graph: {n:,} triples ({len(s):,} distinct), Turtle {size:.0f} MB, "
              f"made in {time.perf_counter() - started:.1f} s")
        del s
        ours = measure("ours", tmp / "g.ttl", tmp, args.timeout)
        convert = measure("convert", tmp / "g.ttl", tmp, args.timeout)
        theirs = measure("rdflib", tmp / "g.ttl", tmp, args.timeout)
    steps = ["parse", "write", *QUERIES]
    print("\n| step | kg (Oxigraph) | rdflib | speed-up |\n|---|---|---|---|")
    for name in steps:
        o, t = ours["steps"].get(name), theirs["steps"].get(name)
        rows = f" ({o['rows']} rows)" if o and o.get("rows") is not None else ""
        print(f"| {name}{rows} | {fmt(o)} | {fmt(t)} | {ratio(o, t)} |")
    print(f"| build path: rdflib graph → store | "
          f"{fmt(convert['steps'].get('rdflib graph → store'))} | | |")
    peak = (ours.get("peak_mb"), theirs.get("peak_mb"))
    print(f"| peak memory | {peak[0] or 0:,.0f} MB | {peak[1] or 0:,.0f} MB | |")
    for who, res in (("kg", ours), ("rdflib", theirs)):
        if res.get("error"):
            print(f"{who}: {res['error']}")


if __name__ == "__main__":
    main()
