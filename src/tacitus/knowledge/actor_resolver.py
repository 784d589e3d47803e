"""Finding actor mentions in a doc and resolving noun phrases to coded actors.

The matcher looks names up by their token texts (token_index.py), so finding
mentions costs the same however large the base; the resolver reads a noun phrase's
words, titles and context within one article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..models import Actor
from .actor_base import (
    FORMER_WORDS,
    GENERIC_SECTOR_WORDS,
    ActorEntry,
    ActorKnowledge,
    Mention,
    build_knowledge,
    choose,
    settled,
)
from .docs import doc_text
from .gazetteer import gazetteer
from .lexicon import load_frames
from .spelling import MIN_LETTERS, NearMisses
from .token_index import phrase_index


def form_variants(form: str, tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A lower-case form also at a sentence start; a longer one also in capitals (headlines, "TEHRAN (Reuters)")."""
    found = []
    if form[:1].islower():
        found.append((tokens[0][:1].upper() + tokens[0][1:], *tokens[1:]))
    if len(form) > 3 and not form.isupper():
        found.append(tuple(t.upper() for t in tokens))
    return found


TRADE_SECTORS = frozenset({"BUS", "EDU", "MED"})  # professions anyone may employ (accountants, doctors, teachers)
STATE_BODY_SECTORS = frozenset({"MIL", "COP", "GOV", "JUD", "LEG", "SPY"})
FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "and", "for", "in", "on", "at", "to", "with", "de", "del", "la", "le", "el"})


def common_words(nlp: Language) -> frozenset[str]:
    """English nouns, verbs and adjectives the model's lemmatizer knows ("snow", "cash", "hockey"): a surname
    that is one is read alone only after a title, or for the person the text names in full."""
    lookups = nlp.get_pipe("lemmatizer").lookups if "lemmatizer" in nlp.pipe_names else None
    if lookups is None or "lemma_index" not in lookups.tables:
        return frozenset()
    index = lookups.get_table("lemma_index")
    return frozenset(word for pos in ("noun", "verb", "adj") for word in index.get(pos, []))


