"""Resolving noun phrases to coded actors: the resolver reads a noun phrase's words, titles and context
within one article, over the mentions the matcher (actor_matcher.py) finds."""

from __future__ import annotations

__all__ = ["FUNCTION_WORDS", "ActorMatcher", "ActorResolver", "actor_matcher", "common_words", "form_variants", "np_tokens"]

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from ..models import Actor
from .actor_base import FORMER_WORDS, Mention
from .actor_matcher import FUNCTION_WORDS, ActorMatcher, actor_matcher, common_words, form_variants
from .docs import doc_text, doc_words, sentence_of, token_starts, token_words
from .gazetteer import gazetteer
from .lexicon import load_frames
from .name_shapes import PERSON
from .noun_phrases import (
    STATE_BODY_SECTORS,
    armed_force,
    doc_tree,
    gathering_place,
    np_tokens,
    people_not_nation,
    phrase_at,
    sector_in,
    sector_starts,
)
from .successions import country_on

BODY_OF_MEMBERS_SECTORS = frozenset({"JUD", "LEG"})  # what an IGO's own organ can be beside the IGO itself
PLACE_KINDS = frozenset({"country", "seat", "territory", "region"})
# bodies named again by their word alone ("the parliament", "the rebels") after their full name; not "the government",
# "the army" or "the police", which a story mostly uses for its own state's, whoever else it named
REMEMBERED_BODIES = frozenset({"LEG", "JUD", "SPY", "REB", "OPP", "PTY"})


def forget(resolver: ActorResolver, mention: Mention) -> None:
    """Read a name the dictionary matched as something else (a place the story qualifies)."""
    resolver.mentions = [m for m in resolver.mentions if m is not mention]
    for i in range(mention.start, mention.end):
        resolver.mention_at.pop(i, None)


@dataclass(slots=True)
class ResolvedNP:
    """What a noun phrase says about its actor before context fills gaps."""

    at: list[int]  # the phrase's token indices: the doc's lists are read by them
    mention: Mention | None
    sector: str | None
    is_role: bool
    former: bool


