"""Which actors a noun phrase names: coordination, possessives, pronouns, groups placed by their location."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ..knowledge.actor_resolver import ActorResolver, np_tokens
from ..knowledge.docs import doc_text, sentence_of
from ..knowledge.lexicon import Frames
from ..knowledge.names import DATE, PLACE, is_date_or_quantity
from ..knowledge.places import LOCATIVE_PREPS, Locator, Place
from ..models import Actor
from .people import buried_people, introduced, national_named, role_sectors, said_as
from .speakers import political_speaker, speaker_head
from .syntax import (
    INNER_PREPS,
    LOCAL_SECTORS,
    PASSIVE_SUBJECT_DEPS,
    SUBJECT_DEPS,
    earlier_subject,
    lemma,
    stranded,
)

PERSON_SECTORS = frozenset({"GOV", "ELI", "OPP", "JUD", "MIL", "COP", "CVL", "JRN", "REL", "BUS", "EDU", "MED", "CRM", "LEG", "SPY",
                            "UAF", "REB", "INS"})
FOREIGN_WORDS = frozenset({"foreign", "international", "world", "visiting", "global", "overseas", "other", "western", "regional"})
STATE_SECTORS = frozenset({"GOV", "LEG", "PTY"})  # placed by the story's country only when nothing else is named
GROUP_SECTORS = frozenset({"CVL", "OPP", "LAB", "EDU", "REB", "UAF", "INS", "JRN", "REF"})  # plural people "they" stands for
COUNTED_PEOPLE = frozenset({"dozens", "hundreds", "thousands", "scores", "several", "many"})


class ActorReader:
    """Reads the actors of one argument head, through the article's resolver."""

    def __init__(self, frames: Frames, resolver: ActorResolver, locator: Locator) -> None:
        self.frames = frames
        self.resolver = resolver
        self.locator = locator

    def expand(self, head: Token) -> list[Token]:
        """A head and the heads coordinated or in apposition with it."""
        heads = [head]
        for child in head.children:
            if (child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON", "ADJ") and not stranded(child)) or (
                    child.dep_ == "appos" and child.pos_ == "PROPN"):  # not "Turkey" of "defeated ISIS and Turkey would move"
                heads.extend(self.expand(child))
        return heads

    def actors_of(self, head: Token, look_inside: bool = True) -> list[tuple[Token, Actor]]:
        """The actors an argument names, one per coordinated member."""
        buried = buried_people(self.resolver, head) or coordinated_antecedent(self, head)
        if buried:
            return buried
        found: list[tuple[Token, Actor]] = []
        for member in self.expand(head):
            actor = self.actor_of(member)
            if actor is not None and (actor.country or actor.code):
                found.extend((member, a) for a in self.coordinated_modifiers(member, actor))
                continue
            if look_inside and member.pos_ in ("NOUN", "PROPN"):
                inner = self.inner_actors(member)
                if inner:
                    found.extend(inner)
                    continue
            if actor is not None:
                found.append((member, actor))
        if any(t.dep_ == "appos" and a.name and (a.country or a.code) for t, a in found):  # "the militant organisation,
            found = [(t, a) for t, a in found if a.name]  # the Islamic State, ...": the name says who the words are
        unique: list[tuple[Token, Actor]] = []
        for token, actor in found:
            if not any(a.code == actor.code and a.code and (a.start <= actor.start < a.end or t.dep_ == "appos" or token.dep_ == "appos") for t, a in unique):
                unique.append((token, actor))
        return unique

    def coordinated_modifiers(self, head: Token, actor: Actor) -> list[Actor]:
        """ "Hungarian and Romanian officials", "the foreign ministers of Egypt, Jordan and Qatar": one actor per
        coordinated modifier or owner."""

        result = [actor]
        for child in np_tokens(head):
            owner = child.dep_ == "pobj" and child.head.lower_ == "of" and child.head.head == head
            if (child.dep_ in ("amod", "compound", "nmod") or owner) and child.i in self.resolver.mention_at:
                conjs = listed_members(child, self.expand(child)[1:], self.resolver.mention_at)
                for conj in [child, *conjs] if conjs else []:  # "Hungarian and Romanian officials": both, whichever was read first
                    mention = self.resolver.mention_at[conj.i]
                    code, country, _ = mention.entry.at(self.resolver.date)
                    if country and all(country != a.country for a in result):
                        sector = actor.sector
                        result.append(replace(actor, text=conj.text, start=conj.idx, end=conj.idx + len(conj.text),
                                              name=mention.entry.name, country=country,
                                              code=f"{country}{sector}" if sector else code))
        return result

    def actor_of(self, head: Token) -> Actor | None:
        if head.lower_ in self.frames.first_person_pronouns and not (len(head.text) > 1 and head.text.isupper()):  # "US" is a country
            speaker = speaker_head(head, self.frames.reporting, self.frames.first_person_pronouns)
            actor = self.actor_of(speaker) if speaker is not None else None
            if actor is None or not political_speaker(self.resolver, self.frames, speaker, actor):
                return None  # a witness's, a coach's or an athlete's "we" is no political actor's act
            return said_as(actor, head)
        if head.pos_ == "PRON" or head.lower_ in self.frames.person_pronouns | self.frames.group_pronouns:
            if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
                return self.actor_of(head.head.head)
            person = head.lower_ in self.frames.person_pronouns
            if head.lower_ in self.frames.person_pronouns | self.frames.group_pronouns:
                return self.pronoun(head, person)
            return None
        actor = self.resolver.actor(head)
        if actor is None or actor.country is None:  # "Tarrant", "the accused": the foreigner the story named
            actor = national_named(head, self.resolver, self.frames.suspect_nouns) or actor
        if actor is None and head.text[:1].isupper():
            actor = introduced(head, self.resolver)
        if actor is None:
            actor = counted_people(head)
        if actor is None:
            return self.unknown_person(head)
        if actor is not None and any(c.lower_ == "ethnic" for c in head.children) and head.i in self.resolver.mention_at:
            # "ethnic Albanians" near Macedonia's border are Macedonia's Albanians
            place = self.locator.in_sentence(sentence_of(head), skip=set(range(head.left_edge.i, head.i + 1)))
            if place is not None and place.country and place.country != actor.country:
                actor = replace(actor, country=place.country, code=place.country, name=f"ethnic group in {place.name}")
        if actor is not None and actor.country is None and actor.code is None and actor.sector:
            place = self.place_for(head)
            if place is None and actor.sector in LOCAL_SECTORS and not any(c.dep_ == "poss" for c in head.children):
                place = self.locator.article_country()  # "three police officers were injured" in a story set in one country
            elif place is None and actor.sector in STATE_SECTORS and not any(c.dep_ == "poss" for c in head.children):
                place = self.domestic_place(head)  # "government ministers attended" in a story of one country
            if place is not None and place.country:
                actor = replace(actor, country=place.country, code=f"{place.country}{actor.sector}")
        return actor

    def domestic_place(self, head: Token):
        """The story's country for a state body named without one, when its sentence names no country at all
        ("President X threatened Russia" may be anyone's president)."""
        place = self.locator.article_country()
        if place is None or any(c.lower_ in FOREIGN_WORDS for c in head.children):
            return None  # "foreign leaders", "visiting ministers" are not the story's own
        sentence = sentence_of(head)
        countries = {self.resolver.mention_at[t.i].entry.country for t in sentence if t.i in self.resolver.mention_at}
        return place if countries <= {None} else None

    def unknown_person(self, head: Token) -> Actor | None:
        """A named person the actor base does not know ("Usman Khan stabbed ... in London"): a civilian of
        the place the sentence or the article is in, as an analyst would code them; None without a place."""
        if head.pos_ != "PROPN" or self.resolver.names.label(head) in (PLACE, DATE) or head.i in self.resolver.mention_at:
            return None
        roles = [c for c in head.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if head.dep_ in ("nsubj", "nsubjpass"):  # "X resigned as governor of Puerto Rico", "was sworn in as president"
            roles += [p for c in head.head.children if c.dep_ == "prep" and c.lower_ == "as" for p in c.children if p.dep_ == "pobj"]
        for child in roles:  # "Kurt Volker, the United States special envoy": the apposition says who
            if child.pos_ == "NOUN":
                described = self.resolver.actor(child)  # its own role, not "the wife of the foreign minister"
                if described is not None and described.country and described.sector in role_sectors(self.resolver, child.lemma_.lower()):
                    start, end = head.idx, head.idx + len(head.text)
                    return replace(described, text=doc_text(head.doc)[start:end], start=start, end=end)
        if not self.resolver.names.is_person(head):
            return None  # a role names the person behind any proper noun; a place alone only a person's name
        place = self.place_for(head) or self.locator.article_country()
        if place is None or not place.country:
            return None
        words = [t for t in np_tokens(head, include_of=False) if t.pos_ == "PROPN" and self.resolver.names.is_person(t)] or [head]
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        name = doc_text(head.doc)[start:end]
        return Actor(name, start, end, name, f"{place.country}CVL", place.country, "CVL")

    def place_for(self, head: Token):
        """Where an unnamed group is: "demonstrators in Baghdad", else the sentence's place."""
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "from", "of", "at"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        place = self.locator.place_of_np(pobj)
                        if place:
                            return place
                        actor = self.resolver.actor(pobj)
                        if actor is not None and actor.country:
                            return Place(actor.name or actor.text, actor.country, None, None, None, "country")
        place = self.locator.locative(head)
        if place is None:
            # the sentence's place, but not where its reporters sit ("officials in Nairobi said")
            skip = {t.i for tok in sentence_of(head) if tok.dep_ in SUBJECT_DEPS and lemma(tok.head) in self.frames.reporting
                    for t in tok.subtree}
            place = self.locator.in_sentence(sentence_of(head), skip=skip)
        if place is None and head.dep_ in SUBJECT_DEPS:
            place = self.locator.in_previous(sentence_of(head))
        return place

    def pronoun(self, token: Token, person: bool) -> Actor | None:
        """The actor a pronoun stands for: a subject before it in the sentence, else in the sentences before."""
        if token.lower_ == "it" and (cause := earlier_subject(token)) is not None and lemma(cause) in self.frames.impersonal_causes:
            return None  # "the virus has infected 200 people and it killed three": no actor
        sent = sentence_of(token)
        mentions = self.resolver.mentions
        def fits(m) -> bool:
            is_person = m.entry.kind == "person"
            where = token.doc[m.end - 1]  # "arrested five men in Nairobi": a place named as where, not who
            located = m.entry.kind in ("seat", "country") and where.dep_ == "pobj" and where.head.lower_ in LOCATIVE_PREPS
            return is_person == person and m.entry.kind != "region" and bool(m.entry.country or m.entry.code) and not located
        if not person and (group := group_subject(self, token)) is not None:
            return group  # "Demonstrators ... to show their disapproval"
        before = [m for m in mentions if sent.start <= m.start < token.i and fits(m)]
        if not before:
            doc = token.doc
            previous = sentence_of(doc[sent.start - 1]) if sent.start > 0 else None
            for _ in range(2):
                if previous is None:
                    break
                before = [m for m in mentions if previous.start <= m.start < previous.end and fits(m)]
                if before:
                    break
                previous = sentence_of(doc[previous.start - 1]) if previous.start > 0 else None
        if not before:
            return self.previous_subject(token) if person else previous_group(self, token)
        def head_of(m) -> Token:
            span = token.doc[m.start:m.end]
            return span.root
        subjects = [m for m in before if head_of(m).dep_ in SUBJECT_DEPS + PASSIVE_SUBJECT_DEPS or head_of(m).head.dep_ in SUBJECT_DEPS]
        chosen = (subjects or before)[-1] if before[0].start >= sent.start else (subjects or before)[0]
        actor = self.resolver.actor(head_of(chosen))
        if actor is None:
            return None
        return said_as(actor, token)

    def previous_subject(self, token: Token) -> Actor | None:
        """ "A Kenyan governor, John Mwangi, appeared in court. He was convicted": a person the actor base
        does not know stands behind "he" when they are the subject of the sentence before (or of this one)."""
        sent = sentence_of(token)
        candidates = [t for t in sent if t.i < token.i]
        if sent.start > 0:
            candidates = [*candidates, *sentence_of(token.doc[sent.start - 1])]
        for subject in candidates:
            if subject.dep_ not in SUBJECT_DEPS + PASSIVE_SUBJECT_DEPS or subject.pos_ == "PRON" or subject.tag_ in ("NNS", "NNPS"):
                continue
            actor = self.actor_of(subject)  # placed like any named group ("the attacker" in a story set in France)
            if actor is None or not actor.country:
                continue
            if self.resolver.names.is_person(subject) or actor.sector in PERSON_SECTORS:
                return said_as(actor, token)
        # then a person named by a role noun as an object earlier in the same sentence ("the video showed a police
        # officer surrounded by protesters; he then drew his pistol"), never a place ("In Washington, he met")
        for person in (t for t in reversed(list(sent)) if t.i < token.i and t.dep_ in ("dobj", "pobj")):
            if person.pos_ != "NOUN" or person.tag_ == "NNS":
                continue
            actor = self.actor_of(person)
            if actor is not None and actor.country and actor.sector in PERSON_SECTORS and actor.sector != "CVL":
                return said_as(actor, token)
        return None

    def inner_actors(self, noun: Token) -> list[tuple[Token, Actor]]:
        """Actors inside a non-actor noun phrase: "the attack by Azerbaijan", "a ceasefire between A and B"."""
        for child in noun.children:
            if child.dep_ == "poss":
                found = self.actors_of(child, look_inside=False)
                if found:
                    return found
        for prep_words in (("by",), INNER_PREPS):
            for child in noun.children:
                if child.dep_ in ("prep", "agent") and child.lower_ in prep_words:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found = self.actors_of(pobj, look_inside=False)
                            found = [(t, a) for t, a in found if a.country or a.code]
                            if found:
                                return found
        owners = [c for c in noun.children if c.dep_ in ("amod", "compound") and c.i in self.resolver.mention_at and c.i < noun.i]
        owners += [g for c in owners for g in c.children if g.dep_ == "conj" and g.i in self.resolver.mention_at]
        found = []  # "Syrian and Iranian military sites", "a Turkish ship": the things of a country stand for it
        for owner in owners:
            actor = self.resolver.actor(owner)
            if actor is not None and actor.country and all(actor.country != a.country for _, a in found):
                found.append((owner, actor))
        return found


def group_subject(reader: ActorReader, token: Token) -> Actor | None:
    """ "Demonstrators in Baghdad blocked a road to show their disapproval": "their" is the plural group the
    sentence is about, before any name inside its phrase ("Baghdad"). Any plural speaker is the "they" of its own
    reported clause: "Police announced they were treating it as a terrorist incident"."""
    for subject in (t for t in sentence_of(token) if t.i < token.i and t.dep_ in ("nsubj", "nsubjpass") and t.tag_ in ("NNS", "NNPS")):
        actor = reader.actor_of(subject)
        own_report = token.dep_ in ("nsubj", "nsubjpass") and token.head.dep_ == "ccomp" and token.head.head == subject.head
        if actor is not None and actor.country and (actor.sector in GROUP_SECTORS or own_report):
            return said_as(actor, token)
    return None


def coordinated_antecedent(reader: ActorReader, token: Token) -> list[tuple[Token, Actor]]:
    """ "Egypt's foreign minister and his Greek, Cypriot and French counterparts gathered in Cairo. The Italian
    minister joined as an observer. They concluded ...": "they" (or "the ministers") is the nearest subject
    that can be plural; a coordination of several countries' actors gives one actor per country. A singular
    subject between is skipped; a plural one that is no coordination is left to the other readings."""
    plural_role = token.tag_ == "NNS" and token.lemma_.lower() in reader.frames.group_roles and token.dep_ in SUBJECT_DEPS \
        and any(c.lower_ == "the" for c in token.children) \
        and all(t.lower_ in reader.frames.group_role_modifiers for t in token.subtree if t != token)  # not "the Kurdish leaders"
    if token.lower_ not in ("they", "them", "their") and not plural_role:
        return []
    sent = sentence_of(token)
    scopes = [t for t in sent if t.i < token.i][::-1]
    previous = sent
    for _ in range(2):
        if previous.start == 0:
            break
        previous = sentence_of(token.doc[previous.start - 1])
        scopes += list(previous)[::-1]
    for subject in (t for t in scopes if t.dep_ in ("nsubj", "nsubjpass")):
        if subject.left_edge.i <= token.i <= subject.right_edge.i:
            continue  # "France and its allies": "its" is read inside its own phrase
        if subject.pos_ == "PRON":  # "They concluded ... They called on ...": the same group, read from the first
            chained = coordinated_antecedent(reader, subject) if subject.lower_ == "they" else []
            return [(token, said_as(a, token)) for _, a in chained]
        coordinated = any(c.dep_ == "conj" or (c.dep_ in ("amod", "compound") and any(g.dep_ == "conj" for g in c.children))
                          for c in subject.children)  # "France and Germany", "Japanese and Korean officials"
        if not coordinated and subject.pos_ == "NOUN" and reader.resolver.actor(subject) is None:
            continue  # "the agreement between Turkey and Libya is null and void": no actor, no antecedent
        if not coordinated and (subject.tag_ == "NN" and subject.lemma_.lower() in reader.frames.individual_roles
                                or subject.tag_ == "NNP" and reader.resolver.names.is_person(subject)):
            continue  # "the Italian minister" is not "they"; "the Taliban", "Russia" may be
        if not coordinated:
            return []
        found = [(t, a) for t, a in reader.actors_of(subject) if a.country]
        objects = [c for c in token.head.children if c.dep_ in ("dobj", "dative")]
        objects += [g for c in objects for g in c.subtree if g.dep_ == "conj"]
        named = {reader.resolver.mention_at[t.i].entry.country for t in objects if t.i in reader.resolver.mention_at}
        if len({a.country for _, a in found}) < 2 or named & {a.country for _, a in found}:
            return []  # "They thanked Paris and Berlin": "they" are others
        return [(token, said_as(a, token)) for _, a in found]
    return []


def previous_group(reader: ActorReader, token: Token) -> Actor | None:
    """ "Police in London said they were ...": the speakers; "Thousands of protesters marched in Paris. They
    demanded ...": the plural group the sentence before was about, when no named actor stands nearer."""
    if token.lower_ not in ("they", "them", "their"):
        return None
    sent = sentence_of(token)
    clause = token.head
    while clause.dep_ in ("ccomp", "conj", "xcomp") and clause.head != clause and lemma(clause.head) not in reader.frames.reporting:
        clause = clause.head
    if clause.dep_ == "ccomp" and lemma(clause.head) in reader.frames.reporting:  # "Police in London said they were ..."
        for speaker in (c for c in clause.head.children if c.dep_ == "nsubj" and c.tag_ in ("NNS", "NNPS") and c.i < token.i):
            actor = reader.actor_of(speaker)
            if actor is not None and actor.country:
                return said_as(actor, token)
    if sent.start == 0:
        return None
    for subject in (t for t in sentence_of(token.doc[sent.start - 1]) if t.dep_ in ("nsubj", "nsubjpass") and t.tag_ in ("NNS", "NNPS")):
        heads = [subject, *(p for c in subject.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj")]
        for head in heads:  # "Thousands of protesters"
            actor = reader.actor_of(head)
            if actor is not None and actor.country and actor.sector in GROUP_SECTORS:
                return said_as(actor, token)
    return None


def listed_members(child: Token, coordinated: list[Token], named: dict) -> list[Token]:
    """The other named members of a list a modifier or owner belongs to: "of Egypt, Jordan and Qatar",
    "Hungarian, Romanian and Polish" (the parser chains some members, `coordinated`, and leaves comma-listed ones
    as siblings)."""
    members = [c for c in coordinated if c.i in named]
    siblings = [c for c in child.head.children if c.i < child.i and c.dep_ == child.dep_ and c.i in named
                and any(p.lower_ == "," for p in c.children)]
    return members + siblings if members else []


def counted_people(head: Token) -> Actor | None:
    """ "twelve were arrested", "dozens were injured": a number standing alone for people is a group of
    civilians (placed like any unnamed group). Only as a subject: "wounded two others" are others of the
    object before them, and "twelve of the soldiers" is read through its of-phrase."""
    if head.dep_ not in ("nsubjpass", "nsubj") or any(c.dep_ == "prep" for c in head.children):
        return None
    if not (head.like_num or head.lower_ in COUNTED_PEOPLE) or is_date_or_quantity(head):
        return None
    start, end = head.left_edge.idx, head.idx + len(head.text)
    return Actor(doc_text(head.doc)[start:end], start, end, None, None, None, "CVL")
