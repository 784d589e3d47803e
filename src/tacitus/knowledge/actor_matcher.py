"""Finding actor mentions in a doc: names looked up by their token texts (token_index.py), so finding
mentions costs the same however large the base; surnames read alone only where the text allows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

from spacy.attrs import POS
from spacy.language import Language
from spacy.tokens import Doc, Span

from .actor_base import (
    ActorEntry,
    ActorKnowledge,
    Mention,
    Role,
    build_knowledge,
    choose,
    holds,
    knowledge_key,
    prominent,
    settled,
)
from .cache import fingerprint
from .dates import MONTHS, WEEKDAYS
from .docs import doc_text, doc_words, token_labels, token_starts, word_count
from .gazetteer import gazetteer
from .lexicon import load_frames
from .names import DATE, NAME, NAME_PARTICLES, NOT_PERSON_KINDS, NameReader, is_common_word
from .spelling import MIN_LETTERS, NearMisses
from .token_index import phrase_index

LEADING_OFFICES = frozenset({"head_of_state", "head_of_government"})  # who a bare shared surname may stand for


def form_variants(form: str, tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A lower-case form also at a sentence start; a longer one also in capitals (headlines, "TEHRAN (Reuters)")."""
    found = []
    if form[:1].islower():
        found.append((tokens[0][:1].upper() + tokens[0][1:], *tokens[1:]))
    if len(form) > 3 and not form.isupper():
        found.append(tuple(t.upper() for t in tokens))
    return found


FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "and", "for", "in", "on", "at", "to", "with", "de", "del", "la", "le", "el"})


CALENDAR_WORDS = frozenset(WEEKDAYS) | frozenset(MONTHS)  # no name word: "on Tuesday Mitsotakis met"
RANKS = frozenset({"MIL", "COP"})  # "Major General", "Major Police": rank words after a name-like word
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "from", "to", "into"})
ABBREVIATED = {"sen": "senator", "rep": "representative", "gov": "governor", "gen": "general", "pres": "president"}
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "sen", "sen.", "gen", "gen."})  # titles of no sector term


def leader_of_the_day(people: Iterable[ActorEntry], when: dt.date | None, countries: set[str]) -> list[ActorEntry]:
    """ "Abbott said" in 2014 is Tony Abbott, whoever else shares the name: the one bearer in office on the date in a
    country the text names, else the one who leads a major power then; with no date, the one leader of a major power."""
    if when is None:
        leaders = [e for e in people if prominent(e)]
        return leaders if len(leaders) == 1 else []
    def covers(role: Role) -> bool:
        return role.office != "public" and holds(role, when)
    current = [e for e in people if any(covers(r) and r.country in countries for r in e.roles)]  # "Levin" beside Israel
    if len(current) != 1:  # "Bolsonaro" in 2021: the president, not his sons in parliament
        current = [e for e in people if prominent(e) and any(covers(r) and LEADING_OFFICES & set(r.office.split("|")) for r in e.roles)]
    return current if len(current) == 1 else []


def common_words(nlp: Language) -> frozenset[str]:
    """English nouns, verbs and adjectives the model's lemmatizer knows ("snow", "cash", "hockey"): a surname
    that is one (also in the plural: "Sanders") is read alone only after a title, or for the person the text
    names in full."""
    return lemma_words(nlp, ("noun", "verb", "adj"))


def lemma_words(nlp: Language, parts_of_speech: tuple[str, ...]) -> frozenset[str]:
    """The words the model's lemmatizer lists for these parts of speech (WordNet's, so also some proper nouns)."""
    lookups = nlp.get_pipe("lemmatizer").lookups if "lemmatizer" in nlp.component_names else None
    if lookups is None or "lemma_index" not in lookups.tables:
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(word for pos in parts_of_speech for word in index.get(pos, []))


