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

from kg.cli_build import run_build
from kg.cli_parser import make_parser
from kg.errors import KGError, UsageError


def _params(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UsageError(f"--param {pair!r}: write it as NAME=VALUE")
        out[name.lstrip("?$")] = value
    return out


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
    from kg.extract.event_eval import run_event_eval
    from kg.recognize.evaluate import run_ner_eval

    started = time.perf_counter()
    if args.task == "events":
        if not args.data:
            raise UsageError("kg eval events needs --data FILE (DuEE-format JSON lines)")
        print(run_event_eval(args.data))
    else:
        print(run_ner_eval(args.data, args.split, cluener=args.cluener, raw=args.raw))
    print(f"({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    parser = make_parser()
    args = parser.parse_args(argv)
    commands = {"build": run_build, "query": _query, "validate": _validate, "serve": _serve,
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
