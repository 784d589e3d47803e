"""The shapes of proper names, and one doc's reading of them (names.py reads it): labels, the words that make
a name, numbers that count no one, the learned layer's entity labels."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from .dates import MONTHS, WEEKDAYS

KEY = "tacitus_names"
PEOPLE_ELSEWHERE = "tacitus_people_elsewhere"  # doc.user_data: surnames of people named in sentences not parsed
PERSON, PLACE, DATE, NAME = "PERSON", "PLACE", "DATE", "NAME"
PERSONAL_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "madam", "mister", "rev", "reverend",
                             "hon", "honorable", "honourable", "prof", "professor", "sheikh", "imam", "rabbi", "cardinal",
                             "bishop", "pope", "emeritus", "most"})
# lower-case words inside a person's name: "Mohammed bin Salman", "Ursula von der Leyen", "Luiz Inacio Lula da Silva"
NAME_PARTICLES = frozenset({"bin", "ibn", "bint", "al", "el", "van", "von", "der", "den", "de", "del", "della", "da", "das", "do",
                            "dos", "di", "du", "la", "le", "y", "ben", "ould", "abu"})
# words between the capitalised words of one longer name: "Organisation of Islamic Cooperation", "Bishops' Conference"
NAME_JOINS = frozenset({"of", "for", "and", "&", "'s", "'", "’s", "’", "the", "on", "de", "del", "al"})
# what a place or a building is called, never a person: "Karl Marx Avenue", "Baghdad International Airport"
FACILITY_WORDS = frozenset({"avenue", "street", "road", "boulevard", "highway", "square", "airport", "station", "bridge", "hall",
                            "stadium", "arena", "hospital", "school", "college", "university", "academy", "museum", "church",
                            "cathedral", "mosque", "temple", "palace", "tower", "building", "hotel", "mall", "prison", "camp",
                            "base", "port", "harbour", "harbor", "park", "prize", "award", "cup", "festival", "war", "wars",
                            "market", "city", "county", "province", "district", "region", "oblast", "state", "island", "islands", "lake",
                            "river", "mountain", "mountains", "valley", "bay", "gulf", "sea", "ocean", "beach", "desert", "strait"})
# the ends of words for people: "inventor", "lyricist", "actress", "spokesman" (before a name: "inventor Franky Zapata")
PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ess", "man", "woman", "person", "ant", "ee")
NOT_PERSON_KINDS = frozenset({"country", "demonym", "org", "region", "seat", "territory"})
STATE_KINDS = frozenset({"country", "demonym", "org", "territory"})  # names of states, peoples and organisations
PLACE_KINDS = frozenset({"country", "demonym", "region", "seat", "territory"})
# first words of places' names, never of a person's: "St Vincent", "Mount Kenya", "San Diego"
PLACE_STARTS = frozenset({"st", "saint", "mount", "mt", "fort", "lake", "port", "san", "santa", "sao", "são", "los", "las", "new"})
MAX_FORM_WORDS = 6
LARGE_TOWN = 50_000


def is_name_word(token: Token) -> bool:
    """A capitalised proper noun: "Camp", "David", "International"."""
    return token.pos_ == "PROPN" and token.text[:1].isupper()


def is_day_or_month(token: Token) -> bool:
    return is_day_or_month_word(token.text)


def is_day_or_month_word(word: str) -> bool:
    """A capitalised day or month ("Friday", "Sept."), read from the token's text."""
    text = word.rstrip(".")
    return text[:1].isupper() and (text.lower() in MONTHS or text.lower() in WEEKDAYS)


def is_date_or_quantity(token: Token) -> bool:
    """A number that counts no people: a year ("2019 was"), a time ("10:30"), money ("$5") or a share ("40%")."""
    text = token.text
    if is_day_or_month(token) or ":" in text:
        return True
    if text.isdigit() and len(text) == 4 and 1000 <= int(text) <= 2200:
        return True
    doc = token.doc
    neighbours = [doc[i] for i in (token.i - 1, token.i + 1) if 0 <= i < len(doc)]
    words = [*token.children, *neighbours]
    return any(t.tag_ == "$" or t.text in ("%", "percent", "per cent") or t.lower_ in ("am", "pm", "a.m.", "p.m.", "o'clock")
               or is_day_or_month(t) for t in words)


def is_common_word(word: str, common: frozenset[str]) -> bool:
    """A lower-case word the lemmatizer knows as a noun, a verb or an adjective, also in the plural ("sanders")."""
    if word in common:
        return True
    if word.endswith("ies") and word[:-3] + "y" in common:
        return True
    return word.endswith("s") and (word[:-1] in common or word.endswith("es") and word[:-2] in common)


def looks_like_name(token: Token) -> bool:
    """Shaped like a word of a person's name: "Zapata", "McArthur", "F."; not "CBD", "Y" or "CoV-2"."""
    text = token.text
    if text.endswith(".") and len(text) == 2:
        return text[0].isupper()  # an initial
    return len(text) > 1 and text[:1].isupper() and not text.isupper() and not any(c.isdigit() for c in text)


def in_proper_name(token: Token) -> bool:
    """A day or a month, or a word of a name of two or more capitalised proper nouns ("March 2011", "National
    Rally", "Amnesty International", "Organisation of Islamic Cooperation"): a name, not an event."""
    if is_day_or_month(token):
        return True
    if not is_name_word(token):
        return False
    doc = token.doc
    for step in (-1, 1):
        i = token.i + step
        if not 0 <= i < len(doc):
            continue
        if is_name_word(doc[i]):
            return True
        if doc[i].lower_ in NAME_JOINS and 0 <= i + step < len(doc) and is_name_word(doc[i + step]):
            return True
    return False


def named_by_places(token: Token) -> bool:
    """An event named by where it happened: "the Iraq War", "the Iran–Iraq War" (the doc's reading, when made)."""
    doc = token.doc
    names = doc.user_data.get(KEY)
    if names is None or (token.i + 1 < len(doc) and is_name_word(doc[token.i + 1])):
        return False
    before = []
    i = token.i - 1
    while i >= 0 and (is_name_word(doc[i]) or doc[i].text in ("-", "–")):
        before.append(doc[i])
        i -= 1
    words = [t for t in before if t.text not in ("-", "–")]
    return bool(words) and all(names.label(t) == PLACE for t in words)


def entity_labels(span: Span | Doc) -> list[str]:
    """The names of a sentence in the entity recogniser's labels, for the learned layer's features: PERSON,
    GPE (a place), NORP (a people: "Afghan"), DATE and ORG (any other name); one label per run of words
    read alike. Empty when the doc has not been read (names.py reads it with the actor mentions)."""
    doc = span.doc if isinstance(span, Span) else span
    names = doc.user_data.get(KEY)
    if names is None:
        return []
    found, previous = [], ""
    for token in span:
        label = names.labels.get(token.i, "")
        if label == PLACE:
            label = "NORP" if token.text in names.peoples else "GPE"
        elif label == NAME:
            label = "ORG"
        if label and label != previous:
            found.append(label)
        previous = label
    return found


@dataclass
class Names:
    """One doc's reading: a label per token index and the runs read as people's own names."""

    labels: dict[int, str] = field(default_factory=dict)
    people: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each person's own name
    person_words: set[str] = field(default_factory=set)
    peoples: set[str] = field(default_factory=set)  # words read as a people ("Afghan", "Pakistani")

    def label(self, token: Token) -> str:
        return self.labels.get(token.i, "")

    def is_person(self, token: Token) -> bool:
        return self.labels.get(token.i) == PERSON
