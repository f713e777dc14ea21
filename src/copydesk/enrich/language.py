"""Which language the article is written in, with py3langid's naive Bayes model (it ships inside
the package, so nothing is fetched)."""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# The model is settled well before this many characters; classifying more only costs time.
_SAMPLE_CHARS = 200


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect(text: str) -> tuple[str, float]:
    """ISO 639-1 code and the model's probability, or ("", 0.0) when there is nothing to read."""
    sample = text[:_SAMPLE_CHARS]
    if not any(ch.isalpha() for ch in sample):
        return "", 0.0
    code, probability = _identifier().classify(sample)
    return code, round(float(probability), 4)
