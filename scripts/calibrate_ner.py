"""Fit one entity bias of a trained NER model on the dev splits and fold it into the model.

    python scripts/calibrate_ner.py kg/resources/ner/ner.npz \\
        --cluener ../shared/data/cluener/train.json [--write]

The CRF ends up a little too sure of O on MSRA (T13 on MSRA dev: P 0.904,
R 0.819; on our CLUENER dev split P 0.713, R 0.737). Adding the same small
constant to the score of every entity tag trades some precision for
recall. This script
tries the constants of ``--grid`` on MSRA dev and on our CLUENER dev split
(the splits the model was selected on; MSRA test and the official CLUENER
splits are never read), keeps the one with the best mean micro F1 (0 if
none beats it), and with ``--write`` folds it into the output bias
``out_b`` (so inference is unchanged) and records it and the table in the
model's ``meta``. ``scripts/train_ner.py --calibrate`` runs it after
training.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from kg.files import atomic_open
from kg.recognize.evaluate import load_sources
from kg.recognize.ner.evaluate import Sentence, evaluate_ner
from kg.recognize.ner.model import NerModel

GRID = tuple(round(0.05 * i, 2) for i in range(11))  # 0 … 0.5


def with_bias(arrays: dict[str, np.ndarray], bias: float) -> dict[str, np.ndarray]:
    """The model's arrays with ``bias`` added to every entity tag's output bias.

    >>> a = {"out_b": np.zeros(3, dtype=np.float16)}
    >>> with_bias(a, 0.25)["out_b"].tolist(), a["out_b"].tolist()
    ([0.0, 0.25, 0.25], [0.0, 0.0, 0.0])
    """
    out = dict(arrays)
    out_b = arrays["out_b"].astype(np.float32)
    out_b[1:] += bias  # TAGS[0] is O
    out["out_b"] = out_b.astype(arrays["out_b"].dtype)
    return out


def restyle(arrays: dict[str, np.ndarray], weight: float) -> dict[str, np.ndarray]:
    """The arrays of a ``train_ner.py --styles`` model with another mix of styles folded in.

    ``weight`` is CLUENER's share (0: MSRA's conventions, 1: CLUENER's).

    >>> a = {"n_convs": np.array(1), "conv0_b": np.zeros(2, np.float16),
    ...      "out_b": np.zeros(1, np.float16), "style_mix": np.array([1.0, 0.0], np.float32),
    ...      "style_conv_b": np.array([[[0, 0], [2, 4]]], np.float32),
    ...      "style_out_b": np.array([[0], [1]], np.float32)}
    >>> b = restyle(a, 0.5)
    >>> b["conv0_b"].tolist(), b["out_b"].tolist(), b["style_mix"].tolist()
    ([1.0, 2.0], [0.5], [0.5, 0.5])
    """
    if "style_mix" not in arrays:
        raise SystemExit("this model was trained without --styles")
    out = dict(arrays)
    new = np.array([1 - weight, weight], dtype=np.float32)
    delta = new - arrays["style_mix"]
    for i in range(int(arrays["n_convs"])):
        b = arrays[f"conv{i}_b"]
        shift = delta @ arrays["style_conv_b"][i]
        out[f"conv{i}_b"] = (b.astype(np.float32) + shift).astype(b.dtype)
    b = arrays["out_b"]
    out["out_b"] = (b.astype(np.float32) + delta @ arrays["style_out_b"]).astype(b.dtype)
    out["style_mix"] = new
    return out


def calibrate(
    arrays: dict[str, np.ndarray], sources: dict[str, Sequence[Sentence]],
    grid: Sequence[float] = GRID,
) -> tuple[float, list[dict]]:
    """The bias of ``grid`` with the best mean micro F1 over ``sources``, and the table."""
    table = [{"bias": bias, **_scores(with_bias(arrays, bias), sources, f"bias {bias:.2f}")}
             for bias in grid]
    best = max(table, key=lambda row: (row["mean"], -row["bias"]))
    return best["bias"], table


def dev_sources(cluener: Path | None) -> dict[str, list[Sentence]]:
    """MSRA dev and (with ``cluener``) our CLUENER dev split with the training's mapping."""
    sources = load_sources(cluener=cluener, msra=("dev",))
    sources.pop("CLUENER dev (ours, scene as O)", None)
    return sources


def sweep_styles(arrays: dict[str, np.ndarray], sources: dict[str, Sequence[Sentence]],
                 grid: Sequence[float]) -> list[dict]:
    """Dev micro F1 per source for each CLUENER share of ``grid`` (``--styles`` models)."""
    return [{"style": w, **_scores(restyle(arrays, w), sources, f"CLUENER style share {w:.2f}")}
            for w in grid]


def _scores(arrays: dict[str, np.ndarray], sources: dict[str, Sequence[Sentence]],
            label: str) -> dict[str, float]:
    """Micro F1 of the model ``arrays`` on each source and their mean, printed after ``label``."""
    model = NerModel(arrays)
    f1 = {name: evaluate_ner(model.predict, sents)["micro"]["f1"]
          for name, sents in sources.items()}
    f1["mean"] = round(sum(f1.values()) / len(f1), 4)
    print(f"{label}: " + ", ".join(f"{k} {v:.4f}" for k, v in f1.items()), flush=True)
    return f1


def _read(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data}


def _write(path: Path, arrays: dict[str, np.ndarray]) -> None:
    with atomic_open(path) as out:
        np.savez_compressed(out, **arrays)
    print(f"wrote {path}", flush=True)


def apply(path: Path, sources: dict[str, list[Sentence]], write: bool) -> float:
    """Calibrate the model file at ``path``; with ``write``, fold the bias in and save it."""
    arrays = _read(path)
    meta = json.loads(str(arrays["meta"]))
    if "entity_bias" in meta:
        raise SystemExit(f"{path} is calibrated already (entity bias {meta['entity_bias']})")
    bias, table = calibrate(arrays, sources)
    print(f"best entity bias {bias:.2f}", flush=True)
    if write and bias:
        meta.update(entity_bias=bias, calibration=table)
        arrays = with_bias(arrays, bias)
        arrays["meta"] = np.array(json.dumps(meta, ensure_ascii=False))
        _write(path, arrays)
    return bias


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path, help="a ner.npz written by scripts/train_ner.py")
    ap.add_argument("--cluener", type=Path, help="CLUENER2020 train.json (our dev split of it)")
    ap.add_argument("--write", action="store_true", help="fold the best bias into the file")
    ap.add_argument("--styles", type=float, nargs="+", metavar="W",
                    help="--styles models: print the dev F1 for each CLUENER style share W "
                         "instead of fitting a bias (with --write and one W, fold it in)")
    args = ap.parse_args()
    sources = dev_sources(args.cluener)
    if args.styles:
        arrays = _read(args.model)
        sweep_styles(arrays, sources, args.styles)
        if args.write and len(args.styles) == 1:
            _write(args.model, restyle(arrays, args.styles[0]))
        return
    apply(args.model, sources, args.write)


if __name__ == "__main__":
    main()