class ActorResolver:
    """Resolves noun phrases to actors within one article, remembering names and roles."""

    def __init__(self, matcher: ActorMatcher, doc: Doc, date: dt.date | None, unparsed: Iterable = ()) -> None:
        self.matcher = matcher
        self.doc = doc
        self.date = date
        self.unparsed = list(unparsed)  # entries named in sentences the parser skipped: context only
        self.mentions = matcher.mentions(doc, self.unparsed, date)
        self.names = matcher.names.read(doc)  # people, places and other names (names.py)
        self.mention_at: dict[int, Mention] = {}
        for mention in self.mentions:
            for i in range(mention.start, mention.end):
                self.mention_at[i] = mention
        self.memory: dict[str, Actor] = {}
        self.role_words = matcher.role_words
        self.places: dict[int, tuple[str, str]] = {}  # token index -> (place name, country)
        self.history: list[tuple[int, Actor, bool]] = []  # (token index, actor, is person)
        # every token's lemma, lower case and part of speech as lists: a Token looks its strings up on each read
        self.words = token_words(doc)
        self.texts, self.starts, self.text = doc_words(doc), token_starts(doc), doc_text(doc)  # for `extent`
        self.tree = doc_tree(doc)  # each token's children and dependency label
        self.sector_starts = sector_starts(self.words, self.role_words)  # where a sector term can start: most phrases hold none

    def add_places(self, mentions: Iterable) -> None:
        """Gazetteer places found in the doc, so a phrase like "Shanghai police" gets its country."""
        for mention in mentions:
            place = mention.best
            named = self.mention_at.get(mention.start)
            if place.precision == "region" and named is not None and named.entry.kind == "country" \
                    and named.entry.country != place.country and (named.start, named.end) == (mention.start, mention.end) \
                    and not any(m.entry.country == named.entry.country and m.entry.name != named.entry.name for m in self.mentions):
                forget(self, named)  # "Georgia" in a story set in the United States: the state, not the country
            if place.country:
                for i in range(mention.start, mention.end):
                    self.places[i] = (place.name, place.country)

    def sector_at(self, at: list[int]) -> tuple[str | None, bool]:
        """Longest sector phrase among the tokens at `at`; generic words yield to specific ones; a bare "officer"
        is the force the story is about (police in a crime story, the army in a war)."""
        sectors = self.matcher.knowledge.sectors
        sector, role = sector_in(at, self.words, sectors, self.matcher.role_lengths, self.sector_starts)
        if sector == "COP" and "officer" in (lemmas := [self.words[0][i] for i in at]) and sector_in(
                [i for i, word in zip(at, lemmas, strict=True) if word != "officer"], self.words, sectors, self.matcher.role_lengths,
                self.sector_starts)[0] is None:
            sector = armed_force(self.doc, self.words[0])
        return sector, role

    def resolve_np(self, head: Token) -> ResolvedNP:
        at = phrase_at(self.tree, self.words, head.i, role_words=self.role_words)
        mention_at = self.mention_at
        mention = mention_at.get(head.i)
        stateless = mention is not None and mention.entry.kind == "org" and mention.entry.country is None \
            and mention.entry.sector in ("ETH", "REL")
        if mention is not None and (mention.entry.kind == "demonym" or stateless):
            # "Bosnian Serbs", "Iraqi Kurds": the modifier says whose they are
            modifiers = [mention_at[i] for i in at if i < head.i and i in mention_at and mention_at[i] is not mention]
            if modifiers:
                mention = modifiers[-1]
        elif mention is not None and mention.entry.kind == "person":
            # "U.N. mediator Diego Cordovez": the body he acts for, not his country
            bodies = [mention_at[i] for i in at if i < head.i and i in mention_at and mention_at[i].entry.sector == "IGO"]
            if bodies:
                mention = bodies[-1]
        if mention is None and not mention_at.keys().isdisjoint(at):
            in_np = [mention_at[i] for i in at if i in mention_at]
            in_np = [m for m in in_np if (m.entry.kind != "region" or m.entry.code) and not made_in(self, m, at)]
            place_head = self.words[0][head.i] in load_frames().place_nouns

            def rank(m: Mention) -> tuple:
                strong = m.entry.kind in ("person", "org", "territory")
                on_left = m.start < head.i and m.start in at and not place_head
                return (2 if named_after(self, m) else 0 if strong else 1, 0 if on_left else 1, abs(m.start - head.i))

            if in_np:
                mention = min(in_np, key=rank)
        if mention is not None and mention.entry.kind == "region" and not mention.entry.code:
            mention = None
        if self.sector_starts.isdisjoint(at):
            sector, is_role = None, False  # most phrases hold no sector term
        else:
            sector, is_role = self.sector_at([i for i in at if i not in mention_at or mention_at[i].entry.kind != "person"])
        if sector is None and gathering_place(head, self.words[0][head.i]):
            sector = "CVL"  # "a wedding in Kabul": the people gathered there
        former = not FORMER_WORDS.isdisjoint([self.words[1][i] for i in at])
        return ResolvedNP(at, mention, sector, is_role, former)

    def actor(self, head: Token, whole: Span | None = None, flat: bool = False) -> Actor | None:
        """The actor a noun phrase names, or None when it names none we know.

        `whole`: a stand-alone phrase; what the head's own phrase lacks is looked for in all of it. `flat`: its
        parse is no noun phrase ("wanted persons" read as a clause), so its sector words are read from all of it.
        """
        if self.words[1][head.i] in ("who", "which", "that") and head.head.dep_ == "relcl":
            head = head.head.head
        np = self.resolve_np(head)
        beside = False  # the place is named beside the phrase's head ("an amusement park in Kabul"), not as it
        if whole is not None:
            tokens = list(whole)
            if np.mention is None:
                inside = [self.mention_at[t.i] for t in tokens if t.i in self.mention_at
                          and self.mention_at[t.i].entry.kind != "region"]
                np.mention = inside[0] if inside else None
                # a head with a sector of its own ("a school", "a park"); "sources in Washington" stays the state's
                beside = np.mention is not None and np.mention.entry.kind in PLACE_KINDS and np.sector is not None
            if np.sector is None or flat:
                np.sector, np.is_role = self.sector_at([t.i for t in tokens if t.i not in self.mention_at])
            np.at = [t.i for t in tokens]
            np.former = np.former or any(t.lower_ in FORMER_WORDS for t in tokens)
        if np.mention is not None:
            text, start, end = extent(self, head, np)
            code, country, sector = np.mention.entry.at(self.date)
            name = np.mention.entry.name
            held = country_on(country, self.date)  # "Juba" in 2005 is Sudan's
            seceded = held != country and np.mention.entry.kind not in ("person", "org")
            if seceded:
                country, code = held, f"{held}{(code or '')[3:]}"
            if beside:
                sector, code = np.sector, f"{country}{np.sector or ''}"
                name = self.doc[np.mention.start:np.mention.end].text
            elif np.mention.entry.kind in ("country", "demonym", "territory", "region") and np.sector:
                sector = np.sector
                code = f"{country}{sector}" if country else code
            elif np.mention.entry.kind == "demonym" and head.i in range(np.mention.start, np.mention.end) and head.tag_ in ("NNS", "NNPS") \
                    and people_not_nation(head, [self.doc[i] for i in np.at], range(np.mention.start, np.mention.end)):
                sector, code = "CVL", f"{country}CVL"
            elif np.mention.entry.kind == "seat" and np.sector and np.sector != "GOV":
                sector = np.sector
                code = f"{country}{sector}"
            elif named_after(self, np.mention):  # the person's country at most, never their sector
                sector, code, name = np.sector, f"{country}{np.sector or ''}", text
            elif np.mention.entry.kind == "person" and np.sector and country and not np.former and titled(self, np.mention, np.sector) \
                    and not (sector in STATE_BODY_SECTORS and np.sector not in STATE_BODY_SECTORS):
                # a party's or a campaign's title does not unseat an office held ("party leader Rishi Sunak" in 2023)
                sector = np.sector  # an explicit title outranks the dictionary's role: "Senator X" stays a senator
                code = f"{country}{sector}"
            if np.mention.entry.kind == "org" and np.mention.entry.sector in ("IGO", "NGO"):
                # an international body's parliament or court is a legislature or a court ("the EU legislature")
                sector = np.sector if np.sector in BODY_OF_MEMBERS_SECTORS else np.mention.entry.sector
            elif np.mention.entry.kind == "org" and np.mention.entry.sector in ("ETH", "REL") and np.sector \
                    and np.sector not in STATE_BODY_SECTORS:  # "Rohingya leaders" lead no state
                sector = np.sector  # the head says which of the people: "Rohingya refugees", "Rakhine Buddhists"
                code = f"{country}{sector}" if country else code
            if np.mention.entry.kind == "org" and country is None and np.mention.entry.sector in ("ETH", "REL"):
                # "a Jewish community centre in Kansas City", "Sunnis in Iraq", else the story's country (GUIDELINES:
                # a non-state group belongs to the state where it is)
                where = (self.place_country(head, np.at) or (None, None))[1] or self.focus_country()
                if where is not None:
                    country, code = where, f"{where}{sector or np.mention.entry.sector}"
            if np.former and sector in ("GOV", "MIL", None) and country:
                sector, code = "ELI", f"{country}ELI"
            elif sector is None and country and head.tag_ == "NNS" and self.words[0][head.i] in load_frames().place_nouns \
                    and head.i not in range(np.mention.start, np.mention.end):
                sector, code = "UNK", f"{country}UNK"  # "regions across Indonesia", "villages in Syria": someone there
            if seceded and sector == "GOV" and np.mention.entry.kind in ("country", "demonym", "territory"):
                sector, code = "PRE", f"{country}PRE"  # "Kosovo's prime minister" in 2004: a region's own authorities
            actor = Actor(text, start, end, name, code, country, sector)
            self._remember(head, np, actor)
            return actor
        remembered = self._recall(head, np) or epithet(self, head, np)
        if remembered is not None:
            text, start, end = extent(self, head, np)
            return Actor(text, start, end, remembered.name, remembered.code, remembered.country, remembered.sector)
        sector = "ELI" if np.former and np.sector in ("GOV", "MIL") else np.sector
        named_place = self.words[0][head.i] in load_frames().place_nouns  # "the city of Aleppo" is Aleppo
        place = self.place_country(head, np.at, countries_only=not (sector or named_place)) if sector or self.words[2][head.i] == "NOUN" else None
        if place is not None:  # "the governor of Borno" in a story that names a US ambassador too
            text, start, end = extent(self, head, np)
            name, country = place
            if (focus := self.focus_country()) and focus != country and any(p.country == focus and p.precision == "region"
                                                                            for p in gazetteer().get(name, ())):
                country = focus  # "the governor of Punjab" (a region of two states) in a story about Pakistan
            sector = sector or ("UNK" if named_place and head.tag_ == "NNS" else None)  # "villages near Aleppo"
            return Actor(text, start, end, name, f"{country}{sector or ''}", country, sector)
        if np.is_role and any(self.words[1][i] == "the" for i in np.at) and self.focus_country():
            # "the prime minister" in an article about Armenia is Armenia's
            country = self.focus_country()
            text, start, end = extent(self, head, np)
            return Actor(text, start, end, None, f"{country}{np.sector}", country, np.sector)
        if sector:
            text, start, end = extent(self, head, np)
            return Actor(text, start, end, None, None, None, sector)
        if head.i in self.places and head.text[:1].isupper() and not self.names.is_person(head):
            text, start, end = extent(self, head, np)
            name, country = self.places[head.i]  # a town named as an actor stands for its country ("Sydney", GDELT's way)
            return Actor(text, start, end, name, country, country, None)
        return None

    def place_country(self, head: Token, at: Sequence[int], countries_only: bool = False) -> tuple[str, str] | None:
        """A gazetteer place in the phrase or in its in-phrase: "Shanghai police", "leaders in France".

        A phrase with no sector word ("targets in Syria") takes a country named in its in-phrase, not a city.
        """
        people = self.names.labels
        for i in () if countries_only else at:
            if i in self.places and people.get(i) != PERSON and i != head.i:
                return self.places[i]
        children, deps = self.tree
        for child in children[head.i]:
            if deps[child] == "prep" and self.words[1][child] in ("in", "from"):
                for pobj in children[child]:
                    if deps[pobj] != "pobj":
                        continue
                    for i in phrase_at(self.tree, self.words, pobj):
                        if i in self.places and people.get(i) != PERSON and not countries_only:
                            return self.places[i]
                        mention = self.mention_at.get(i)
                        if mention is not None and mention.entry.country and mention.entry.kind in ("country", "territory"):
                            return mention.entry.name, country_on(mention.entry.country, self.date)
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
        proper = self.words[2][head.i] == "PROPN"
        is_person = (np.mention is not None and np.mention.entry.kind == "person") or proper and self.names.is_person(head)
        self.history.append((head.i, actor, is_person))
        if proper and head.i not in self.mention_at:
            self.memory[head.text] = actor
        if np.is_role or np.sector in REMEMBERED_BODIES and actor.country:  # "the Iraqi parliament": later "the parliament"
            lemmas, _, parts = self.words
            role = " ".join(lemmas[i] for i in np.at if parts[i] in ("NOUN", "PROPN", "ADP") and i not in self.mention_at
                            and self.names.labels.get(i) != PERSON)
            if role:
                self.memory["role:" + role] = actor

    def _recall(self, head: Token, np: ResolvedNP) -> Actor | None:
        if self.words[2][head.i] == "PROPN" and head.text in self.memory:
            return self.memory[head.text]
        if np.is_role or np.sector in REMEMBERED_BODIES and any(self.words[1][i] == "the" for i in np.at):
            lemmas, _, parts = self.words
            role = " ".join(lemmas[i] for i in np.at if parts[i] in ("NOUN", "PROPN", "ADP"))
            return self.memory.get("role:" + role)
        return None


