"""The ``kg`` command line.

Exit status: 0 success, 1 an error (one line on stderr saying what to do),
2 a usage error, 3 a build that skipped input under ``--strict``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from kg.errors import KGError, UsageError
from kg.view.model import HTML_MAX_NODES

DESCRIPTION = """\
kg turns Chinese news into a knowledge graph: the people, organizations,
places and events of each article, with the sentence that states every fact,
as RDF (Turtle) for SPARQL tools and as an interactive HTML network."""

EPILOG = """\
examples:
  kg build examples/gongren-ribao-2025-02-25.txt -o output/
  kg build news/ feed.jsonl -o output/ --date 2025-02-25
  kg query output/graph.ttl 'SELECT ?name WHERE { ?p a kg:Person ; rdfs:label ?name }'
  kg html output/graph.ttl -o graph.html --png graph.png
  kg eval ner --split test

Run `kg COMMAND --help` for the options of each command."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kg", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    b = sub.add_parser(
        "build", help="build a graph from news files",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Read news files, find people, organizations, places and events, and "
                    "write OUTPUT/graph.ttl, OUTPUT/graph.html and OUTPUT/report.json.",
        epilog="Inputs: .txt and .md pages (a PDF-extracted newspaper page is split into "
               "articles), .jsonl (one article per line: text required; id, title, date, "
               "source, url optional), .html. Folders are read recursively. A file that "
               "cannot be read is reported and skipped; the build goes on.")
    b.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders to read")
    b.add_argument("-o", "--output", default="output", metavar="DIR",
                   help="folder for graph.ttl, graph.html and report.json (default: output)")
    b.add_argument("--date", metavar="YYYY-MM-DD",
                   help="publication date for inputs that print none (relative dates such "
                        "as 今天 and 去年9月 are resolved against it)")
    b.add_argument("--strict", action="store_true",
                   help="stop at the first unreadable file or record (exit 1), instead of "
                        "reporting and skipping it")
    b.add_argument("--base", default=None, metavar="IRI",
                   help="base IRI for entities and articles (default: https://w3id.org/kg-cn/id/)")
    b.add_argument("--no-html", action="store_true", help="write only graph.ttl")
    b.add_argument("--html-max-nodes", type=int, default=HTML_MAX_NODES, metavar="N",
                   help="the page shows the N most-mentioned entities and events of a bigger "
                        f"graph (default: {HTML_MAX_NODES}; 0: all)")
    b.add_argument("--format", default="ttl", metavar="FMT[,FMT…]",
                   help="graph files to write: ttl (default), nt, jsonld, rdf, trig, nq "
                        "(one named graph per article), graphml; comma-separated")
    b.add_argument("--workers", type=int, default=1, metavar="N",
                   help="analyse articles in N processes (default: 1); same graph")
    b.add_argument("--dask", metavar="ADDRESS",
                   help="analyse articles on a running Dask cluster, e.g. tcp://10.0.0.5:8786 "
                        "(pip install 'kg[dask]'); same graph")
    b.add_argument("--store", metavar="DIR",
                   help="add to the persistent store in DIR: articles already in it are not "
                        "analysed again, and the outputs show everything in the store")
    b.add_argument("--recognizer", choices=("model", "jieba"), default=None,
                   help="the base recognizer the rules correct: the shipped model (default) or "
                        "jieba's POS tags (to compare the two)")
    b.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")

    q = sub.add_parser("query", help="run a SPARQL or named query on a saved graph",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Run a SPARQL query, or a named one (kg/rdf/queries/*.rq), on a "
                                   "graph file or store folder and print the rows as "
                                   "tab-separated values. Prefixes kg:, schema:, org:, sem:, "
                                   "prov:, skos:, nif:, gaf:, rdf:, rdfs: and xsd: are "
                                   "predefined.",
                       epilog="examples:\n"
                              "  kg query --list\n"
                              "  kg query output/graph.ttl --name people-of-organization "
                              "--param org=湖北省总工会\n"
                              "  kg query output/graph.ttl --name events --param start=2025-02-24\n"
                              "  kg query output/graph.ttl --name path "
                              "--param a=习近平 --param b=普京")
    q.add_argument("graph", nargs="?", metavar="GRAPH",
                   help="a graph file (graph.ttl) or store folder")
    q.add_argument("query", nargs="?", metavar="SPARQL", help="the query text")
    q.add_argument("--name", metavar="NAME", help="run the named query NAME instead")
    q.add_argument("--list", action="store_true", help="list the named queries and their params")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                   help="bind ?NAME to VALUE (an IRI if it starts with http, a @zh literal if "
                        "it has Chinese characters, else a string); values are bound, never "
                        "pasted into the query")

    v = sub.add_parser("validate", help="check a graph against the SHACL shapes",
                       description="Check a graph file (or store folder) against "
                                   "ontology/shapes.ttl with pySHACL and print each violation: "
                                   "the node (label and IRI), the property and what is wrong. "
                                   "Exit status 1 when the graph does not conform.")
    v.add_argument("graph", metavar="GRAPH", help="a graph file (graph.ttl) or store folder")
    v.add_argument("--shapes", metavar="FILE", help="other SHACL shapes (Turtle)")
    v.add_argument("--limit", type=int, default=50, metavar="N",
                   help="print at most N violations (default: 50)")

    s = sub.add_parser("serve", help="a read-only SPARQL endpoint on localhost",
                       description="Serve a graph file or store folder as a SPARQL 1.1 Protocol "
                                   "endpoint (GET/POST /sparql; results as JSON, XML, CSV or TSV, "
                                   "graphs as Turtle by Accept header). Updates are refused.")
    s.add_argument("graph", metavar="GRAPH_OR_STORE", help="a graph file or store folder")
    s.add_argument("--port", type=int, default=7878, help="port (default: 7878; 0: any free)")
    s.add_argument("--host", default="127.0.0.1",
                   help="interface (default: 127.0.0.1, this machine only)")
    s.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="stop a query after SECONDS (default: 30); it gets 503")
    s.add_argument("--max-result-mb", type=float, default=64.0, metavar="MB",
                   help="refuse answers bigger than MB megabytes (default: 64); they get 413")
    s.add_argument("--allow-service", action="store_true",
                   help="allow SERVICE (federated queries: the server then sends HTTP "
                        "requests to the addresses a query names); refused by default")
    s.add_argument("--cors", metavar="ORIGIN",
                   help="let web pages of ORIGIN (e.g. http://localhost:8000) read answers; "
                        "by default no Access-Control-Allow-Origin header is sent")

    x = sub.add_parser("export", help="write a saved graph in another syntax",
                       description="Convert a graph file (or store folder) to another syntax. "
                                   "TriG and N-Quads put the triples of each article in a "
                                   "named graph (the article IRI); GraphML is the entity "
                                   "network for Gephi or Cytoscape.")
    x.add_argument("graph", metavar="GRAPH", help="a graph file (graph.ttl) or store folder")
    x.add_argument("-f", "--format", default=None,
                   help="ttl, nt, jsonld, rdf, trig, nq or graphml (default: from -o)")
    x.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")

    h = sub.add_parser("html", help="render a saved graph as an HTML page",
                       description="Render a graph file as a self-contained interactive page.")
    h.add_argument("graph", metavar="GRAPH", help="a graph file (graph.ttl)")
    h.add_argument("-o", "--output", metavar="FILE", help="page to write (default: beside GRAPH)")
    h.add_argument("--png", metavar="FILE", help="also save a screenshot (needs chromium)")
    h.add_argument("--max-nodes", type=int, default=HTML_MAX_NODES, metavar="N",
                   help=f"show the N most-mentioned nodes (default: {HTML_MAX_NODES}; 0: all)")

    e = sub.add_parser("eval", help="score the recognizer on labelled data",
                       description="Score the named-entity recognizer (exact spans, "
                                   "conlleval-style) and print P/R/F1 per type and chars/s.")
    e.add_argument("task", choices=["ner"], help="what to evaluate")
    e.add_argument("--split", default="test", choices=["test", "dev"],
                   help="MSRA split to score when --data is not given (default: test)")
    e.add_argument("--data", metavar="FILE",
                   help="your own `char TAG` file (BIO or BMES, blank line between sentences)")
    return p


def _params(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--param {pair!r}: write it as NAME=VALUE")
        out[name.lstrip("?$")] = value
    return out


def _summary(report, written: dict[str, Path]) -> str:
    ents = report.entities
    lines = [
        f"kg build: {report.articles} articles from {report.files} file(s) "
        f"in {report.seconds:.1f} s",
        "  entities:  " + ", ".join(f"{n} {k}" for k, n in ents.items())
        + f" ({sum(ents.values())} in all)",
        f"  relations: {report.relations}    events: {report.events}",
    ]
    if report.warnings:
        lines.append(f"  warnings:  {len(report.warnings)} field(s) left out (see report.json)")
    if report.skipped:
        lines.append(f"  skipped:   {len(report.skipped)} (see report.json)")
        for s in report.skipped[:5]:
            where = f"{s['path']}:{s['line']}" if s["line"] else s["path"]
            lines.append(f"    {where}: {s['reason']}")
    for name, path in written.items():
        lines.append(f"  {name + ':':10} {path}")
    return "\n".join(lines)


def _nothing_read(report, output: str) -> str:
    why = "; ".join(f"{s['path']}: {s['reason']}" for s in report.skipped[:3]) or "no input"
    more = f" (and {len(report.skipped) - 3} more)" if len(report.skipped) > 3 else ""
    return f"no usable article in the inputs ({why}{more}); the outputs in {output} are unchanged"


def _build(args: argparse.Namespace) -> int:
    from kg import api
    from kg.files import check_output_dir
    from kg.rdf.scratch import remove_stale
    from kg.resolve import DEFAULT_BASE

    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(total=0, unit="article", desc="kg build", file=sys.stderr, leave=False,
                   disable=None)  # no bar when stderr is not a terminal

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()

    check_output_dir(args.output)  # a file or a read-only folder: one line, before any work
    remove_stale(args.output)  # scratch stores of killed builds
    try:
        g = api.build(args.inputs, date=args.date, strict=args.strict,
                      base=args.base or DEFAULT_BASE, progress=progress,
                      workers=args.workers, dask=args.dask, store=args.store,
                      scratch=args.output,  # the graph's scratch store: next to the outputs
                      recognizer=args.recognizer)
    finally:
        if bar is not None:
            bar.close()
    if not g.report.articles and not g.report.duplicates:  # nothing read: keep the old outputs
        g.close()
        raise KGError(_nothing_read(g.report, args.output))
    formats = [f for f in args.format.split(",") if f.strip()] or ["ttl"]
    try:
        written = g.save(args.output, html=not args.no_html, formats=formats,
                         html_max_nodes=args.html_max_nodes or None)
    finally:
        g.close()
    if not args.quiet:
        print(_summary(g.report, written))
        if g.report.duplicates:
            print(f"  duplicates: {g.report.duplicates} article(s) already read, not analysed "
                  "again")
        if g.report.store:
            st = g.report.store
            print(f"  store:     {st['path']}: {st['articles_added']} new article(s), "
                  f"{st['articles']} in all")
    return 3 if args.strict and g.report.skipped else 0


def _query(args: argparse.Namespace) -> int:
    from kg import api
    from kg.rdf.queries import named_queries

    if args.list:
        print("\n\n".join(q.usage() for q in named_queries().values()))
        return 0
    if not args.graph or bool(args.query) == bool(args.name):
        raise UsageError("give GRAPH and either a SPARQL text or --name NAME (see --list)")
    g = api.load(args.graph)
    params = _params(args.param)
    rows = g.query(args.name, **params) if args.name else g.sparql(args.query, **params)
    if rows:
        names = list(dict.fromkeys(k for row in rows for k in row))
        print("\t".join(names))
        for row in rows:
            print("\t".join(str(row.get(n, "")) for n in names))
    print(f"({len(rows)} rows)", file=sys.stderr)
    return 0


def _validate(args: argparse.Namespace) -> int:
    from kg import api
    from kg.rdf.validate import format_report, validate

    report = validate(api.load(args.graph).graph, args.shapes)
    print(format_report(report, args.limit))
    return 0 if report.conforms else 1


def _serve(args: argparse.Namespace) -> int:
    from kg.rdf.serve import serve

    try:
        serve(args.graph, args.host, args.port, timeout=args.timeout,
              max_bytes=int(args.max_result_mb * (1 << 20)), allow_service=args.allow_service,
              cors=args.cors)
    except OSError as exc:
        raise KGError(f"cannot listen on {args.host}:{args.port}: {exc}") from exc
    return 0


def _export(args: argparse.Namespace) -> int:
    from kg import api
    from kg.rdf.export import check_format

    fmt = check_format(args.format) if args.format else None
    print(api.load(args.graph).export(args.output, fmt))
    return 0


def _html(args: argparse.Namespace) -> int:
    from kg import api
    from kg.view.html import write_html
    from kg.view.screenshot import render_png

    g = api.load(args.graph)
    out = Path(args.output) if args.output else Path(args.graph).with_suffix(".html")
    write_html(g.view(max_nodes=args.max_nodes or None), out)
    print(out)
    if args.png:
        render_png(out, args.png)
        print(args.png)
    return 0


def _eval(args: argparse.Namespace) -> int:
    from kg.recognize.ner.evaluate import run_eval

    started = time.perf_counter()
    print(run_eval(args.data, args.split))
    print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    commands = {"build": _build, "query": _query, "validate": _validate, "serve": _serve,
                "export": _export, "html": _html, "eval": _eval}
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return commands[args.command](args)
    except UsageError as err:
        print(f"kg {args.command}: {err}", file=sys.stderr)
        return 2
    except KGError as err:
        print(f"kg {args.command}: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # a full disk, a folder that became read-only: no traceback
        where = f"{err.filename}: " if err.filename else ""
        print(f"kg {args.command}: {where}{err.strerror or err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("kg: interrupted; previous outputs are intact", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
