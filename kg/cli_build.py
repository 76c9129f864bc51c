"""``kg build``: run a build from the command line, with a progress bar and a summary.

>>> from types import SimpleNamespace
>>> report = SimpleNamespace(skipped=[{"path": "a.bin", "line": 0, "reason": "binary file"}])
>>> nothing_read(report, "output")
'no usable article in the inputs (a.bin: binary file); the outputs in output are unchanged'
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kg.errors import KGError

__all__ = ["nothing_read", "run_build", "summary"]


def run_build(args: argparse.Namespace) -> int:
    """Run ``kg build`` with the parsed ``args``; the exit status (3: input skipped, --strict)."""
    from kg import api
    from kg.files import check_output_dir
    from kg.rdf.scratch import remove_stale
    from kg.resolve import DEFAULT_BASE

    bar, progress = _progress_bar(args.quiet)
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
        raise KGError(nothing_read(g.report, args.output))
    formats = [f for f in args.format.split(",") if f.strip()] or ["ttl"]
    try:
        written = g.save(args.output, html=not args.no_html, formats=formats,
                         html_max_nodes=args.html_max_nodes or None)
    finally:
        g.close()
    if not args.quiet:
        _print_summary(g.report, written)
    return 3 if args.strict and g.report.skipped else 0


def _progress_bar(quiet: bool) -> tuple[Any, Callable[[int, int], None]]:
    """A tqdm bar on stderr (None when ``quiet``) and the callback that moves it."""
    bar = None
    if not quiet:
        from tqdm import tqdm

        bar = tqdm(total=0, unit="article", desc="kg build", file=sys.stderr, leave=False,
                   disable=None)  # no bar when stderr is not a terminal

    def progress(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.refresh()

    return bar, progress


def _print_summary(report, written: dict[str, Path]) -> None:
    print(summary(report, written))
    if report.duplicates:
        print(f"  duplicates: {report.duplicates} article(s) already read, not analysed "
              "again")
    if report.store:
        st = report.store
        print(f"  store:     {st['path']}: {st['articles_added']} new article(s), "
              f"{st['articles']} in all")


def summary(report, written: dict[str, Path]) -> str:
    """The lines ``kg build`` prints at the end: counts, skipped input, files written."""
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


def nothing_read(report, output: str) -> str:
    """The error of a build that read no article: why, and that the old outputs are kept."""
    why = "; ".join(f"{s['path']}: {s['reason']}" for s in report.skipped[:3]) or "no input"
    more = f" (and {len(report.skipped) - 3} more)" if len(report.skipped) > 3 else ""
    return f"no usable article in the inputs ({why}{more}); the outputs in {output} are unchanged"