def extent(resolver: ActorResolver, head: Token, np: ResolvedNP) -> tuple[str, int, int]:
    """The text an actor is read from and its character offsets: the phrase, with the name it holds, or the
    name alone when the phrase has no sector word and the name is beside its head."""
    words, starts = resolver.texts, resolver.starts  # the doc's lists: no Token made per look
    at = np.at
    if len(at) > 1:  # without a leading article and punctuation
        deps = resolver.tree[1]
        at = [i for i in at if not (deps[i] == "det" and i == at[0]) and deps[i] != "punct"] or at
    start, end = starts[at[0]], starts[at[-1]] + len(words[at[-1]])
    if np.mention is not None:
        first, last = np.mention.start, np.mention.end - 1
        if np.sector is None and not (np.mention.start <= head.i < np.mention.end):
            start, end = starts[first], starts[last] + len(words[last])
        else:
            start, end = min(start, starts[first]), max(end, starts[last] + len(words[last]))
    return resolver.text[start:end], start, end


def made_in(resolver: ActorResolver, mention: Mention, at: list[int]) -> bool:
    """A name that says where the phrase's thing was made, not who acts: "Russian-made jets", "US-built vehicles"."""
    children, deps = resolver.tree
    origins = load_frames().origin_participles
    return any(mention.end - 1 in children[i] and deps[i] == "amod" and resolver.words[0][i] in origins for i in at)


