"""Proper names read without an entity recogniser: who is a person, what is a place, what is another name.

The pipeline runs without spaCy's `ner` component (it cost some 40 % of the parse). What the coder
needs of names is read from the tagger's proper nouns, capitals and the project's own knowledge:

- a person: a run of capitalised proper nouns ("Dedi Prasetyo", "Amy Berman Jackson") after any
  titles and leading country or organisation names ("US Ambassador to Germany Richard Grenell" ->
  "Richard Grenell"), when the actor base knows it as a person, or its first word is a given name of
  the actor base's people and its last no common English word, or none of its words is a common
  English word (the lemmatizer's nouns, verbs and adjectives: "Liberation Front", "Falcon Heavy" and
  "Washington Post" are no one) and it is not a place or an organisation as a whole ("Los Angeles",
  "Al Jazeera"); one word after a personal title ("President Duterte", "Mr. Siegel"), or one word of
  a person's name the same text gave in full ("Bruce McArthur ... McArthur said");
- a place: a gazetteer name, or a country, territory or demonym of the actor base;
- a date: a day or month name ("Friday", "March 2011");
- another name: any other run of two or more capitalised proper nouns, with "of", "for", "and" and
  possessives inside it ("Moro Islamic Liberation Front", "Organisation of Islamic Cooperation").

Every reading is computed once per doc (doc.user_data) by the actor matcher's reader.
"""

from __future__ import annotations

from spacy.attrs import POS, TAG
from spacy.tokens import Doc, Span, Token

from .actor_base import ActorKnowledge
from .cache import cached
from .dates import MONTHS, WEEKDAYS
from .docs import doc_text, doc_words, token_labels, token_starts, token_words
from .gazetteer import first_words, gazetteer, gazetteer_first_words
from .name_shapes import (  # noqa: F401  (re-exported: the names API)
    DATE,
    FACILITY_WORDS,
    KEY,
    LARGE_TOWN,
    MAX_FORM_WORDS,
    NAME,
    NAME_JOINS,
    NAME_PARTICLES,
    NOT_PERSON_KINDS,
    PEOPLE_ELSEWHERE,
    PERSON,
    PERSON_SUFFIXES,
    PERSONAL_TITLES,
    PLACE,
    PLACE_KINDS,
    PLACE_STARTS,
    STATE_KINDS,
    Names,
    entity_labels,
    in_proper_name,
    is_common_word,
    is_date_or_quantity,
    is_day_or_month,
    is_day_or_month_word,
    is_name_word,
    looks_like_name,
    named_by_places,
)


