"""Place mentions in a doc and event locations (the gazetteer itself is in gazetteer.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Token

from .actor_base import ActorKnowledge, build_knowledge, prominent
from .actor_matcher import actor_matcher, lemma_words
from .dates import MONTHS
from .docs import doc_words, sentence_of
from .gazetteer import (  # noqa: F401  (re-exported: the places API)
    WATER_WORDS,
    Place,
    country_places,
    country_points,
    fips,
    gazetteer,
    to_location,
)
from .lexicon import load_frames
from .names import NAME_PARTICLES, NameReader, is_name_word
from .token_index import phrase_index

LOCATIVE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "throughout", "around", "into", "within", "on"})
LANDFORM_WORDS = WATER_WORDS | frozenset({"mount", "mountain", "mountains", "island", "islands", "desert", "valley", "basin",
                                         "strait", "cape", "peninsula", "plain", "plateau", "highlands", "forest"})
NAME_DEPS = frozenset({"compound", "flat"})  # how the words of one proper name hang together
# words before a place name that leave it a place ("Northern Syria", "Greater Manchester", "Upper Egypt")
REGION_WORDS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
                          "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
                          "southeastern", "southwestern", "north-east", "north-west", "south-east", "south-west",
                          "upper", "lower", "greater", "inner", "outer", "-",
                          "county", "province", "city", "district", "region", "governorate", "prefecture"})  # "County Cork"


@dataclass
class PlaceMention:
    start: int
    end: int
    candidates: tuple[Place, ...]

    @property
    def best(self) -> Place:
        return self.candidates[0]

    def preferring(self, place: Place) -> PlaceMention:
        """The same mention with `place` read first."""
        return PlaceMention(self.start, self.end, (place, *(p for p in self.candidates if p is not place)))


class PlaceMatcher:
    """Finds gazetteer names in a doc (case-sensitive, capitalised words only)."""

    def __init__(self, nlp: Language) -> None:
        self.places = gazetteer()
        forms = [f for f in self.places if f[:1].isupper() and (len(f) > 2 or f.isupper())]  # "UK", "US" (places.tsv)
        self.index = phrase_index("place-index", nlp, forms)
        self.knowledge = build_knowledge()
        self.names = actor_matcher(nlp, ()).names  # the pipeline's matcher (its lru_cache key), not a second one
        self.verbs_and_adjectives = lemma_words(nlp, ("verb", "adj"))
        self.surnames = (self.knowledge.surnames.keys() | self.knowledge.shared_surnames.keys(), {  # once, not per doc:
            s for s, people in self.knowledge.shared_surnames.items() if any(map(prominent, people))})  # known, leaders'

    def mistagged(self, token: Token, form: str) -> bool:
        """A capitalised word the tagger took for a common word ("Kharkiv", "Sydney" or "Aleppo" opening a sentence or
        standing alone) names a place when the place is a country or a city of a million and the word is no English
        verb or adjective and no inflected word ("Reading", "Mobile", "Nice", "Split" stay words; so do the smaller
        towns named by English nouns, "Independence" and "Enterprise", and regions such as "Unity" or "Plateau")."""
        if token.pos_ not in ("NOUN", "ADJ", "ADV", "VERB") or not token.text[:1].isupper() or token.lemma_.lower() != token.lower_ \
                or token.lower_ in self.verbs_and_adjectives:
            return False
        best = self.places[form][0]
        return best.precision == "country" or best.precision == "city" and best.population >= 1_000_000

    def mentions(self, doc: Doc) -> list[PlaceMention]:
        """Place names of the doc, longest first, without the dates, people and parts of longer names."""
        found = []
        for start, end, form in self.index.find(doc_words(doc)):
            if not any(t.pos_ == "PROPN" or self.mistagged(t, form) for t in doc[start:end]):
                continue
            found.append((start, end, self.places[form]))
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: set[int] = set()
        result = []
        for start, end, candidates in found:
            if any(i in taken for i in range(start, end)):
                continue
            taken.update(range(start, end))
            result.append(PlaceMention(start, end, candidates))
        names = ProperNames(doc, self.knowledge, result, self.names, self.surnames)
        return in_story(doc, qualified(doc, sorted((m for m in result if names.not_a_place(m) is None), key=lambda m: m.start)))


def owned_building(token: Token, place: Place) -> bool:
    """A country naming whose building or unit a noun is ("outside the US embassy in Manila", "at a Russian base"):
    not where it is; a region or a town is ("at the Kabul airport")."""
    return place.precision == "country" and token.dep_ in ("compound", "amod") \
        and token.head.lemma_.lower() not in load_frames().place_nouns


def owns_national_office(doc: Doc, mention: PlaceMention) -> bool:
    """ "Georgia's foreign minister", "the president of Georgia", "Georgia Prime Minister X": only a state has one."""
    token = doc[mention.end - 1]
    owner = token.head.head if token.dep_ == "pobj" and token.head.lower_ == "of" else token.head
    if token.dep_ == "compound" and (any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in owner.children)
                                     or any(t.pos_ == "PROPN" for t in doc[token.i + 1:owner.i])):
        return False  # "a Georgia minister", "a Georgia Baptist minister": someone from there, not its office
    return token.dep_ in ("poss", "compound", "pobj") and owner.lemma_.lower() in load_frames().national_offices


def in_story(doc: Doc, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """A country's name that is also a region of another country reads as the region when the story's towns and
    regions are in that other country and none in the first: "Georgia" beside Atlanta is the US state (naming the
    United States itself says nothing: "suspended its partnership with Georgia"); not when it owns an office only a
    state has ("Georgia's foreign minister met Blinken in Washington")."""
    found = []
    for mention in mentions:
        best = mention.best
        regions = [p for p in mention.candidates if p.precision == "region" and p.country != best.country]
        if best.precision == "country" and regions and not owns_national_office(doc, mention):
            elsewhere = {m.best.country for m in mentions if m.candidates != mention.candidates and m.best.precision != "country"}
            there = [p for p in regions if p.country in elsewhere]
            if there and best.country not in elsewhere:
                mention = mention.preferring(there[0])
        found.append(mention)
    return found


def qualified(doc: Doc, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """A town the text qualifies by its region or country reads as the one there, however large a namesake is:
    "Kingston, Ontario", "Tripoli in northern Lebanon", "Georgetown, Penang" (the qualifier is a region or a
    country, right after a comma, or after "in" and at most one word)."""
    found = []
    for mention, qualifier in zip(mentions, [*mentions[1:], None], strict=False):  # the last has none
        between = [t.lower_ for t in doc[mention.end:qualifier.start]] if qualifier is not None else []
        if qualifier is not None and (between == [","] or (between[:1] == ["in"] and len(between) <= 2)) \
                and qualifier.best.precision in ("country", "region"):
            there = [p for p in mention.candidates if p.country == qualifier.best.country and p.precision != "country"]
            if there and there[0] is not mention.best:
                mention = mention.preferring(there[0])
        found.append(mention)
    return found


class ProperNames:
    """Tells a place name from a date, a person's name or a word of a longer name.

    "March 2011" is a month; "Nelson Mandela" (a person to names.py or the
    actor base) and a later "Mandela" are a person; "David" in "Camp David" and
    "Airport" in "Baghdad International Airport" end a name that is not a place.
    """

    def __init__(self, doc: Doc, knowledge: ActorKnowledge, mentions: list[PlaceMention], reader: NameReader,
                 surnames: tuple[set[str], set[str]]) -> None:
        self.doc, self.knowledge, (self.surnames, self.leaders) = doc, knowledge, surnames
        self.placed = {i for m in mentions for i in range(m.start, m.end)}
        self.countries = {i for m in mentions if m.best.precision != "city" for i in range(m.start, m.end)}
        self.reader, self.names = reader, reader.read(doc)
        self.person_words: set[str] = set()
        for start, end in self.names.people:
            own = self.person_name(start, end)
            if own:
                self.person_words.update(t.text for t in doc[own[0]:own[1]])

    def not_a_place(self, mention: PlaceMention) -> str | None:
        """Why a gazetteer match is no place here ("month", "person", "part of a name"), or None."""
        span = self.doc[mention.start:mention.end]
        if len(span) == 1 and span.text.istitle() and span.text.lower() in MONTHS:
            return "month"  # "March 2011", "in August"
        if len(span) == 1 and mention.best.precision == "city" and self.reader.is_common(span[0]) \
                and mention.end + 1 < len(self.doc) and self.doc[mention.end].lower_ == "of" and is_name_word(self.doc[mention.end + 1]):
            return "part of a name"  # "University of Belgrade", "Commerce of ...": a common word heading an institution's name
        if len(span) == 1 and mention.best.precision == "city" and self.joined_to_name(mention.start):
            return "part of a name"  # "Ritz-Carlton", "Mocimboa da Praia": a town's name ending another name
        left, right = self.name_run(mention.start, mention.end)
        own = self.person_name(left, right)
        if own and own[0] <= mention.start and mention.end <= own[1] and (own[0], own[1]) != (mention.start, mention.end):
            return "person"  # "Nelson Mandela"; "Azerbaijan" of "Azerbaijan President Ilham Aliyev" stays
        if len(span) == 1 and mention.best.precision == "city" and (self.is_person_word(span.text) or span.text in self.leaders
                                                                    and mention.best.population < 1_000_000 and self.doc[max(mention.start - 1, 0)].pos_ != "ADP"):
            return "person"  # "Mandela said" after "Nelson Mandela"; "Obama criticised Bush" (not Bush, Egypt; "port of Santos")
        if len(span) == 1 and mention.best.precision == "city" and left == mention.start < right - 1 \
                and self.reader.is_institution_word(span.text):
            return "part of a name"  # "Police Service officers": the town of Police, Poland, heads no name
        if left < mention.start and (self.reader.is_institution_word(span.text) or not all(
                i in self.placed or self.doc[i].lower_ in REGION_WORDS for i in range(left, mention.start))) \
                and not self.seat_of_institution(mention, left, right):
            return "part of a name"  # "Camp David", "Baghdad International Airport"; "Northern Syria" stays
        after = self.doc[mention.end] if right > mention.end else None  # "Neka Dorokashvili", "Crystal Munoz":
        if len(span) == 1 and mention.best.precision == "city" and after is not None and (self.unknown_name_word(after) or (
                mention.best.population < 1_000_000 and (after.text in self.surnames or self.is_person_word(after.text)))):
            return "part of a name"  # a town's name before an unknown name or a known surname: a first name
        return None

    def seat_of_institution(self, mention: PlaceMention, left: int, right: int) -> bool:
        """A region or a country ending an institution's name says where it is ("Aboriginal Medical Services
        Alliance Northern Territory", "Police Service Northern Ireland"); a town there may be its namesake."""
        words = self.doc[left:mention.start]
        return mention.end == right and mention.best.precision != "city" \
            and any(self.reader.is_institution_word(t.text) for t in words) \
            and all(self.reader.is_institution_word(t.text) or self.reader.is_common(t) for t in words) \
            and not any(t.lower_ in LANDFORM_WORDS for t in words)  # "Lake Chad", "Mount Kenya" are no institutions

    def joined_to_name(self, start: int) -> bool:
        """The token at `start` ends a longer name: after a hyphen written close to a capitalised word that is no
        place, or after a name particle ("da", "de", "al") that follows one."""
        if start < 2:
            return False
        link, before = self.doc[start - 1], self.doc[start - 2]
        close = link.text == "-" and not link.whitespace_ and not before.whitespace_
        particle = link.lower_ in NAME_PARTICLES and link.text.islower()
        return (close or particle) and before.text[:1].isupper() and before.i not in self.placed

    def unknown_name_word(self, token: Token) -> bool:
        """A capitalised word no dictionary, gazetteer or actor base knows: a surname or a brand."""
        text = token.text
        return is_name_word(token) and not text.isupper() and not self.reader.is_common(token) and text not in self.reader.places \
            and not self.reader.kinds(text) and text.lower() not in self.reader.institutional

    def name_run(self, start: int, end: int) -> tuple[int, int]:
        """The proper name around doc[start:end]: capitalised proper nouns joined as compounds."""
        doc, left, right = self.doc, start, end
        while left > 0 and is_name_word(doc[left - 1]) and doc[left - 1].dep_ in NAME_DEPS and left <= doc[left - 1].head.i < right:
            left -= 1
        while right < len(doc) and is_name_word(doc[right]) and doc[right - 1].dep_ in NAME_DEPS and doc[right - 1].head.i >= right:
            right += 1
        return left, right

    def person_name(self, left: int, right: int) -> tuple[int, int] | None:
        """The part of a name that is a person's own name (after any title), when it is one."""
        sectors = self.knowledge.sectors
        titles = [t.i for t in self.doc[left:right] if (t.lower_,) in sectors or (t.lemma_.lower(),) in sectors]
        start = titles[-1] + 1 if titles else left
        own = self.doc[start:right]
        if not len(own):
            return None
        if any(e.kind == "person" for e in self.knowledge.forms.get(own.text, ())):
            return start, right
        tagged = all(self.names.is_person(t) and is_name_word(t) for t in own)
        if len(own) > 1 and tagged and not all(t.i in self.countries for t in own):  # "Armenia Azerbaijan talks"
            return start, right
        return None

    def is_person_word(self, text: str) -> bool:
        """A word of a person's name in this doc, or a person and nothing else in the actor base."""
        kinds = {e.kind for e in self.knowledge.forms.get(text, ())}
        return kinds == {"person"} or (text in self.person_words and not kinds - {"person"})