def titled(resolver: ActorResolver, mention: Mention, sector: str) -> bool:
    """The words right before a person's name are a title of `sector` ("Senator", "General", "opposition
    leader"): a capitalised word alone, or two words ending in a noun, as news writes titles in lower case."""
    if mention.start == 0:
        return False
    before = resolver.doc[mention.start - 1]
    if before.text[:1].isupper() and resolver.sector_at([before.i])[0] == sector:
        return True
    title = resolver.doc[max(mention.start - 2, 0):mention.start]
    if len(title) != 2 or before.pos_ != "NOUN" or title[0].i in resolver.mention_at or title[0].tag_ in ("VBN", "VBD"):
        return False  # "Hamas leader X" names the group he leads; "jailed leader X", "deposed prime minister X"
    if {title[0].lower_, resolver.doc[max(mention.start - 3, 0)].lower_} & load_frames().out_of_office:
        return False  # "incoming president X", "ousted prime minister X": not (or no longer) the office
    return resolver.sector_at([t.i for t in title])[0] == sector


def named_after(resolver: ActorResolver, mention: Mention) -> bool:
    """ "The Mo Ibrahim Foundation", "the Aga Khan University Hospital": an organisation called after a person."""
    if mention.entry.kind != "person":
        return False
    last = resolver.doc[mention.end - 1]  # up to the name's last word: "the Aga Khan Development Network"
    head = next((t for t in (last, *last.ancestors) if not (t.dep_ in ("compound", "nmod", "amod") and t.head.i > t.i and t.head.text[:1].isupper())), last)
    return head is not last and head.lemma_.lower() in load_frames().named_after_heads


