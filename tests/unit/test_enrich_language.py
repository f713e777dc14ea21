import numpy as np
import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from copydesk.enrich.language import _NEWS_LANGUAGES, RARE_LANGUAGE_CONFIDENCE, TABLES_SOURCE, _prose, built_tables, detect, shipped_tables
from tests.unit.shipped import require_source

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
    # detect walks py3langid's model with tables of its own layout: same answer, same probability
    # (unless the answer is a rare language at a low probability, see the next test).
    code, probability = reference.classify(_prose(text))
    if code in _NEWS_LANGUAGES or probability >= RARE_LANGUAGE_CONFIDENCE:
        assert detect(text) == (code, round(float(probability), 4))
    else:
        assert detect(text)[0] in _NEWS_LANGUAGES


def test_rare_languages_need_a_high_probability():
    # Headlines and names first, then prose: the prose decides, never a creole or "no language".
    page = (
        "South Dakota Gov. Kristi Noem\nKristi Lynn Noem\nSouth Dakota drops pipeline protest laws\n"
        "The governor said on Tuesday that the state would keep its campaign against the drug, which "
        "critics had mocked for its slogan, and that the money spent on it had been well spent."
    )
    assert detect(page)[0] == "en"
    assert detect("\n".join(" ".join(str(1990 + i + j) for j in range(6)) for i in range(20))) == ("", 0.0)
    table = "\n".join(f"Row {i} {1990 + i} {i * 3} {i * 7} pts" for i in range(30))
    assert detect(table)[0] in _NEWS_LANGUAGES
    assert detect("Die Regierung hat am Dienstag beschlossen, die Steuern im kommenden Jahr zu senken.")[0] == "de"


def test_shipped_tables_are_built_from_py3langid() -> None:
    # The package ships the tables bench/shipped_data.py builds from py3langid's model.
    require_source(TABLES_SOURCE)
    shipped = shipped_tables()
    built = built_tables()
    assert shipped.keys() == built.keys()
    for name, table in built.items():
        assert shipped[name].dtype == table.dtype, name
        assert np.array_equal(shipped[name], table), name
