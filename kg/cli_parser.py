"""The argument parser of the ``kg`` command line: one function per subcommand.

>>> args = make_parser().parse_args(["query", "g.ttl", "--name", "events"])
>>> args.command, args.graph, args.name
('query', 'g.ttl', 'events')
"""

from __future__ import annotations

import argparse

from kg.view.model import HTML_MAX_NODES

__all__ = ["DESCRIPTION", "EPILOG", "make_parser"]

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

def make_parser() -> argparse.ArgumentParser:
    """The parser of ``kg`` and its subcommands (``--help`` texts included)."""
    p = argparse.ArgumentParser(prog="kg", description=DESCRIPTION, epilog=EPILOG,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for add in (_add_build, _add_query, _add_validate, _add_serve, _add_export, _add_html,
                _add_eval):
        add(sub)
    return p


def _add_build(sub: argparse._SubParsersAction) -> None:
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
    _add_build_outputs(b)
    _add_build_runners(b)


def _add_build_outputs(b: argparse.ArgumentParser) -> None:
    b.add_argument("--no-html", action="store_true", help="write only graph.ttl")
    b.add_argument("--html-max-nodes", type=int, default=HTML_MAX_NODES, metavar="N",
                   help="the page shows the N most-mentioned entities and events of a bigger "
                        f"graph (default: {HTML_MAX_NODES}; 0: all)")
    b.add_argument("--format", default="ttl", metavar="FMT[,FMT…]",
                   help="graph files to write: ttl (default), nt, jsonld, rdf, trig, nq "
                        "(one named graph per article), graphml; comma-separated")


def _add_build_runners(b: argparse.ArgumentParser) -> None:
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


def _add_query(sub: argparse._SubParsersAction) -> None:
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


def _add_validate(sub: argparse._SubParsersAction) -> None:
    v = sub.add_parser("validate", help="check a graph against the SHACL shapes",
                       description="Check a graph file (or store folder) against "
                                   "ontology/shapes.ttl with pySHACL and print each violation: "
                                   "the node (label and IRI), the property and what is wrong. "
                                   "Exit status 1 when the graph does not conform.")
    v.add_argument("graph", metavar="GRAPH", help="a graph file (graph.ttl) or store folder")
    v.add_argument("--shapes", metavar="FILE", help="other SHACL shapes (Turtle)")
    v.add_argument("--limit", type=int, default=50, metavar="N",
                   help="print at most N violations (default: 50)")


def _add_serve(sub: argparse._SubParsersAction) -> None:
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


def _add_export(sub: argparse._SubParsersAction) -> None:
    x = sub.add_parser("export", help="write a saved graph in another syntax",
                       description="Convert a graph file (or store folder) to another syntax. "
                                   "TriG and N-Quads put the triples of each article in a "
                                   "named graph (the article IRI); GraphML is the entity "
                                   "network for Gephi or Cytoscape.")
    x.add_argument("graph", metavar="GRAPH", help="a graph file (graph.ttl) or store folder")
    x.add_argument("-f", "--format", default=None,
                   help="ttl, nt, jsonld, rdf, trig, nq or graphml (default: from -o)")
    x.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write")


def _add_html(sub: argparse._SubParsersAction) -> None:
    h = sub.add_parser("html", help="render a saved graph as an HTML page",
                       description="Render a graph file as a self-contained interactive page.")
    h.add_argument("graph", metavar="GRAPH", help="a graph file (graph.ttl)")
    h.add_argument("-o", "--output", metavar="FILE", help="page to write (default: beside GRAPH)")
    h.add_argument("--png", metavar="FILE", help="also save a screenshot (needs chromium)")
    h.add_argument("--max-nodes", type=int, default=HTML_MAX_NODES, metavar="N",
                   help=f"show the N most-mentioned nodes (default: {HTML_MAX_NODES}; 0: all)")


def _add_eval(sub: argparse._SubParsersAction) -> None:
    e = sub.add_parser("eval", help="score the recognizer or the event extractor on labelled data",
                       description="ner: score the recognizer as shipped (the model and any "
                                   "registered rule steps; "
                                   "exact spans, conlleval-style) and print P/R/F1 per type "
                                   "and chars/s, per source. events: score the learned event "
                                   "extractor's triggers and arguments (exact and overlapping "
                                   "spans) on DuEE-format JSON lines.")
    e.add_argument("task", choices=["ner", "events"], help="what to evaluate")
    e.add_argument("--split", default="test", choices=["test", "dev"],
                   help="ner: the MSRA split to score when --data is not given (default: test)")
    e.add_argument("--data", metavar="FILE",
                   help="ner: your own `char TAG` file (BIO or BMES, blank line between "
                        "sentences); events: a DuEE-format file (required)")
    e.add_argument("--cluener", metavar="FILE",
                   help="ner: CLUENER2020 train.json, to score our dev split of it too")
    e.add_argument("--raw", action="store_true", help="ner: the model alone, without the rules")
