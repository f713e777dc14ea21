from copydesk.enrich.entities import find_entities
from copydesk.enrich.tokens import tokenize


def entities(text: str) -> dict[str, object]:
    return {e.text: e for e in find_entities(tokenize(text)).entities}


def test_aliases_from_the_table_merge():
    found = entities("Fighters of the Islamic State fled. ISIS later claimed the attack.")
    assert found["Islamic State"].type == "organization"
    assert found["Islamic State"].count == 2
    assert found["Islamic State"].aliases == ("ISIS",)


def test_a_lone_surname_is_the_full_name_used_earlier():
    found = entities("The strike killed Iranian Maj. General Qassim Suleimani last week. Suleimani’s death shook the region.")
    person = found["Qassim Suleimani"]
    assert person.type == "person" and person.count == 2 and person.aliases == ("Suleimani",)
    assert "Suleimani" not in found


def test_titles_are_not_part_of_names_and_honorifics_are():
    found = entities("President Donald Trump met Police Chief Jane Roe. Supreme Leader Ayatollah Khamenei was not there.")
    assert {"Donald Trump", "Jane Roe", "Ayatollah Khamenei"} <= set(found)
    assert all(found[n].type == "person" for n in ("Donald Trump", "Jane Roe", "Ayatollah Khamenei"))


def test_places_carry_country_code_and_geonames_id():
    found = entities("Troops in Iraq and the US were told. The United States said so.")
    assert found["Iraq"].country_code == "IQ" and found["Iraq"].geonames_id == 99237
    assert found["United States"].count == 2 and found["United States"].aliases == ("US",)


def test_organisation_heads_acronyms_and_national_institutions():
    found = entities(
        "The Federal Bureau of Investigation and Acme Widget Company were named. The FBI said more. "
        "Later the Iraqi parliament voted."
    )
    assert found["Federal Bureau of Investigation"].count == 2
    assert found["Acme Widget Company"].type == "organization"
    assert found["Iraqi parliament"].type == "organization"


def test_sentence_openers_and_headings_are_not_names():
    found = entities("While the storm passed, Hours later nothing. AN IMPORTANT UPDATE came.")
    assert found == {}


def test_offsets_point_into_the_text():
    text = "Yesterday in Paris, Anne Hidalgo spoke."
    for entity in find_entities(tokenize(text)).entities:
        assert text[entity.offset :].startswith(entity.text)


def test_a_town_before_its_state_is_a_place_there():
    found = entities("The lab in Greenbelt, Maryland, found water.")
    assert found["Greenbelt"].type == "place" and found["Greenbelt"].country_code == "US"


def test_employers_and_tickers_mark_companies():
    found = entities(
        "Investors sold shares of Home Depot (ticker: HD). Acme analyst Jonathan Matuszewski said more; "
        "Jonathan Matuszewski was not worried."
    )
    assert found["Home Depot"].type == "organization"
    assert found["Acme"].type == "organization"
    assert found["Jonathan Matuszewski"].type == "person" and found["Jonathan Matuszewski"].count == 2
    assert "HD" not in found


def test_infrastructure_employers_and_nationalities_are_not_people():
    found = entities(
        "The Harbor Bridge will close. Northline Construction won the contract. "
        "Swiss and Austrian researchers said the work was sound, and Jane Doe said so too."
    )
    assert "Harbor Bridge" not in found or found["Harbor Bridge"].type != "person"
    assert found["Northline Construction"].type == "organization"
    assert "Austrian" not in found
    assert found["Jane Doe"].type == "person"
