"""Train the entity tagger (``copydesk.enrich.tagger``) from ``bench/ner-data`` and write its
weights into the package. Run from the repository root::

    python bench/train_ner.py            # about six minutes on one idle core
    python bench/train_ner.py --tune     # tune the bias towards names first (twice as long)
    python bench/train_ner.py --epochs 2 # a quick look

Training is an averaged structured perceptron (Collins 2002) over every corpus's training
documents (``ner_data.held_out`` keeps one document in five out), in a fixed shuffled order, so a
rerun writes the same weights: one model over all languages, and one for each language over its
documents alone, which the tagger adds to the first. The held-out scores of the written file are
printed at the end, the table ``bench/enrich.py`` prints.
"""

from __future__ import annotations

import argparse
import gzip
import random
import statistics
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ner_data import Document, f1, score_table, scores, split  # noqa: E402

from copydesk.enrich.languages import ENTITIES  # noqa: E402
from copydesk.enrich.tagger import COMMON_BANDS, TAGS, Model, features, viterbi  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "src" / "copydesk" / "enrich" / "data"
OUTPUT = DATA / "ner-model.npz"
COMMON_WORDS = DATA / "common-words.json.gz"
SEED = 20261206
# Biases towards names --tune tries. With these features it found 0.663-0.666 mean F1 for every
# bias from 0 to 15 (the shared model alone); the sums of the shared and a language's own model
# did best with 10 (the shared model's 5 and the own model's 5, on the tuning fifth: de 0.644 ->
# 0.654 against 5 in all), so every table the tagger reads carries 10, the shared one that Spanish
# and Italian read alone too.
BIASES = (0.0, 5.0, 10.0, 20.0, 40.0)
# A language's own model (trained on its documents alone) is added to the shared one for every
# language with training documents: on a fifth of the training documents, tagged by models
# trained on the other four fifths, the sum beat the shared model (en 0.689 -> 0.709, de 0.639 ->
# 0.654, fr 0.638 -> 0.655, nl 0.579 -> 0.584, pt 0.779 -> 0.791) and each language's own model
# alone (en 0.690, de 0.643), with the same cost to tag (one table).


def write_common_words() -> None:
    """Each tagged language's commonest words, commonest first, from wordfreq (its data: CC BY-SA
    4.0), as the tagger's common-word feature reads them."""
    import wordfreq  # only to train

    ranked = {language: wordfreq.top_n_list(language, COMMON_BANDS[-1]) for language in sorted(ENTITIES)}
    with gzip.GzipFile(COMMON_WORDS, "wb", mtime=0) as out:
        out.write(orjson.dumps(ranked))


def train(docs: list[Document], epochs: int, bits: int) -> Model:
    size = len(TAGS)
    weights = np.zeros((1 << bits, size), dtype=np.float32)
    mask = (1 << bits) - 1
    # Averaging without touching every weight at every step: each update is also added, scaled
    # by the step it was made at, to ``stamped``; the average is weights - stamped / steps.
    stamped = np.zeros_like(weights)
    transitions = np.zeros((size + 1, size), dtype=np.float32)
    stamped_transitions = np.zeros_like(transitions)
    prepared = []
    for doc in docs:
        t = doc.tokens
        buckets = features(t.words, t.gaps, t.sentence_words, doc.language)
        prepared.append((buckets & mask, np.array(doc.gold), list(zip(t.sentence_words[:-1], t.sentence_words[1:]))))
    order = list(range(len(prepared)))
    rng = random.Random(SEED)
    step = 1
    for epoch in range(epochs):
        started = time.perf_counter()
        rng.shuffle(order)
        mistakes = words = 0
        for k in order:
            buckets, gold, bounds = prepared[k]
            for a, b in bounds:
                if b == a:
                    continue
                # One sentence at a time, each scored with the weights the last one left.
                rows, truth = buckets[a:b], gold[a:b]
                guess = np.array(viterbi(weights[rows].sum(axis=1), transitions, [(0, b - a)]))
                words += b - a
                wrong = np.nonzero(guess != truth)[0]
                if len(wrong):
                    mistakes += len(wrong)
                    for i in wrong:
                        for tag_, sign in ((truth[i], 1.0), (guess[i], -1.0)):
                            weights[rows[i], tag_] += sign
                            stamped[rows[i], tag_] += sign * step
                    for path, sign in ((truth, 1.0), (guess, -1.0)):
                        previous = np.concatenate([[size], path[:-1]])
                        np.add.at(transitions, (previous, path), sign)
                        np.add.at(stamped_transitions, (previous, path), sign * step)
                step += 1
        print(f"epoch {epoch + 1}: {mistakes / max(words, 1):.3%} of words wrong, {time.perf_counter() - started:.0f} s", flush=True)
    return Model(weights - stamped / step, transitions - stamped_transitions / step)


def with_bias(model: Model, bias: float) -> Model:
    """The model with ``bias`` added to every name tag's score: added to each transition into a
    name tag, since every word is entered by exactly one transition."""
    transitions = model.transitions.copy()
    transitions[:, 1:] += bias
    return Model(model.weights, transitions)


def tuned_bias(train_docs: list[Document], epochs: int, bits: int) -> float:
    """The bias towards names that gives the best mean F1 over languages on a fifth of the
    training documents, with a model trained on the rest (a perceptron leans towards O, the tag
    it sees most)."""
    dev = [d for d in train_docs if zlib.crc32(d.name.encode()) % 5 == 1]
    rest = [d for d in train_docs if zlib.crc32(d.name.encode()) % 5 != 1]
    model = train(rest, epochs, bits)
    best = (-1.0, 0.0)
    for bias in BIASES:
        counts = scores(dev, {"": with_bias(model, bias)})
        mean = statistics.mean(f1(*row[1:])[2] for (_, corpus), row in counts.items() if corpus == "all")
        print(f"bias {bias}: mean F1 {mean:.3f} on the tuning documents", flush=True)
        best = max(best, (mean, bias))
    return best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--bits", type=int, default=19, help="the weight table has 2**bits rows")
    parser.add_argument("--bias", type=float, default=10.0, help="towards names, in every table the tagger reads (see BIASES)")
    parser.add_argument("--tune", action="store_true", help="tune the bias on the training documents first")
    args = parser.parse_args()
    write_common_words()
    train_docs, test_docs = split()
    print(f"{len(train_docs)} training documents, {len(test_docs)} held out", flush=True)
    bias = tuned_bias(train_docs, args.epochs, args.bits) if args.tune else args.bias
    shared = with_bias(train(train_docs, args.epochs, args.bits), bias)
    # Unbiased: the bias is the shared table's, and so the sum's too.
    own = {language: train([d for d in train_docs if d.language == language], args.epochs, args.bits) for language in sorted({d.language for d in train_docs})}
    arrays = {"weights": shared.weights.astype(np.float16), "transitions": shared.transitions}
    for language, model in own.items():
        arrays[f"weights_{language}"] = model.weights.astype(np.float16)
        arrays[f"transitions_{language}"] = model.transitions
    np.savez_compressed(OUTPUT, **arrays)
    print(f"wrote {OUTPUT.name}: {OUTPUT.stat().st_size / 1e6:.1f} MB, bias {bias}")
    print(score_table(test_docs))  # as the tagger reads the file just written


if __name__ == "__main__":
    main()