class ActorMatcher:
    """Finds dictionary mentions in a doc by their token texts (case-sensitive)."""

    def __init__(self, nlp: Language, knowledge: ActorKnowledge) -> None:
        self.knowledge = knowledge
        self.index = phrase_index("actor-index", nlp, sorted(set(knowledge.forms) | set(knowledge.surnames)
                                                             | set(knowledge.shared_surnames)), form_variants)
        self.title_words = frozenset(w for words in knowledge.sectors for w in words if w not in FUNCTION_WORDS) | {
            "mr", "mrs", "ms", "dr", "sen", "sen.", "gen", "gen."}  # "The" of "the Pentagon" is no title: "The Justice Department"
        self.common_words = common_words(nlp)
        self.near_misses = NearMisses(form for form, entries in knowledge.forms.items()
                                      if any(e.kind in ("country", "demonym") for e in entries))

    def mentions(self, doc: Doc | Span, context: Iterable[ActorEntry] = ()) -> list[Mention]:
        """Longest non-overlapping matches, left to right; a form shared by several entries is read
        against the text's other names and countries (and those of `context`)."""
        forms, surnames = self.knowledge.forms, self.knowledge.surnames
        words = [t.text for t in doc]
        matches, by_surname, shared = [], [], []
        for start, end, form in self.index.find(words):
            if form in forms:
                matches.append((start, end, forms[form]))
            elif form in surnames:
                by_surname.append((start, end, surnames[form]))
            else:
                shared.append((start, end, self.knowledge.shared_surnames[form]))
        matches.extend(self._misspelt(words, matches))
        named = {entry for _, _, entries in matches if (entry := settled(entries))} | set(context)
        for start, end, people in shared:  # "Sanders" after "Bernie Sanders", not the governor of Arkansas
            bearers = [entry for entry in people if entry in named]
            if len(bearers) == 1:
                by_surname.append((start, end, bearers[0]))
        countries = {entry.country for entry in named if entry.country}
        found = [(start, end, choose(entries, countries, named), False) for start, end, entries in matches]
        if by_surname:
            bearers = self._first_names(doc)
            words_only = sum(1 for t in doc if not t.is_punct)
            found.extend((start, end, entry, True) for start, end, entry in by_surname
                         if entry in named or ((words[end - 1].lower(),) not in self.knowledge.sectors  # "Sheriff's Department"
                                               and (words[end - 1].lower() not in self.common_words or self._titled(doc, start))
                                               and not self._other_bearer(doc, start, end, entry, bearers) and self._title_fits(doc, start, entry) and (
                             self._titled(doc, start) or self._read_as_person(doc, start, end)
                             or words_only == end - start)))  # a phrase that is the name alone
        found.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: set[int] = set()
        result = []
        offset = doc.start if isinstance(doc, Span) else 0
        for start, end, entry, surname in found:
            if any(i in taken for i in range(start, end)):
                continue
            if (surname or (entry.kind == "person" and end - start == 1 and len(entry.name.split()) > 1)) \
                    and not self._alone(doc, start, end):
                continue  # "Ahmed" in "Ahmed Ben Bella" is not Abiy Ahmed
            taken.update(range(start, end))
            result.append(Mention(start + offset, end + offset, entry, surname))
        result.sort(key=lambda m: m.start)
        return result


    def _title_fits(self, doc: Doc | Span, start: int, entry: ActorEntry) -> bool:
        """ "Judge Marrero" is a judge, not Cuba's prime minister Marrero: a title of another sector than every
        office the person held names someone else."""
        sector = self.knowledge.sectors.get((doc[start - 1].lower_.rstrip("."),)) if self._titled(doc, start) else None
        if sector is None or entry.sector is None:
            return True
        return sector[0] == entry.sector or any(role.sector == sector[0] for role in entry.roles)

    def _first_names(self, doc: Doc | Span) -> dict[str, set[str]]:
        """For each word of the whole text, the capitalised proper nouns (not titles) right before it: the
        first names its bearers go by. Built once per call, so checking a surname costs a lookup."""
        whole = doc.doc if isinstance(doc, Span) else doc
        bearers: dict[str, set[str]] = {}
        for before, token in zip(whole[:-1], whole[1:], strict=True):
            if before.pos_ == "PROPN" and before.text[:1].isupper() and before.lower_.rstrip(".") not in self.title_words:
                bearers.setdefault(token.text, set()).add(before.text)
        return bearers

    @staticmethod
    def _other_bearer(doc: Doc | Span, start: int, end: int, entry: ActorEntry, bearers: dict[str, set[str]]) -> bool:
        """The text names someone else with this surname ("Carrie Lam ... Lam also agreed" is not To Lam)."""
        surname = " ".join(t.text for t in doc[start:end])
        return any(f"{first} {surname}" not in entry.name for first in bearers.get(doc[start].text, ()))

    @staticmethod
    def _read_as_person(doc: Doc | Span, start: int, end: int) -> bool:
        """The parser and the entity recogniser read the words as a person's name ("Putin said"), not as a day
        ("Friday"), a religion ("Christian missionary") or a common word."""
        tokens = doc[start:end]
        return all(t.pos_ == "PROPN" for t in tokens) and tokens[-1].ent_type_ in ("PERSON", "")

    def _titled(self, doc: Doc | Span, start: int) -> bool:
        """A surname after a title ("President Mwanawasa", "Mr. Lavrov", "Gen. Burhan")."""
        return start > 0 and doc[start - 1].lower_.rstrip(".") in self.title_words and doc[start - 1].text[:1].isupper()

    def _misspelt(self, words: list[str], matches: list) -> list:
        """Country names and demonyms misspelt by one letter ("Columbian troops"), where nothing else matched
        and the word is no place name either."""
        covered = {i for start, end, _ in matches for i in range(start, end)}
        found = []
        for i, word in enumerate(words):
            if i not in covered and len(word) >= MIN_LETTERS and word not in gazetteer():
                form = self.near_misses.lookup(word)
                if form is not None:
                    found.append((i, i + 1, self.knowledge.forms[form]))
        return found

    def _alone(self, doc: Doc | Span, start: int, end: int) -> bool:
        """A one-word name with no other name word right before or after it (titles are fine: "President Putin")."""
        before = doc[start - 1] if start > 0 else None
        after = doc[end] if end < len(doc) else None
        titles = self.title_words
        return not any(t is not None and t.pos_ == "PROPN" and t.text[:1].isupper() and t.lower_ not in titles
                       for t in (before, after))


