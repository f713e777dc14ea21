"""Train the entity tagger (``copydesk.enrich.tagger``) from ``bench/ner-data`` and write its
weights into the package. Run from the repository root::

    python bench/train_ner.py            # about eight minutes on the busy shared machine
    python bench/train_ner.py --tune     # tune the biases towards names first (twice as long)
    python bench/train_ner.py --epochs 2 # a quick look

Training is an averaged structured perceptron (Collins 2002) over every corpus's training
documents (``ner_data.held_out`` keeps one document in five out), in a fixed shuffled order, so a
rerun writes the same weights: one model over all languages (less ``ner_data.OWN_ONLY``'s corpora),
and one for each language over its documents alone, which the tagger adds to the first. The held-out scores of the written file are
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

from ner_data import OWN_ONLY, Document, f1, score_table, scores, split  # noqa: E402

from copydesk.enrich.languages import ENTITIES  # noqa: E402
from copydesk.enrich.tagger import COMMON_BANDS, TAGS, Model, features, summed, viterbi, word_key  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "src" / "copydesk" / "enrich" / "data"
OUTPUT = DATA / "ner-model.npz"
COMMON_WORDS = DATA / "common-words.json.gz"
WORD_CLUSTERS = DATA / "word-clusters.npz"
# The commonest words of a language whose cluster paths are kept (the table's size: each
# language's list in spacy-lookups-data holds a million words, most of them rare).
CLUSTERED_WORDS = 200_000
SEED = 20261206
# Biases towards names --tune tries (a perceptron leans towards O, the tag it sees most).
BIASES = (0.0, 5.0, 10.0, 20.0, 40.0)
# What --tune found with GUM in the training data: every table 20 (mean F1 of the five languages
# on the tuning fifth 0.690, against 0.688 with 10, 0.686 with 5, 0.684 with 0 and 40); German, which
# had 20 of its own over a common 10, gains nothing more, nor does any other language. With word
# clusters in English's and German's own tables, 20 again (0.705, against 0.702 with 10, 0.701
# with 5 and 40, 0.698 with 0; German 0.717 with 20, 0.718 with 40), none of a language's own.
BIAS = 20.0
LANGUAGE_BIASES: dict[str, float] = {}
# A language keeps the common bias unless one of its own beats it by more than this on the tuning
# documents (two shufflings of the same training data differ by about as much).
MARGIN = 0.005
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


def write_word_clusters(languages: set[str]) -> None:
    """The Brown cluster path of each of the CLUSTERED_WORDS commonest words (by the table's
    word probabilities) that has one, for each of ``languages`` spacy-lookups-data (MIT) has
    clusters for, as ``tagger.word_clusters`` reads them: by the word's ``word_key``, sorted (of
    two words with one key, the commoner is kept)."""
    from importlib.resources import files  # only to train

    tables = files("spacy_lookups_data") / "data"
    arrays = {}
    for language in sorted(languages):
        if not (tables / f"{language}_lexeme_cluster.json.gz").is_file():
            continue
        paths = orjson.loads(gzip.decompress((tables / f"{language}_lexeme_cluster.json.gz").read_bytes()))
        probability = orjson.loads(gzip.decompress((tables / f"{language}_lexeme_prob.json.gz").read_bytes()))
        words = sorted((w for w, path in paths.items() if path), key=lambda w: (-probability.get(w, -100.0), w))[:CLUSTERED_WORDS]
        hashes, first = np.unique(np.array([word_key(w) for w in words], dtype=np.uint32), return_index=True)
        arrays[f"words_{language}"] = hashes
        arrays[f"paths_{language}"] = np.array([paths[words[i]] for i in first], dtype=np.uint32)
    np.savez_compressed(WORD_CLUSTERS, **arrays)


def train(docs: list[Document], epochs: int, bits: int, seed: int, clusters: bool) -> Model:
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
        buckets = features(t.words, t.gaps, t.sentence_words, doc.language, clusters)
        prepared.append((buckets & mask, np.array(doc.gold), list(zip(t.sentence_words[:-1], t.sentence_words[1:]))))
    order = list(range(len(prepared)))
    rng = random.Random(seed)
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


def biased(shared: Model, own: dict[str, Model], bias: float, language_biases: dict[str, float]) -> tuple[Model, dict[str, Model]]:
    """The tables as the tagger reads them: the shared one carries ``bias`` (Spanish and Italian
    read it alone), each language's own table what its sum with the shared one needs on top."""
    return with_bias(shared, bias), {language: with_bias(model, language_biases.get(language, bias) - bias) for language, model in own.items()}


