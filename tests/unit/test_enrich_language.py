import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from copydesk.enrich.language import detect

SAMPLES = [
    "The city council approved new bike lanes for the whole city on Monday.",
    "Der Stadtrat hat am Montag neue Radwege für die ganze Stadt beschlossen.",
    "Le conseil municipal a approuvé lundi de nouvelles pistes cyclables pour toute la ville.",
    "El ayuntamiento aprobó el lunes nuevos carriles bici para toda la ciudad.",
    "Городской совет в понедельник одобрил новые велосипедные дорожки.",
    "市议会周一批准了全市新的自行车道。",
    "مجلس المدينة وافق يوم الاثنين على ممرات جديدة للدراجات",
    "Градскиот совет во понеделник одобри нови велосипедски патеки.",
    "THE CITY COUNCIL APPROVED NEW BIKE LANES",
    "a",
    "Ünïcödé 😀 émojis and a lone surrogate \ud800 in the middle",
    "x" * 300,
]


@pytest.fixture(scope="module")
def reference() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


@pytest.mark.parametrize("text", SAMPLES)
def test_detect_scores_as_py3langid_classifies(reference: LanguageIdentifier, text: str) -> None:
    # detect walks py3langid's model with tables of its own layout: same answer, same probability.
    code, probability = reference.classify(text[:200])
    assert detect(text) == (code, round(float(probability), 4))
