"""Language identification on news text in 25 languages, against openly licensed treebanks.

    python bench/language.py                      # the error table (bench/labels/language.jsonl.gz)
    python bench/language.py --build UD_DIR       # remake that set from Universal Dependencies checkouts

The set holds up to 40 texts of at least 100 words (200 characters for Chinese and Japanese)
per language, each made of consecutive sentences of one treebank's test (then dev) file: the
Parallel UD treebanks (news and Wikipedia sentences, CC BY-SA 3.0/4.0) and, where a language has
none, a CC BY-SA news or web treebank. Sources and licences: ``bench/labels/LANGUAGE-SOURCES.md``.
Treebanks under a non-commercial licence (Hungarian-Szeged, Ukrainian-IU, Hebrew-HTB,
Italian-ISDT) are left out.

Every text is classified twice: as a whole (what ``enrich`` sees) and by its first 100 words
(a short article). A guess of a language outside the 25 counts as wrong, as does no guess.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import orjson

from copydesk.enrich.language import detect

SET = Path(__file__).resolve().parent / "labels" / "language.jsonl.gz"
# Treebank folder -> ISO 639-1 code; the first files found of test, dev are read.
TREEBANKS = {
    "UD_English-PUD": "en", "UD_German-GSD": "de", "UD_French-GSD": "fr", "UD_Spanish-PUD": "es",
    "UD_Italian-PUD": "it", "UD_Portuguese-Bosque": "pt", "UD_Dutch-Alpino": "nl", "UD_Russian-PUD": "ru",
    "UD_Chinese-PUD": "zh", "UD_Japanese-GSD": "ja", "UD_Korean-PUD": "ko", "UD_Arabic-PUD": "ar",
    "UD_Turkish-PUD": "tr", "UD_Polish-PUD": "pl", "UD_Indonesian-PUD": "id", "UD_Hindi-PUD": "hi",
    "UD_Swedish-PUD": "sv", "UD_Czech-PUD": "cs", "UD_Romanian-RRT": "ro", "UD_Greek-GUD": "el",
    "UD_Persian-Seraji": "fa", "UD_Vietnamese-VTB": "vi", "UD_Finnish-PUD": "fi", "UD_Hebrew-IAHLTwiki": "he",
    "UD_Danish-DDT": "da",
}
PER_LANGUAGE = 40
MIN_WORDS = 100
MIN_CJK_CHARS = 200


def _sentences(path: Path) -> list[str]:
    return [line[len("# text = ") :].strip() for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# text = ")]


def _long_enough(text: str, language: str) -> bool:
    return len(text) >= MIN_CJK_CHARS if language in ("zh", "ja") else len(text.split()) >= MIN_WORDS


def build(ud_dir: Path) -> list[dict[str, str]]:
    rows = []
    for folder, language in TREEBANKS.items():
        files = sorted((ud_dir / folder).glob("*-test.conllu")) + sorted((ud_dir / folder).glob("*-dev.conllu"))
        texts: list[str] = []
        current: list[str] = []
        for path in files:
            for sentence in _sentences(path):
                current.append(sentence)
                joined = ("" if language in ("zh", "ja") else " ").join(current)
                if _long_enough(joined, language):
                    texts.append(joined)
                    current = []
                if len(texts) == PER_LANGUAGE:
                    break
            if len(texts) == PER_LANGUAGE:
                break
        rows += [{"language": language, "source": folder, "text": text} for text in texts]
    return rows


def rows() -> list[dict[str, str]]:
    return [orjson.loads(line) for line in gzip.decompress(SET.read_bytes()).splitlines()]


def articles(per_article: int = 4) -> dict[str, list[tuple[str, ...]]]:
    """Each language's texts as articles of ``per_article`` paragraphs (400 words or more)."""
    texts: dict[str, list[str]] = defaultdict(list)
    for row in rows():
        texts[row["language"]].append(row["text"])
    return {
        language: [tuple(paragraphs[i : i + per_article]) for i in range(0, len(paragraphs) - per_article + 1, per_article)]
        for language, paragraphs in sorted(texts.items())
    }


def first_words(text: str, language: str) -> str:
    return text[:MIN_CJK_CHARS] if language in ("zh", "ja") else " ".join(text.split()[:MIN_WORDS])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", type=Path, help="a folder of Universal Dependencies treebank checkouts")
    args = parser.parse_args()
    if args.build:
        built = build(args.build)
        SET.write_bytes(gzip.compress(b"".join(orjson.dumps(r) + b"\n" for r in built), mtime=0))
        print(f"wrote {len(built)} texts in {len({r['language'] for r in built})} languages to {SET.name}")
        return
    print(table())


def table() -> str:
    """The error table of ``detect`` on the set, by language, with the target's verdict."""
    texts = rows()
    wanted = set(TREEBANKS.values())
    wrong: dict[str, dict[str, Counter[str]]] = {"whole": defaultdict(Counter), "first 100 words": defaultdict(Counter)}
    counts: Counter[str] = Counter()
    times: list[float] = []
    for row in texts:
        language = row["language"]
        counts[language] += 1
        for name, text in (("whole", row["text"]), ("first 100 words", first_words(row["text"], language))):
            started = time.thread_time()
            guess, _ = detect(text)
            times.append((time.thread_time() - started) * 1000)
            if guess != language:
                wrong[name][language][guess or "(none)"] += 1
    lines = [
        f"language identification, {len(texts)} texts in {len(counts)} languages; median {statistics.median(times):.3f} ms a text",
        "| language | texts | wrong (whole) | wrong (first 100 words) | guessed instead |",
        "|---|---|---|---|---|",
    ]
    for language in sorted(counts):
        instead = wrong["whole"][language] + wrong["first 100 words"][language]
        lines.append(
            f"| {language} | {counts[language]} | {sum(wrong['whole'][language].values())} | "
            f"{sum(wrong['first 100 words'][language].values())} | {', '.join(f'{k} {v}' for k, v in instead.most_common()) or '-'} |"
        )
    for name in wrong:
        errors = sum(sum(c.values()) for c in wrong[name].values())
        rare = sum(n for c in wrong[name].values() for k, n in c.items() if k not in wanted)
        lines.append(f"{name}: {errors}/{len(texts)} wrong = {errors / len(texts):.2%} (target <= 1%); guesses outside the 25: {rare}")
    return "\n".join(lines)

if __name__ == "__main__":
    sys.exit(main())