class NameReader:
    """Reads the proper names of a doc against the actor base, the gazetteer and the common words."""

    def __init__(self, knowledge: ActorKnowledge, common: frozenset[str], key: str | None = None) -> None:
        """`key`: the content `knowledge` and `common` come from, to keep the words derived from them in the cache."""
        self.knowledge = knowledge
        self.common = common
        self.places = gazetteer()
        vocabulary = cached("names", key, lambda: self._vocabulary()) if key else self._vocabulary()
        self.titles, self.given, self.institutional, self.place_forms, place_firsts = vocabulary
        self.place_firsts = gazetteer_first_words() | place_firsts  # where a place name of several words can start

    def _vocabulary(self) -> tuple[frozenset[str], ...]:
        """Titles, given names and the words of organisations' names, from the actor base; and its names of places
        with their first words (every capitalised word of a doc is looked up up to six times)."""
        knowledge = self.knowledge
        # the first word of a sector term is a title ("President", "Foreign" of "Foreign Minister", "Police" of
        # "Police Chief"); its other words need not be ("David" of "Magen David Adom")
        titles = frozenset(words[0] for words in knowledge.sectors) | PERSONAL_TITLES
        people: dict[str, int] = {}
        given: set[str] = set()
        for entries in knowledge.forms.values():
            for entry in entries:
                words = entry.name.split()
                if entry.kind == "person":
                    for word in words:
                        people[word.lower()] = people.get(word.lower(), 0) + 1
                    if len(words) > 1 and words[0][:1].isupper():
                        given.add(words[0])
        # first words of the people's names that are no title, country, people, month or day ("Baroness", "Chad",
        # "January"); a town's name may be a given name too ("George", "David", "Warren")
        given_names = frozenset(w for w in given if w.lower() not in titles and not self.kinds(w) & STATE_KINDS
                                and w.lower() not in MONTHS and w.lower() not in WEEKDAYS)
        # words of organisations' longer names more than of people's: "Front", "Party", "Times", "Liberation"
        counts: dict[str, int] = {}
        for name in {e.name for entries in knowledge.forms.values() for e in entries if e.kind == "org"}:
            words = name.split()
            if len(words) > 1:
                for word in words:
                    counts[word.lower()] = counts.get(word.lower(), 0) + 1
        institutional = FACILITY_WORDS | frozenset(
            w for w, n in counts.items() if n >= 3 and w.isalpha() and len(w) > 2 and people.get(w, 0) * 3 <= n
            and w not in NAME_PARTICLES)
        place_forms = frozenset(form for form, entries in knowledge.forms.items() if any(e.kind in PLACE_KINDS for e in entries))
        return titles, given_names, institutional, place_forms, first_words(place_forms)

    def read(self, doc: Doc | Span) -> Names:
        """The doc's reading, computed once and kept in doc.user_data."""
        whole = doc.doc if isinstance(doc, Span) else doc
        found = whole.user_data.get(KEY)
        if found is None:
            found = whole.user_data[KEY] = self._read(whole)
        return found

    def kinds(self, text: str) -> set[str]:
        return {e.kind for e in self.knowledge.forms.get(text, ())}

    def is_place_form(self, text: str) -> bool:
        return text in self.places.rows or text in self.place_forms  # the rows' dict: no Mapping method call

    def _read(self, doc: Doc) -> Names:
        names = Names()
        if not doc.has_annotation("TAG"):
            return names  # a doc only tokenized (the pre-filter's) has no proper nouns to read
        runs = list(self._runs(doc))
        single: list[tuple[int, bool]] = []  # one-word names: (index, right after a personal title)
        for start, end in runs:
            own, titled = self._own_name(doc, start, end)
            if own is None:
                continue
            if own[1] - own[0] == 1:
                single.append((own[0], titled))
            elif self._is_person(doc, *own, titled=titled):
                names.people.append(own)
                # its words name the person alone later ("Zapata told"), unless they name a country or a city
                names.person_words.update(t.text for t in doc[own[0]:own[1]] if t.text[:1].isupper()
                                          and not self.is_large_place(t.text) and not self.kinds(t.text) & STATE_KINDS)
        names.person_words.update(doc.user_data.get(PEOPLE_ELSEWHERE, ()))
        for i, titled in single:
            token = doc[i]
            word = token.text
            lower = word.lower()
            known = self.kinds(word)
            if "person" in known or (not known & NOT_PERSON_KINDS and not is_day_or_month(token) and lower not in self.institutional
                                     and looks_like_name(token)
                                     and (word in names.person_words or word not in self.places and (
                                         titled and not self.is_common(token) or self.after_role(doc, i)
                                         or self.described(token)
                                         or word in self.given and self.beside_person(doc, i, names)))):
                names.people.append((i, i + 1))
        names.people.sort()
        for start, end in names.people:
            for i in range(start, end):
                names.labels[i] = PERSON
        label_others(self, doc, runs, names)
        return names

    def surnames_in(self, words: Span | Doc) -> set[str]:
        """The surnames of people named in full in text only tokenized (no tags): a given name of the actor base
        and a capitalised word no dictionary, gazetteer or actor base knows ("Joel Smithers")."""
        found = set()
        texts = doc_words(words)
        doc, offset = (words.doc, words.start) if isinstance(words, Span) else (words, 0)
        for n in range(1, len(texts)):  # a Token made only after a given name: the texts are read as a list
            if texts[n - 1] not in self.given:
                continue
            last, text = doc[offset + n], texts[n]
            if looks_like_name(last) and text.isalpha() and not is_common_word(text.lower(), self.common) \
                    and text not in self.places and not self.kinds(text) and text.lower() not in self.institutional \
                    and text.lower() not in self.titles and not last.is_stop:
                found.add(text)
        return found

    def _runs(self, doc: Doc):
        """Maximal runs of capitalised proper nouns, with name particles and hyphens between them."""
        n, end = len(doc), 0
        words, named = doc_words(doc), name_words(doc)
        for i in [i for i, name in enumerate(named) if name]:  # most words are no name word: skipped at C speed
            if i < end:
                continue
            end = i + 1
            while end < n:
                if named[end]:
                    end += 1
                elif (words[end].lower() in NAME_PARTICLES or words[end] == "-") and end + 1 < n and named[end + 1]:
                    end += 2
                else:
                    break
            yield i, end

    def _own_name(self, doc: Doc, start: int, end: int) -> tuple[tuple[int, int] | None, bool]:
        """The part of a run that can be a person's own name: after titles and leading country or organisation
        names ("Azerbaijan President Ilham Aliyev" -> "Ilham Aliyev"); whether a personal title came right before."""
        lemmas, lowers, _ = token_words(doc)  # read from the doc's lists: a Token made for each look cost more
        texts = doc_words(doc)

        def title(k: int) -> bool:  # a capitalised title: "President", "Dr."
            return texts[k][:1].isupper() and (lowers[k].rstrip(".") in self.titles or lemmas[k] in self.titles)

        def common(k: int) -> bool:
            return self.common_word(lowers[k], lemmas[k])

        i = start
        titled = start > 0 and title(start - 1)  # "the president, Emmanuel Macron" no; "President Emmanuel Macron" is inside the run
        if end - start == 1:  # most runs are one word: a title or a day alone is no name, else the word is
            return (None, True) if title(start) else (None, titled) if is_day_or_month_word(texts[start]) else ((start, end), titled)
        after_role = self.after_role(doc, start)  # "leader Jordan Bardella": no leading country or organisation to skip
        while i < end:
            if title(i):
                i, titled = i + 1, True
                continue
            skip = None if after_role else self._leading_form(doc, i, end)
            if skip:
                i, titled = skip, False
                continue
            if is_day_or_month_word(texts[i]) or (end - i > 2 and common(i) and texts[i] not in self.given and not common(i + 1)):
                i += 1  # "Saturday Sirhan Sirhan", "Representative Kweisi Mfume", "Actress Denise Crosby"
                continue
            break
        if i >= end:
            return None, titled
        while end - 1 > i and lowers[end - 1] in NAME_PARTICLES:
            end -= 1
        if texts[i] not in self.given:  # "Ecologist Ryan Norris", "Coös County Attorney John McCormick"
            for j in range(i + 1, end - 1):
                if texts[j] in self.given:
                    return (j, end), False
        return (i, end), titled

    def described(self, token: Token) -> bool:
        """In apposition with a noun for a person: "Waseem's mother, Anwar", "Hotak, a spokesman"."""
        nouns = [c for c in token.children if c.dep_ == "appos"]
        if token.dep_ == "appos":
            nouns.append(token.head)
        return any(n.pos_ == "NOUN" and self.is_person_noun(n) for n in nouns)

    def beside_person(self, doc: Doc, i: int, names: Names) -> bool:
        """A given name coordinated with a person's name: "David and Louise Turpin"."""
        return i + 2 < len(doc) and doc[i + 1].lower_ == "and" and any(start == i + 2 for start, _ in names.people)

    def is_person_noun(self, token: Token) -> bool:
        return self.person_noun(token.lemma_.lower())

    def person_noun(self, lemma: str) -> bool:
        """A noun for a person, by its lemma: a title or a word like "inventor", "spokesman"."""
        return lemma in self.titles or lemma.endswith(PERSON_SUFFIXES)

    def is_common(self, token: Token) -> bool:
        return self.common_word(token.lower_, token.lemma_.lower())

    def common_word(self, lower: str, lemma: str) -> bool:
        """An English noun, verb or adjective, also in the plural ("Policies", "Busters"), by its lower case and lemma."""
        return is_common_word(lower, self.common) or lemma in self.common

    def after_role(self, doc: Doc, start: int) -> bool:
        """Right after a noun for a person: "inventor Franky Zapata", "police chief Greg Allen", "his wife Bernadette"."""
        if start == 0:
            return False
        lemmas, _, parts = token_words(doc)  # read from the doc's lists, no Token made
        return parts[start - 1] == "NOUN" and doc_words(doc)[start - 1].islower() and self.person_noun(lemmas[start - 1])

    def _leading_form(self, doc: Doc, i: int, end: int) -> int | None:
        """The end of the longest actor-base name of a country or an organisation starting at `i` and leaving a
        word after it ("Germany" of "Germany Richard Grenell")."""
        words, text, starts = doc_words(doc), doc_text(doc), token_starts(doc)
        for stop in range(min(end - 1, i + MAX_FORM_WORDS), i, -1):
            kinds = self.kinds(text[starts[i]:starts[stop - 1] + len(words[stop - 1])])  # the span's text, no Span made
            if kinds and not kinds - NOT_PERSON_KINDS and (stop - i > 1 or words[i] not in self.given):
                return stop  # "Hong Kong" of "Hong Kong Carrie Lam"; not "David" of "David Perdue"
        return None

    def _is_person(self, doc: Doc, start: int, end: int, titled: bool = False) -> bool:
        """A run of two or more words (after titles) read as a person's name."""
        span = doc[start:end]
        text = span.text
        kinds = self.kinds(text)
        if "person" in kinds:
            return True
        if kinds or text in self.places or end - start > 5:
            return False  # a country, an organisation or a place as a whole: "Los Angeles", "Al Jazeera"
        words = [t for t in span if t.text[:1].isupper()]
        if any(is_day_or_month(t) or t.lower_ in self.institutional or t.lower_ in self.titles for t in words):
            return False
        if start > 0 and doc[start - 1].lower_ in ("a", "an") and not titled:
            return False  # "a Beechcraft Sierra": a thing of a make, not a person
        if titled or words[0].text in self.given or self.after_role(doc, start):
            return True  # "President Franklin Delano Roosevelt", "David Perdue", "inventor Franky Zapata"
        if any(t.is_stop or not looks_like_name(t) for t in words):
            return False  # "Thus Precision Policies", "Melbourne CBD", "Y-Combinator": a stray capital, an acronym, a letter
        first = words[0]  # "Salaheddine Sidhoum"; not "Davao del Sur", "Team Zorin", "St Vincent"
        return not self.is_common(first) and not self.is_large_place(first.text) and first.lower_.rstrip(".") not in PLACE_STARTS

    def is_institution_word(self, text: str) -> bool:
        """A word of organisations' and buildings' names that is no country ("Police", "University"; not "China")."""
        return text.lower() in self.institutional and not self.kinds(text) & STATE_KINDS

    def is_large_place(self, text: str) -> bool:
        """A country, a region or a city of 50,000 people or more."""
        return any(p.precision != "city" or p.population >= LARGE_TOWN for p in self.places.get(text, ()))