def train_all(docs: list[Document], epochs: int, bits: int, seed: int) -> tuple[Model, dict[str, Model]]:
    """The model over every language's documents (less the OWN_ONLY corpora's), without cluster
    features, and each language's own over its documents alone, with them where the language
    has clusters."""
    languages = sorted({d.language for d in docs})
    shared = train([d for d in docs if d.corpus not in OWN_ONLY], epochs, bits, seed, clusters=False)
    return shared, {language: train([d for d in docs if d.language == language], epochs, bits, seed, clusters=True) for language in languages}


def tuned_biases(train_docs: list[Document], epochs: int, bits: int, seed: int) -> tuple[float, dict[str, float]]:
    """The bias towards names that gives the best mean F1 over languages on a fifth of the
    training documents, tagged by models trained on the rest, and the languages that do better
    by more than MARGIN with a bias of their own."""
    dev = [d for d in train_docs if zlib.crc32(d.name.encode()) % 5 == 1]
    shared, own = train_all([d for d in train_docs if zlib.crc32(d.name.encode()) % 5 != 1], epochs, bits, seed)
    found: dict[float, dict[str, float]] = {}
    for bias in BIASES:
        base, extra = biased(shared, own, bias, {})
        counts = scores(dev, {"": base} | {language: summed(base, model) for language, model in extra.items()})
        found[bias] = {language: f1(*row[1:])[2] for (language, corpus), row in counts.items() if corpus == "all"}
        print(f"bias {bias}: mean F1 {statistics.mean(found[bias].values()):.3f} on the tuning documents, "
              + ", ".join(f"{language} {f:.3f}" for language, f in sorted(found[bias].items())), flush=True)
    common = max(BIASES, key=lambda b: statistics.mean(found[b].values()))
    own_biases = {}
    for language, at_common in found[common].items():
        best = max(BIASES, key=lambda b: found[b][language])
        if found[best][language] > at_common + MARGIN:
            own_biases[language] = best
    return common, own_biases


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--bits", type=int, default=19, help="the weight table has 2**bits rows")
    parser.add_argument("--seed", type=int, default=SEED, help="the training order's shuffling seed (another shows the spread to expect)")
    parser.add_argument("--tune", action="store_true", help="tune the biases towards names on the training documents first")
    args = parser.parse_args()
    write_common_words()
    train_docs, test_docs = split()
    print(f"{len(train_docs)} training documents, {len(test_docs)} held out", flush=True)
    # Clusters are read by a language's own table only: a language without training documents has none.
    write_word_clusters({d.language for d in train_docs})
    bias, language_biases = tuned_biases(train_docs, args.epochs, args.bits, args.seed) if args.tune else (BIAS, LANGUAGE_BIASES)
    shared, own = biased(*train_all(train_docs, args.epochs, args.bits, args.seed), bias, language_biases)
    arrays = {"weights": shared.weights.astype(np.float16), "transitions": shared.transitions}
    for language, model in own.items():
        arrays[f"weights_{language}"] = model.weights.astype(np.float16)
        arrays[f"transitions_{language}"] = model.transitions
    np.savez_compressed(OUTPUT, **arrays)
    print(f"wrote {OUTPUT.name}: {OUTPUT.stat().st_size / 1e6:.1f} MB, bias {bias}, {language_biases or 'no language of its own'}")
    print(score_table(test_docs))  # as the tagger reads the file just written


if __name__ == "__main__":
    main()
