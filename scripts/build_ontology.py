"""Write the schema-made parts of the ontology: ontology/events.ttl and schema-shapes.ttl.

    .venv/bin/python scripts/build_ontology.py [--check]

The event classes (with zh/en labels and parent classes), the role
properties (each a sub-property of a standard one) and the SHACL shapes of
the roles all come from the event schema in kg/resources/schema/*.toml
(kg.rdf.ontology). Run this after editing the schema; ``--check`` only
says whether the files are up to date (tests/rdf/test_ontology.py fails when
they are not).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rdflib import Graph
from rdflib.compare import isomorphic

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run from a checkout

from kg.rdf.namespace import PREFIXES  # noqa: E402
from kg.rdf.ontology import KGSH, event_ontology, schema_shapes  # noqa: E402

HEADER = ("# Generated from kg/resources/schema/*.toml by scripts/build_ontology.py.\n"
          "# Do not edit: edit the schema and run the script again.\n")
FILES = {"events.ttl": event_ontology, "schema-shapes.ttl": schema_shapes}


def turtle(g: Graph) -> str:
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    g.bind("owl", "http://www.w3.org/2002/07/owl#")
    g.bind("kgsh", KGSH)
    return HEADER + g.serialize(format="turtle")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, write nothing")
    parser.add_argument("--out", type=Path, default=ROOT / "ontology")
    args = parser.parse_args()
    stale = []
    for name, make in FILES.items():
        path = args.out / name
        g = make()
        if args.check:
            if not path.is_file() or not isomorphic(g, Graph().parse(path, format="turtle")):
                stale.append(name)
        else:
            path.write_text(turtle(g), encoding="utf-8")
            print(f"wrote {path} ({len(g)} triples)")
    if stale:
        print(f"stale: {', '.join(stale)}; run scripts/build_ontology.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