@lru_cache(maxsize=4)
def actor_matcher(nlp: Language, user_files: tuple[str, ...] = ()) -> ActorMatcher:
    return ActorMatcher(nlp, build_knowledge(user_files))


NP_LEFT_DEPS = frozenset({"compound", "amod", "nmod", "poss", "det", "nummod", "quantmod", "case", "punct", "npadvmod", "advmod"})


def np_tokens(head: Token, include_of: bool = True, role_words: frozenset[str] = frozenset()) -> list[Token]:
    """The tokens of the noun phrase headed by `head`: left modifiers and an of-phrase."""
    tokens = [head]
    of_ok = head.pos_ != "PROPN" or head.lower_ in role_words
    for child in head.children:
        if child.i < head.i and child.dep_ in NP_LEFT_DEPS:
            tokens.extend(child.subtree)
        elif child.i > head.i and child.dep_ in ("compound", "flat") and child.pos_ == "PROPN":
            tokens.extend(child.subtree)
        elif include_of and child.i > head.i and child.dep_ == "prep" and child.lower_ == "of" and of_ok:
            tokens.append(child)
            for grand in child.children:
                if grand.dep_ == "pobj":
                    tokens.extend(np_tokens(grand, include_of=True))
    return sorted(set(tokens), key=lambda t: t.i)


@dataclass
class ResolvedNP:
    """What a noun phrase says about its actor before context fills gaps."""

    tokens: list[Token]
    mention: Mention | None
    sector: str | None
    is_role: bool
    former: bool

    def span(self) -> tuple[int, int]:
        words = [t for t in self.tokens if not (t.dep_ == "det" and t.i == self.tokens[0].i) and t.dep_ != "punct"] or self.tokens
        return words[0].idx, words[-1].idx + len(words[-1].text)


