from copydesk.document import Extraction
from copydesk.enrich import enrich, forget
from copydesk.enrich.entities import find_entities
from copydesk.enrich.tokens import tokenize

STORY = (
    "President Jane Doe of the World Bank said on Monday in Paris that Jefferies analyst Ann Lee "
    "was right. Jefferies did not comment. Lee said: “The numbers are good.”"
)


def _names(text: str) -> list[tuple[str, str]]:
    return [(e.text, e.type) for e in find_entities(tokenize(text)).entities]


def test_a_remembered_answer_is_the_answer_a_fresh_worker_gives():
    extraction = Extraction("text", "Markets", "", (STORY,))
    forget()
    fresh = enrich(extraction, url="")
    assert enrich(extraction, url="") == fresh  # every word now remembered
    forget()
    assert enrich(extraction, url="") == fresh


def test_a_word_is_remembered_with_what_follows_it():
    # "Jefferies" before a company role is an employer; alone it is nothing we can name.
    forget()
    alone = _names("Jefferies did not comment.")
    assert ("Jefferies", "organization") in _names("Jefferies analyst Ann Lee said so.")
    assert _names("Jefferies did not comment.") == alone == []