def epithet(resolver: ActorResolver, head: Token, np: ResolvedNP, of_role: bool = False) -> Actor | None:
    """ "Accusing the bloc of...", "its neighbour", "the kingdom": an epithet with "the" or a possessive and no
    other word of its own stands for the last international body or state named before it in the text (its
    own sentence or the one before)."""
    frames = load_frames()
    owner = next((c for c in head.children if c.dep_ == "poss" and c.lemma_.lower() in frames.state_epithets), None) \
        if np.sector is not None and np.is_role else None
    if owner is not None:  # "the country's president"
        state = epithet(resolver, owner, resolver.resolve_np(owner), of_role=True)
        return None if state is None else Actor(state.name, 0, 0, None, f"{state.country}{np.sector}", state.country, np.sector)
    word = resolver.words[0][head.i]
    kind = "igo" if word in frames.igo_epithets else "state" if word in frames.state_epithets else None
    if kind is None:
        return None
    owned = any(t.lower_ in ("its", "their") for t in head.children)  # "its neighbour": a state's, no person
    generic = np.sector is None or kind == "state" and (owned or np.sector == "GOV")  # "country" alone reads GOV
    if kind is None or not generic or head.tag_ not in ("NN", "NNP") or head.dep_ == "poss" and not of_role \
            or not any(t.lower_ in ("the", "its", "their") for t in head.children) \
            or any(t.dep_ in ("amod", "compound") for t in head.children) \
            or any(t.i in resolver.mention_at for c in head.children if c.dep_ == "prep" for t in c.subtree):
        return None  # "the European Union" is a name, "the nation of Chad" is named; "the country's border" no actor
    sent = sentence_of(head)
    start = sentence_of(head.doc[sent.start - 1]).start if sent.start > 0 else sent.start
    verb = next((a for a in head.ancestors if a.pos_ in ("VERB", "AUX")), None)
    doers = set() if of_role else {t.i for c in (verb.children if verb is not None else ())
                                    if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree}
    own = {m.entry.country for m in resolver.mentions if m.start in doers} | {
        resolver.mention_at[c.i].entry.country for c in head.children if c.dep_ == "poss" and c.i in resolver.mention_at}
    for m in sorted(resolver.mentions, key=lambda m: -m.start):
        if m.start >= head.i or m.start < start or m.start in doers or m.entry.country in own - {None}:
            continue  # "Beijing warned the island", "Ankara accused the island": not the doer's own state
        entry = m.entry
        if kind == "igo" and entry.kind == "org" and entry.sector == "IGO":
            return Actor(entry.name, 0, 0, entry.name, entry.code, None, "IGO")
        if kind == "state" and entry.kind in ("country", "seat", "demonym", "territory") and entry.country:
            return Actor(entry.name, 0, 0, entry.name, entry.country, entry.country, None)
    return None