@lru_cache(maxsize=2)
def place_matcher(nlp: Language) -> PlaceMatcher:
    return PlaceMatcher(nlp)


class Locator:
    """Chooses the place of an event: its clause first, then its sentence."""

    def __init__(self, mentions: list[PlaceMention], context_countries: set[str], doc: Doc | None = None) -> None:
        self.at = {i: m for m in mentions for i in range(m.start, m.end)}
        self.mentions = mentions
        self.context = context_countries
        self.votes: dict[str, int] = {}
        self.town_votes: set[str] = set()  # countries voted for by a town, or by a country named as a place ("in Bolivia")
        for mention in mentions:
            country = self.clear_country(mention)
            if country:
                self.votes[country] = self.votes.get(country, 0) + 1
                if max(mention.candidates, key=lambda p: p.population).precision != "country" or (
                        doc is not None and self.is_locative(doc[mention.start])):  # "protests in Bolivia"
                    self.town_votes.add(country)

    @staticmethod
    def clear_country(mention: PlaceMention) -> str | None:
        """The country a place name votes for: its only one, or that of a candidate that dwarfs the
        others (La Paz is Bolivia's capital before it is a Mexican town); None when it is a toss-up.
        A seat of government comes first whatever its size (the gazetteer's order): Islamabad is
        Pakistan's capital, not the old name of Chittagong."""
        countries = {p.country for p in mention.candidates if p.country}
        if len(countries) == 1:
            return countries.pop()
        best = mention.best
        if best.country and best.precision == "city" and all(
                p.population * 5 <= best.population for p in mention.candidates if p.country != best.country):
            return best.country
        return None

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
                place = self.pick(self.at[child.i])
                if not owned_building(child, place):
                    return place
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
                root = sentence.doc[mention.start:mention.end].root
                if self.is_locative(root) and not owned_building(root, self.pick(mention)):
                    return self.pick(mention)
        return None

    def any_in_sentence(self, sentence, skip: set[int]) -> Place | None:
        """The first place the sentence names at all, outside the given tokens."""
        for mention in self.mentions:
            if sentence.start <= mention.start < sentence.end and not skip & set(range(mention.start, mention.end)):
                return self.pick(mention)
        return None

    def country_place(self, iso3: str | None) -> Place | None:
        """The country itself as a place, at its representative point."""
        if not iso3:
            return None
        return country_places().get(iso3)

    def article_country(self) -> Place | None:
        """The country most of the article's unambiguous places are in, when one leads: where an
        unnamed group ("three police officers") is when its sentence names no place."""
        if not self.votes:
            return None
        ranked = sorted(self.votes.items(), key=lambda item: -item[1])
        if ranked[0][1] < 2 and (len(ranked) > 1 or ranked[0][0] not in self.town_votes):
            return None  # one mention is a story's place only if it is a town ("in La Paz"), not "criticised North Korea"
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
            return None
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