OPEN_CLASSES = frozenset({"PROPN", "ADJ", "NOUN"})  # parts of speech a place name may start with


NAME_WORDS = "tacitus_name_words"  # doc.user_data: is_name_word of each token


def name_words(doc: Doc) -> list[bool]:
    """`is_name_word` of every token of the doc, read as arrays once per doc."""
    found = doc.user_data.get(NAME_WORDS)
    if found is None:
        found = doc.user_data[NAME_WORDS] = [pos == "PROPN" and word[:1].isupper()
                                             for pos, word in zip(token_labels(doc, POS), doc_words(doc), strict=True)]
    return found


JOINING_WORDS = NAME_JOINS | NAME_PARTICLES  # words inside a longer name: "Bank of England", "Ali bin Tamim"


def label_others(reader: NameReader, doc: Doc, runs: list[tuple[int, int]], names: Names) -> None:
    """Dates, places and the words of longer names, around the people already read."""
    labels, texts, named = names.labels, doc_words(doc), name_words(doc)
    for start, end in runs:
        for i in range(start, end):
            if i not in labels and is_day_or_month_word(texts[i]):
                labels[i] = DATE
    for start, end, form in place_spans(reader, doc):
        for i in range(start, end):
            labels.setdefault(i, PLACE)
        if "demonym" in reader.kinds(form):
            names.peoples.update(t.text for t in doc[start:end])
    # any longer name: two or more capitalised proper nouns, with joining words inside
    n, end = len(doc), 0
    for i in [i for i, name in enumerate(named) if name]:
        if i < end:
            continue
        end, words = i + 1, 1
        while end < n:
            if named[end]:
                end, words = end + 1, words + 1
            elif texts[end].lower() in JOINING_WORDS and end + 1 < n and named[end + 1]:
                end, words = end + 2, words + 1
            elif texts[end].lower() in ("'s", "'", "’s", "’") and end + 1 < n and named[end + 1] \
                    and doc[end - 1].tag_ == "NNPS":  # "Catholic Bishops' Conference"
                end, words = end + 2, words + 1
            else:
                break
        if words > 1:
            for k in range(i, end):
                if named[k]:
                    labels.setdefault(k, NAME)

def place_spans(reader: NameReader, doc: Doc):
    """Capitalised proper nouns that are a gazetteer place or a country, territory or demonym of the actor base."""
    n, end = len(doc), 0
    words, text, idx = doc_words(doc), doc_text(doc), token_starts(doc)  # lists: a token object per look cost more
    pos, tags = token_labels(doc, POS), token_labels(doc, TAG)
    rows, forms, firsts = reader.places.rows, reader.place_forms, reader.place_firsts  # `is_place_form`, inlined
    for i in [i for i, (word, part) in enumerate(zip(words, pos, strict=True)) if part in OPEN_CLASSES and word[:1].isupper()]:
        if i < end:
            continue  # inside the place just found
        for stop in range(min(n, i + MAX_FORM_WORDS) if words[i] in firsts else i + 1, i, -1):
            form = text[idx[i]:idx[stop - 1] + len(words[stop - 1])] if stop > i + 1 else words[i]
            if (form in rows or form in forms) and any(pos[k] == "PROPN" or tags[k] == "NNP" or reader.kinds(words[k]) & {"demonym"}
                                                for k in range(i, stop)):
                yield i, stop, form
                end = stop
                break