class ActorMatcher:
    """Finds dictionary mentions in a doc by their token texts (case-sensitive)."""

    def __init__(self, nlp: Language, knowledge: ActorKnowledge, key: str | None = None) -> None:
        """`key`: what the knowledge was built from (actor_base.knowledge_key), to cache what is derived from it."""
        self.knowledge = knowledge
        self.index = phrase_index("actor-index", nlp, sorted(set(knowledge.forms) | set(knowledge.surnames)
                                                             | set(knowledge.shared_surnames) | set(knowledge.public_surnames)),
                                  form_variants)
        self.title_words = frozenset(w for words in knowledge.sectors for w in words if w not in FUNCTION_WORDS) | {
            *HONORIFICS}  # "The" of "the Pentagon" is no title: "The Justice Department"
        self.title_heads = frozenset(words[-1] for words, (_, role) in knowledge.sectors.items() if role or len(words) == 1) \
            | HONORIFICS  # an office's last word ("foreign secretary"), a one-word sector term, "Mr.": not "Red Crystal"
        self.common_words = common_words(nlp)
        self.role_lengths: dict[str, int] = {}  # a sector term's first word -> the most words a term from it has
        for words in knowledge.sectors:
            self.role_lengths[words[0]] = max(self.role_lengths.get(words[0], 0), len(words))
        self.role_words = frozenset(self.role_lengths)  # "minister of": a head's of-phrase is its own
        self.names = NameReader(knowledge, self.common_words,
                                key and fingerprint([key, nlp.meta.get("name", ""), nlp.meta.get("version", "")]))
        # the sectors of the sector terms each role noun ends ("activist": CVL, and HRI by "human rights activist")
        self.role_sectors: dict[str, frozenset[str]] = {}
        for words, (sector, _) in knowledge.sectors.items():
            self.role_sectors[words[-1]] = self.role_sectors.get(words[-1], frozenset()) | {sector}
        self.feature_words = load_frames().feature_words
        self.near_misses = NearMisses(form for form, entries in knowledge.forms.items()
                                      if any(e.kind in ("country", "demonym") for e in entries))

    def mentions(self, doc: Doc | Span, context: Iterable[ActorEntry] = (), when: dt.date | None = None) -> list[Mention]:
        """Longest non-overlapping matches, left to right; a form shared by several entries is read
        against the text's other names and countries (and those of `context`), a surname shared by
        several people against the title before it on the text's date `when`."""
        forms, surnames = self.knowledge.forms, self.knowledge.surnames
        words = doc_words(doc)
        matches, by_surname, shared = [], [], []
        publics = []
        for start, end, form in self.index.find(words):
            if form in self.knowledge.public_surnames:
                publics.append((start, end, self.knowledge.public_surnames[form]))
            if form in forms:
                matches.append((start, end, forms[form]))
            elif form in surnames:
                by_surname.append((start, end, surnames[form]))
            elif form in self.knowledge.shared_surnames:
                shared.append((start, end, self.knowledge.shared_surnames[form]))
        matches.extend(self._misspelt(words, matches))
        named = {entry for _, _, entries in matches if (entry := settled(entries))} | set(context)
        # "Harry Kane ... Kane said": a public figure the text names in full, before any office-holder of the surname
        public = [(start, end, bearers[0], True) for start, end, people in publics
                  if len(bearers := [e for e in people if e in named]) == 1 and self._public_name_here(doc, start)]
        countries = {entry.country for entry in named if entry.country}
        dated: set[int] = set()  # surnames read by the office their bearer held on the date
        for start, end, people in shared:  # "Sanders" after "Bernie Sanders", not the governor of Arkansas
            bearers = [entry for entry in people if entry in named]
            if not bearers:
                bearers = self._title_holders(doc, start, people, when, countries) or [
                    e for e in leader_of_the_day(people, when, countries)  # unless the text names another of that name
                    if not self._other_bearer(doc, start, end, e, self._first_names(doc, {words[start]}))]
                dated.add(start)
            if len(bearers) == 1:
                by_surname.append((start, end, bearers[0]))
        found = [(start, end, choose(entries, countries, named, when), False) for start, end, entries in matches]
        if by_surname:
            bearers = self._first_names(doc, {words[start] for start, _, _ in by_surname})
            words_only = word_count(doc)
            found.extend((start, end, entry, True) for start, end, entry in by_surname
                         if entry in named or ((words[end - 1].lower(),) not in self.knowledge.sectors  # "Sheriff's Department"
                                               and (not is_common_word(words[end - 1].lower(), self.common_words) or self._titled(doc, start)
                                                    or (start in dated and not doc[start].is_sent_start))  # "met Bush"
                                               and not self._other_bearer(doc, start, end, entry, bearers) and self._title_fits(doc, start, entry) and (
                             self._titled(doc, start) or self._read_as_person(doc, start, end)
                             or words_only == end - start)))  # a phrase that is the name alone
        found = public + found  # first among mentions of the same words
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: set[int] = set()
        result = []
        offset = doc.start if isinstance(doc, Span) else 0
        in_full = {entry for start, end, entry, _ in found if end - start > 1} | set(context)  # "Ban Ki-moon" before "Ban urged"
        for start, end, entry, surname in found:
            if not taken.isdisjoint(range(start, end)):
                continue
            if entry.kind in ("seat", "country") and end < len(words) and words[end][:1].isupper() \
                    and words[end].lower() in self.feature_words:
                continue  # "Victoria Park", "Washington Square": a place in a city, not its government
            if (surname or (entry.kind == "person" and end - start == 1 and len(entry.name.split()) > 1)) \
                    and not self._alone(doc, start, end):
                continue  # "Ahmed" in "Ahmed Ben Bella" is not Abiy Ahmed
            if entry.kind == "person" and end - start == 1 and self.a_word_here(doc, start, entry, in_full):
                continue  # "Ban on imports", "Hunt for the gunmen", "Major General Smith": words, not Ban, Hunt or Major
            taken.update(range(start, end))
            result.append(Mention(start + offset, end + offset, entry, surname))
        result.sort(key=lambda m: m.start)
        return result


    def a_word_here(self, doc: Doc | Span, start: int, entry: ActorEntry, in_full: set[ActorEntry]) -> bool:
        """A leader's one-word name that is also an English word, where the text reads the word: with an article,
        an adjective or a preposition of its own ("Ban on imports", "Hunt for the gunmen") or before a rank ("Major
        General"), and neither the full name nor a title names the person ("Trump said" stays Trump)."""
        token, after = doc[start], doc[start + 1] if start + 1 < len(doc) else None
        if token.lower_ not in self.common_words or entry in in_full or self._titled(doc, start) or not doc.has_annotation("POS") \
                or word_count(doc) == 1:  # "Trump" alone is the name
            return False
        rank = after is not None and after.text[:1].isupper() and self.knowledge.sectors.get((after.lower_,), ("",))[0] in RANKS
        return rank or token.pos_ != "PROPN" and any(c.dep_ in ("det", "amod", "prep", "nummod") for c in token.children)

    def _public_name_here(self, doc: Doc | Span, start: int) -> bool:
        """A public figure's surname read as the name: a proper noun with no article or preposition before it and
        no noun it modifies (not "the Prince", "in Trier", "Stone throwers", "Gun violence")."""
        token = doc[start]
        if not doc.has_annotation("POS"):
            return True  # the pre-filter's untagged tokens: any mention may be one
        before = doc[start - 1] if start > 0 else None
        return token.pos_ == "PROPN" and not (before is not None and (before.pos_ == "DET" or before.lower_ in PLACE_PREPOSITIONS)) \
            and not (token.dep_ in ("compound", "amod", "nmod") and token.head.i > token.i)

    def _title_fits(self, doc: Doc | Span, start: int, entry: ActorEntry) -> bool:
        """ "Judge Marrero" is a judge, not Cuba's prime minister Marrero: a title of another sector than every
        office the person held names someone else."""
        sector = self.knowledge.sectors.get((doc[start - 1].lower_.rstrip("."),)) if self._titled(doc, start) else None
        if sector is None or entry.sector is None:
            return True
        return sector[0] == entry.sector or any(role.sector == sector[0] for role in entry.roles)

    def _title_holders(self, doc: Doc | Span, start: int, people: Iterable[ActorEntry], when: dt.date | None,
                       countries: set[str]) -> list[ActorEntry]:
        """ "President Bush" in 2005 is George W. Bush: of the people who share a surname, those who held the
        office the title before it names on the date; with no title, the head of state or government of a
        country the text names ("met Assad" in a story on Syria; "Garcia" in a story on Phoenix is no
        minister of Uruguay)."""
        titled = self._titled(doc, start)
        def fits(role, on: dt.date | None) -> bool:
            if on is not None and not holds(role, on):
                return False
            if not titled:
                return role.country in countries and bool(LEADING_OFFICES & set(role.office.split("|")))
            words = role.title.lower().split(" from ")[0].split()  # "Senator from Vermont" is "Senator Sanders"
            said = [ABBREVIATED.get(t.lower_.rstrip("."), t.lower_.rstrip(".")) for t in doc[max(0, start - len(words)):start]]
            return said == words
        holders = [entry for entry in people if when is not None and any(fits(role, when) for role in entry.roles)]
        if holders or not titled:
            return holders
        # no one held it on that day: a former holder, when all who ever did were of one country ("President Bush")
        ever = [entry for entry in people if any(fits(role, None) for role in entry.roles)]
        if len({entry.country for entry in ever}) != 1:
            return []
        return [max(ever, key=lambda e: max(r.start or dt.date.min for r in e.roles if fits(r, None)))]

    def _first_names(self, doc: Doc | Span, surnames: set[str]) -> dict[str, set[str]]:
        """For each of `surnames` anywhere in the whole text, the capitalised proper nouns (not titles) right before
        it, with a name particle between ("Ali bin" of "Ali bin Tamim"): the first names its bearers go by. Built
        once per call, so checking a surname costs a lookup."""
        whole = doc.doc if isinstance(doc, Span) else doc
        bearers: dict[str, set[str]] = {}
        if not whole.has_annotation("POS"):
            return bearers  # untagged (the pre-filter's tokens): no proper nouns to read
        words, text, idx = doc_words(whole), doc_text(whole), token_starts(whole)  # lists: a token object each cost more
        pos = token_labels(whole, POS)
        for i in (i for i in range(1, len(words)) if words[i] in surnames):
            first = before = i - 1
            if words[before].islower() and words[before] in NAME_PARTICLES and before > 0:
                first = before - 1
            word = words[first]
            if pos[first] == "PROPN" and word[:1].isupper() and word.lower().rstrip(".") not in self.title_words:
                bearers.setdefault(words[i], set()).add(text[idx[first]:idx[before] + len(words[before])])
        return bearers

    @staticmethod
    def _other_bearer(doc: Doc | Span, start: int, end: int, entry: ActorEntry, bearers: dict[str, set[str]]) -> bool:
        """The text names someone else with this surname ("Carrie Lam ... Lam also agreed" is not To Lam)."""
        surname = " ".join(t.text for t in doc[start:end])
        return any(f"{first} {surname}" not in entry.name for first in bearers.get(doc[start].text, ()))

    def _read_as_person(self, doc: Doc | Span, start: int, end: int) -> bool:
        """The tagger reads the words as a proper name ("Putin said") and they are not a day ("Friday"), a
        religion or a people ("Christian missionary"), a common word or a word of a longer name (names.py)."""
        tokens = doc[start:end]
        if not all(t.pos_ == "PROPN" for t in tokens):
            return False
        last = tokens[-1]
        label = self.names.read(doc).label(last)
        return label not in (DATE, NAME) and not {e.kind for e in self.knowledge.forms.get(last.text, ())} & NOT_PERSON_KINDS

    def _titled(self, doc: Doc | Span, start: int) -> bool:
        """A surname after a title ("President Mwanawasa", "Mr. Lavrov", "Gen. Burhan")."""
        return start > 0 and doc[start - 1].lower_.rstrip(".") in self.title_words and doc[start - 1].text[:1].isupper()

    def _misspelt(self, words: list[str], matches: list) -> list:
        """Country names and demonyms misspelt by one letter ("Columbian troops"), where nothing else matched
        and the word is no place name either."""
        covered = {i for start, end, _ in matches for i in range(start, end)}
        found = []
        places = gazetteer().rows  # the rows' dict: no Mapping method call
        for i in [i for i, word in enumerate(words) if len(word) >= MIN_LETTERS and word[:1].isupper()]:  # capitalised only
            word = words[i]
            if i not in covered and word not in places:
                form = self.near_misses.lookup(word)
                if form is not None:
                    found.append((i, i + 1, self.knowledge.forms[form]))
        return found

    def _alone(self, doc: Doc | Span, start: int, end: int) -> bool:
        """A one-word name with no other name word right before or after it (titles are fine: "President Putin")."""
        before = doc[start - 1] if start > 0 else None
        after = doc[end] if end < len(doc) else None
        return not any(t is not None and t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in self.title_heads
                       and t.lower_ not in CALENDAR_WORDS for t in (before, after))  # "on Tuesday Mitsotakis met"


@lru_cache(maxsize=4)
def actor_matcher(nlp: Language, user_files: tuple[str, ...] = ()) -> ActorMatcher:
    return ActorMatcher(nlp, build_knowledge(user_files), knowledge_key(tuple(user_files)))