class ActorResolver:
    """Resolves noun phrases to actors within one article, remembering names and roles."""

    def __init__(self, matcher: ActorMatcher, doc: Doc, date: dt.date | None, unparsed: Iterable = ()) -> None:
        self.matcher = matcher
        self.doc = doc
        self.date = date
        self.unparsed = list(unparsed)  # entries named in sentences the parser skipped: context only
        self.mentions = matcher.mentions(doc, self.unparsed)
        self.mention_at: dict[int, Mention] = {}
        for mention in self.mentions:
            for i in range(mention.start, mention.end):
                self.mention_at[i] = mention
        self.memory: dict[str, Actor] = {}
        self.role_words = frozenset(w[0] for w in matcher.knowledge.sectors)
        self.places: dict[int, tuple[str, str]] = {}  # token index -> (place name, country)
        self.history: list[tuple[int, Actor, bool]] = []  # (token index, actor, is person)

    def add_places(self, mentions: Iterable) -> None:
        """Gazetteer places found in the doc, so a phrase like "Shanghai police" gets its country."""
        for mention in mentions:
            place = mention.best
            if place.country:
                for i in range(mention.start, mention.end):
                    self.places[i] = (place.name, place.country)

    def sector_of(self, tokens: Sequence[Token], head: Token) -> tuple[str | None, bool]:
        """Longest sector phrase in the NP; generic words yield to specific ones."""
        lemmas = [t.lemma_.lower() for t in tokens]
        lowers = [t.lower_ for t in tokens]
        mixed = [t.lemma_.lower() if t.pos_ in ("NOUN", "PROPN") else t.lower_ for t in tokens]
        candidates = []
        for words in (lemmas, lowers, mixed):
            for n in range(min(4, len(words)), 0, -1):
                for i in range(len(words) - n + 1):
                    hit = self.matcher.knowledge.sectors.get(tuple(words[i:i + n]))
                    if hit:
                        candidates.append((n, i + n, hit[0], hit[1], tuple(words[i:i + n])))
        if not candidates:
            return None, False
        specific = [c for c in candidates if not (c[0] == 1 and c[4][0] in GENERIC_SECTOR_WORDS)]
        pool = specific or candidates
        _, end, sector, role, _ = max(pool, key=lambda c: (c[0], c[1]))
        if sector in TRADE_SECTORS:  # "army accountant", "police doctor": the state body named before says whom they serve
            employers = [c for c in pool if c[1] < end and c[2] in STATE_BODY_SECTORS and not c[3]]
            if employers:
                return max(employers, key=lambda c: (c[0], c[1]))[2], role
        return sector, role

    def resolve_np(self, head: Token) -> ResolvedNP:
        tokens = np_tokens(head, role_words=self.role_words)
        mention = self.mention_at.get(head.i)
        left = {t.i for t in tokens if t.i < head.i}
        stateless = mention is not None and mention.entry.kind == "org" and mention.entry.country is None \
            and mention.entry.sector in ("ETH", "REL")
        if mention is not None and (mention.entry.kind == "demonym" or stateless):
            # "Bosnian Serbs", "Iraqi Kurds": the modifier says whose they are
            modifiers = [self.mention_at[i] for i in sorted(left) if i in self.mention_at and self.mention_at[i] is not mention]
            if modifiers:
                mention = modifiers[-1]
        elif mention is not None and mention.entry.kind == "person":
            # "U.N. mediator Diego Cordovez": the body he acts for, not his country
            bodies = [self.mention_at[i] for i in sorted(left) if i in self.mention_at and self.mention_at[i].entry.sector == "IGO"]
            if bodies:
                mention = bodies[-1]
        if mention is None:
            in_np = [self.mention_at[t.i] for t in tokens if t.i in self.mention_at]
            in_np = [m for m in in_np if m.entry.kind != "region" or m.entry.code]
            place_head = head.lemma_.lower() in load_frames().place_nouns

            def rank(m: Mention) -> tuple:
                strong = m.entry.kind in ("person", "org", "territory")
                on_left = m.start in left and not place_head
                return (0 if strong else 1, 0 if on_left else 1, abs(m.start - head.i))

            if in_np:
                mention = min(in_np, key=rank)
        if mention is not None and mention.entry.kind == "region" and not mention.entry.code:
            mention = None
        word_tokens = [t for t in tokens if t.i not in self.mention_at or self.mention_at[t.i].entry.kind != "person"]
        sector, is_role = self.sector_of(word_tokens, head)
        former = any(t.lower_ in FORMER_WORDS for t in tokens)
        return ResolvedNP(tokens, mention, sector, is_role, former)

    def actor(self, head: Token, whole: Span | None = None) -> Actor | None:
        """The actor a noun phrase names, or None when it names none we know.

        `whole`: a stand-alone phrase; what the head's own phrase lacks is looked for in all of it.
        """
        if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
            head = head.head.head
        np = self.resolve_np(head)
        if whole is not None:
            tokens = list(whole)
            if np.mention is None:
                inside = [self.mention_at[t.i] for t in tokens if t.i in self.mention_at
                          and self.mention_at[t.i].entry.kind != "region"]
                np.mention = inside[0] if inside else None
            if np.sector is None:
                np.sector, np.is_role = self.sector_of([t for t in tokens if t.i not in self.mention_at], head)
            np.tokens = tokens
            np.former = np.former or any(t.lower_ in FORMER_WORDS for t in tokens)
        start, end = np.span()
        if np.mention is not None and np.sector is None and not (np.mention.start <= head.i < np.mention.end):
            first, last = self.doc[np.mention.start], self.doc[np.mention.end - 1]
            start, end = first.idx, last.idx + len(last.text)
        elif np.mention is not None:
            first, last = self.doc[np.mention.start], self.doc[np.mention.end - 1]
            start, end = min(start, first.idx), max(end, last.idx + len(last.text))
        text = doc_text(self.doc)[start:end]
        if np.mention is not None:
            code, country, sector = np.mention.entry.at(self.date)
            name = np.mention.entry.name
            if np.mention.entry.kind in ("country", "demonym", "territory", "region") and np.sector:
                sector = np.sector
                code = f"{country}{sector}" if country else code
            elif np.mention.entry.kind == "demonym" and head.i in range(np.mention.start, np.mention.end) and head.tag_ in ("NNS", "NNPS"):
                sector, code = "CVL", f"{country}CVL"  # "ordinary Kazakhs", "Palestinians"
            elif np.mention.entry.kind == "seat" and np.sector and np.sector != "GOV":
                sector = np.sector
                code = f"{country}{sector}"
            elif np.mention.entry.kind == "person" and np.sector and country and not np.former and self._titled(np.mention, np.sector):
                sector = np.sector  # an explicit title outranks the dictionary's role: "Senator X" stays a senator
                code = f"{country}{sector}"
            if np.mention.entry.kind == "org" and np.mention.entry.sector in ("IGO", "NGO"):
                sector = np.mention.entry.sector
            if np.former and sector in ("GOV", "MIL", None) and country:
                sector, code = "ELI", f"{country}ELI"
            actor = Actor(text, start, end, name, code, country, sector)
            self._remember(head, np, actor)
            return actor
        remembered = self._recall(head, np)
        if remembered is not None:
            return Actor(text, start, end, remembered.name, remembered.code, remembered.country, remembered.sector)
        if np.is_role and any(t.lower_ == "the" for t in np.tokens) and self.focus_country():
            # "the prime minister" in an article about Armenia is Armenia's
            country = self.focus_country()
            return Actor(text, start, end, None, f"{country}{np.sector}", country, np.sector)
        sector = "ELI" if np.former and np.sector in ("GOV", "MIL") else np.sector
        place = self.place_country(head, np.tokens, countries_only=not sector) if sector or head.pos_ == "NOUN" else None
        if place is not None:
            name, country = place
            return Actor(text, start, end, name, f"{country}{sector or ''}", country, sector)
        if sector:
            return Actor(text, start, end, None, None, None, sector)
        if head.pos_ == "PROPN" and head.i in self.places and head.ent_type_ != "PERSON":
            name, country = self.places[head.i]  # a town named as an actor stands for its country ("Sydney", GDELT's way)
            return Actor(text, start, end, name, country, country, None)
        return None

    def _titled(self, mention: Mention, sector: str) -> bool:
        """The word right before a person's name is a title of `sector` ("Senator", "General")."""
        if mention.start == 0:
            return False
        before = self.doc[mention.start - 1]
        return before.text[:1].isupper() and self.sector_of([before], before)[0] == sector

    def place_country(self, head: Token, tokens: Sequence[Token], countries_only: bool = False) -> tuple[str, str] | None:
        """A gazetteer place in the phrase or in its in-phrase: "Shanghai police", "leaders in France".

        A phrase with no sector word ("targets in Syria") takes a country named in its in-phrase, not a city.
        """
        for token in tokens:
            if countries_only:
                break
            if token.i in self.places and token.ent_type_ != "PERSON" and token.i != head.i:
                return self.places[token.i]
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "from"):
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    for token in np_tokens(pobj):
                        if token.i in self.places and token.ent_type_ != "PERSON" and not countries_only:
                            return self.places[token.i]
                        mention = self.mention_at.get(token.i)
                        if mention is not None and mention.entry.country and mention.entry.kind in ("country", "territory"):
                            return mention.entry.name, mention.entry.country
        return None

    def named_entries(self) -> list:
        """Every actor entry the article names, parsed sentences or not."""
        return [m.entry for m in self.mentions] + self.unparsed

    def focus_country(self) -> str | None:
        """The country the article is most about: the most named one, if clearly ahead of the next."""
        if not hasattr(self, "_focus"):
            counts: dict[str, int] = {}
            for entry in self.named_entries():
                if entry.country and entry.kind in ("country", "demonym", "seat", "person"):
                    counts[entry.country] = counts.get(entry.country, 0) + 1
            ranked = sorted(counts.items(), key=lambda kv: -kv[1])
            clear = ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1])
            self._focus = ranked[0][0] if clear else None
        return self._focus

    def _remember(self, head: Token, np: ResolvedNP, actor: Actor) -> None:
        is_person = (np.mention is not None and np.mention.entry.kind == "person") or head.pos_ == "PROPN" and head.ent_type_ == "PERSON"
        self.history.append((head.i, actor, is_person))
        if head.pos_ == "PROPN" and head.i not in self.mention_at:
            self.memory[head.text] = actor
        if np.is_role:
            role = " ".join(t.lemma_.lower() for t in np.tokens if t.pos_ in ("NOUN", "PROPN", "ADP") and t.i not in self.mention_at and t.ent_type_ != "PERSON")
            if role:
                self.memory["role:" + role] = actor

    def _recall(self, head: Token, np: ResolvedNP) -> Actor | None:
        if head.pos_ == "PROPN" and head.text in self.memory:
            return self.memory[head.text]
        if np.is_role:
            role = " ".join(t.lemma_.lower() for t in np.tokens if t.pos_ in ("NOUN", "PROPN", "ADP"))
            return self.memory.get("role:" + role)
        return None
