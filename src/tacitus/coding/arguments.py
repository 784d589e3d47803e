"""Arguments of an event: subjects, agents of passives, objects and prepositional targets, implicit targets."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Token

from ..knowledge.actor_resolver import ActorResolver, np_tokens
from ..knowledge.docs import doc_text, sentence_of
from ..knowledge.lexicon import Frames
from ..knowledge.places import LOCATIVE_PREPS, Locator
from ..models import Actor
from .aims import protest_aims
from .coded import Trigger
from .mentions import ActorReader
from .syntax import (
    DOMESTIC_DEFAULTS,
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    SUBJECT_DEPS,
    TARGET_PREPS,
    earlier_subject,
    lemma,
    misparsed_complement,
    stranded_subject,
)


class ArgumentFinder:
    """Sources and targets of a trigger from the parse."""

    def __init__(self, frames: Frames, resolver: ActorResolver, locator: Locator, actors: ActorReader) -> None:
        self.frames = frames
        self.resolver = resolver
        self.locator = locator
        self.actors = actors

    def subject_of(self, verb: Token) -> tuple[list[Token], bool]:
        """Subject heads of a verb and whether it is passive (then they are targets)."""
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS:  # passive when a participle with no auxiliary: "32 soldiers captured in 2020"
                elided = verb.dep_ == "conj" and reduced_passive(verb) and bare_number(child)  # "soldiers were killed and six wounded"
                return (self.subject_of(verb.head)[0] if elided else [child]), reduced_passive(verb)
            if child.dep_ in PASSIVE_SUBJECT_DEPS:
                return [child], True
        if verb.dep_ == "relcl":
            return [verb.head], any(c.dep_ == "auxpass" for c in verb.children)
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            return place_participle_subject(verb, self.locator, self.frames) or [verb.head], True
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
            noun = verb.head
            if noun.dep_ in ("dobj", "attr") and noun.i not in self.resolver.mention_at and noun.head.pos_ == "VERB":
                # "issued a declaration demanding ...": the declaration's issuer demands
                own = self.resolver.actor(noun)
                if own is None or not (own.country or own.code or own.sector) or lemma(noun) in self.frames.state_instruments:
                    return self.subject_of(noun.head)  # "signed a government decree banning ...": the signer bans
            return [noun], False
        if verb.dep_ == "pcomp" and verb.head.lower_ in ("of", "for") and verb.head.head.pos_ == "VERB":
            objects = [c for c in verb.head.head.children if c.dep_ == "dobj"]
            if objects:
                return objects, False
        if (obj := misparsed_complement(verb, self.frames)) is not None:
            return [obj], False  # "ruled the draft violated the constitution": the draft violated it, not the court
        if (stranded := stranded_subject(verb)) is not None:  # "had defeated ISIS and Turkey would be moving into"
            return [stranded], any(c.dep_ == "auxpass" for c in verb.children)
        if verb.dep_ in ("conj", "xcomp", "advcl", "pcomp") and verb.head != verb:
            head = verb.head
            if verb.dep_ == "pcomp":
                head = head.head
            if verb.dep_ == "xcomp" and lemma(head) in self.frames.request | self.frames.causatives:  # "prompting Iraq to recall"
                objects = [c for c in head.children if c.dep_ in ("dobj", "dative")] or [  # "called on Turkey to halt"
                    p for c in head.children if c.dep_ == "prep" and c.lower_ in ("on", "upon") for p in c.children if p.dep_ == "pobj"]
                if objects:
                    return objects, False
            if head.pos_ in ("VERB", "AUX") and head != verb:
                heads, passive = self.subject_of(head)
                if passive and verb.dep_ == "advcl" and not any(c.dep_ == "auxpass" for c in verb.children):
                    # "was attacked by militiamen ..., killing 156": the attackers kill
                    agents = agent_of(head)
                    return (agents, False) if agents else ([], False)
                if verb.dep_ == "conj":  # "attacked the town and were repelled", "were arrested and charged"
                    return heads, any(c.dep_ == "auxpass" for c in verb.children) or (
                        passive and verb.tag_ == "VBN" and not any(c.dep_ == "aux" for c in verb.children))
                reduced = verb.dep_ == "advcl" and verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
                # "appeared in court, charged with murder" (a reduced passive), "died after being shot": done to them
                return heads, reduced or any(c.dep_ == "auxpass" for c in verb.children)
        return [], False

    def impersonal_cause(self, verb: Token) -> bool:
        """The doer is a storm, a disease or an accident ("the earthquake killed 40"): no political event."""
        heads, passive = self.subject_of(verb)
        heads = agent_of(verb) if passive else heads
        heads = [verb.head if h.lower_ in ("which", "that") and verb.dep_ == "relcl" else h for h in heads]  # "a collision which killed"
        heads = [earlier_subject(h) if h.lower_ == "it" else h for h in heads]  # "the virus has spread ... it killed three"
        if any(h is not None and impersonal(h, self.frames) for h in heads):
            return True
        for child in verb.children:  # "were injured in the crash", "were killed when the bomber crashed"
            if child.dep_ == "prep" and child.lower_ in ("in", "during", "after", "from", "by"):
                if any(lemma(p) in self.frames.impersonal_causes and not self.has_doer(p) for p in child.children if p.dep_ == "pobj"):
                    return True
            if child.dep_ == "advcl" and not self.has_doer(child) and (lemma(child) in self.frames.impersonal_causes or any(
                    c.dep_ == "nsubj" and lemma(c) in self.frames.impersonal_causes for c in child.children)):
                return True
        return any(t.pos_ == "VERB" and lemma(t) in self.frames.impersonal_causes and not self.has_doer(t)
                   and any(c.lower_ == "when" for c in t.children) for t in verb.subtree if t != verb)

    def has_doer(self, token: Token) -> bool:
        """An actor is the subject of the clause or on the other side of the noun: "when the Chinese coast guard
        sank their boat", "the collision with an Israeli army jeep" are no accidents."""
        heads = [c for c in token.children if c.dep_ in ("nsubj", "agent")]
        heads += [g for c in token.children if c.dep_ == "prep" and c.lower_ in ("with", "by") for g in c.children if g.dep_ == "pobj"]
        return any(a.country or a.code for h in heads for _, a in self.actors.actors_of(h))

    def clause_subjects(self, token: Token) -> list[tuple[Token, Actor]]:
        """Actors of the clause a verb or noun governs: "demanded that the DPRK forsake ..."."""
        for child in token.children:
            if child.dep_ in ("ccomp", "acl", "xcomp") and child.pos_ in ("VERB", "AUX"):
                heads = [c for c in child.children if c.dep_ in SUBJECT_DEPS + PASSIVE_SUBJECT_DEPS]  # its own, not inherited
                heads = [h for h in heads if h.i != token.i and h not in token.ancestors]
                found = [pair for h in heads for pair in self.actors.actors_of(h)]
                if found:
                    return found
        return []

    def condition_subjects(self, verb: Token) -> list[tuple[Token, Actor]]:
        """Who a condition is put to: "... unless Israel reopens the crossing", "... if the United States goes ahead"."""
        for child in verb.children:
            if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in self.frames.conditionals for m in child.children):
                heads = [c for c in child.children if c.dep_ in SUBJECT_DEPS + PASSIVE_SUBJECT_DEPS]
                found = [pair for h in heads for pair in self.actors.actors_of(h)]
                if found:
                    return found
        return []

    def targets_of(self, verb: Token, exclude: set[int]) -> list[tuple[Token, Actor]]:
        """Objects first, then prepositional phrases; an actor with a country beats one known only by sector."""
        fallback: list[tuple[Token, Actor]] = []
        for head in beyond_borders(self.target_candidates(verb, exclude), self.frames):
            found = self.actors.actors_of(head)
            if any(a.country or a.code for _, a in found):
                return found
            fallback = fallback or found
        return fallback

    def target_candidates(self, verb: Token, exclude: set[int]) -> Iterator[Token]:
        objects = []
        for child in verb.children:
            if child.dep_ in OBJECT_DEPS and child.i in exclude and child.pos_ == "NOUN":
                objects.append(child)  # the trigger's own noun ("recalled its ambassador to Ghana"): only its prepositions
                continue
            if child.dep_ in OBJECT_DEPS and child.i not in exclude:
                if any(g.dep_ == "poss" and g.pos_ == "PRON" for g in child.children) and not any(
                        g.dep_ in ("amod", "compound") and g.i in self.resolver.mention_at for g in child.children):
                    objects.append(child)  # "its troops", but not "his Turkish counterpart"; "its ambassador to Ghana" still has a target
                    continue
                heads = [g for g in child.children if g.dep_ == "pobj"] if child.pos_ == "ADP" else [child]
                yield from heads
                objects.extend(h for h in heads if h.pos_ != "ADP")
        for obj in list(objects):
            objects.extend(c for c in obj.children if c.dep_ == "conj")
        for prep in TARGET_PREPS:
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ == prep and child.i not in exclude:
                    yield from [pobj for pobj in child.children if pobj.dep_ == "pobj"] or orphan_object(child)
                elif child.dep_ == "prep" and child.lower_ in STACKING and child.i not in exclude:
                    yield from stacked_objects(child, prep)  # "pulled out of Armenian territory", "spoke by phone with Ruto"
            for obj in objects:
                for grand in obj.children:
                    if grand.dep_ == "prep" and grand.lower_ == prep:
                        yield from (pobj for pobj in grand.children if pobj.dep_ == "pobj")

    def sources_of(self, verb: Token) -> tuple[list[tuple[Token, Actor]], list[tuple[Token, Actor]]]:
        """(sources, passive targets) of a verb."""
        heads, passive = self.subject_of(verb)
        stative = self.frames.commitments | self.frames.intent_adjectives | self.frames.hypothetical_adjectives | self.frames.stative_passives
        if passive and lemma(verb) in stative and not agent_of(verb):
            passive = False  # "Vietnam is committed to ...": a state of the subject, not something done to it
        if passive:
            agents = agent_of(verb)
            sources = [pair for a in agents for pair in self.actors.actors_of(a)] or operation_doers(self.actors, verb, self.frames)
            return moved_between(self.actors, verb, self.frames, sources, [pair for h in heads for pair in self.actors.actors_of(h)])
        return [pair for h in heads for pair in self.actors.actors_of(h)], []

    def locative_actor(self, token: Token) -> list[tuple[Token, Actor]]:
        """The country of a place as a target: "lifted a curfew in Montenegro", "shelled the city of Kharkiv"."""
        objects = [c for c in token.children if c.dep_ == "dobj"]
        candidates = [*objects]
        for node in (token, *objects):
            for child in node.children:
                if child.dep_ == "prep" and child.lower_ in LOCATIVE_PREPS | {"at"} - {"on"}:
                    candidates.extend(pobj for pobj in child.children if pobj.dep_ == "pobj")
        for head in list(candidates):  # "fired at targets in Qamishli"
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in LOCATIVE_PREPS - {"on"}:
                    candidates.extend(pobj for pobj in child.children if pobj.dep_ == "pobj")
        for head in candidates:
            place = self.locator.place_of_np(head)
            if place is not None and place.country:
                words = [t for t in np_tokens(head) if t.dep_ != "det" or t.i > head.i]
                start, end = words[0].idx, words[-1].idx + len(words[-1].text)
                return [(head, Actor(doc_text(head.doc)[start:end], start, end, place.name, place.country, place.country, None))]
        return []

    def fallback_targets(self, trigger: Trigger, verb: Token, sources) -> list[tuple[Token, Actor]]:
        """No explicit target: the country of a locative phrase, or, for protests, the source's own government."""
        pattern = trigger.pattern
        if len(sources) > 1 and (pattern.head in self.frames.reciprocal or (
                pattern.head in self.frames.joint_verbs and set(pattern.others) & self.frames.reciprocal_objects)):
            return []  # "Chile, Peru and Bolivia met in Lima": each other, not the place (see EventBuilder.base_event)
        locative = pattern.event_type in self.frames.locative_target_types and pattern.head not in self.frames.reciprocal
        if locative or pattern.mode in ("visit", "asylum"):
            found = self.locative_actor(trigger.token) or (self.locative_actor(verb) if verb != trigger.token else [])
            if found:
                return found
        if pattern.event_type == "ASSAULT" and sources and sources[0][1].country:
            story = self.locator.article_country()  # "Turkish airstrikes" in a story set in Syria hit Syria
            if story is not None and story.country and story.country != sources[0][1].country \
                    and self.locator.votes.get(story.country, 0) >= 2 and not self.merely_possible(verb):
                word = trigger.token
                return [(word, Actor(word.text, word.idx, word.idx + len(word.text), story.name, story.country, story.country, None))]
        if pattern.event_type == "PROTEST" and sources:
            aimed = protest_aims(self.actors, self.frames, trigger.token, verb, sources)
            if aimed:
                return aimed
        sector = DOMESTIC_DEFAULTS.get(trigger.pattern.event_type)
        if sector and sources and sources[0][1].country:
            country = sources[0][1].country
            name = f"{country} government" if sector == "GOV" else f"{country} civilians"
            word = trigger.token  # implied, so the evidence is the trigger itself (or its verb, when the
            if any(a.start == word.idx for _, a in sources):  # implied protesters are the trigger: "riots broke out")
                word = verb
            return [(word, Actor(word.text, word.idx, word.idx + len(word.text), name, f"{country}{sector}", country, sector))]
        return []

    def merely_possible(self, verb: Token) -> bool:
        """ "strikes could spill over": a modal of possibility (or "would") makes no attack."""
        return any(c.dep_ == "aux" and c.lower_ in self.frames.hypothetical_modals | {"would"} for c in verb.children)

    def sole_country(self, actor: Actor, verb: Token, other: Actor | None) -> Actor:
        """An office-holder with no country ("Vice-President X") in a sentence that names one country only."""
        countries = {m.entry.country for m in self.resolver.mentions
                     if sentence_of(verb).start <= m.start < sentence_of(verb).end and m.entry.country and m.entry.kind != "region"}
        if other is not None:
            countries.discard(other.country)
        if len(countries) == 1 and not (other is not None and other.country):
            country = countries.pop()
            return replace(actor, country=country, code=f"{country}{actor.sector}")
        return actor

    @staticmethod
    def fill_domestic(source: Actor | None, target: Actor | None, event_type: str = "") -> tuple[Actor | None, Actor | None, bool]:  # noqa: C901
        """A target known only by sector ("the police", "Prime Minister X") is taken to be the source's compatriot;
        whose soldiers or aircraft is not guessed."""
        if source is None or target is None:
            return source, target, False
        domestic_target = target.sector not in (None, "GOV", "IGO", "MIL")
        if source.country is None and source.code is None and source.sector and target.country and (
                source.sector != "GOV" or domestic_target):
            return replace(source, country=target.country, code=f"{target.country}{source.sector}"), target, True
        if not source.country:
            return source, target, False
        if target.country is None and target.code is None and target.sector:
            if target.sector == "MIL":
                return source, target, False  # whose soldiers or aircraft is not to be guessed
            return source, replace(target, country=source.country, code=f"{source.country}{target.sector}"), True
        return source, target, False


def operation_doers(actors: ActorReader, verb: Token, frames: Frames) -> list[tuple[Token, Actor]]:
    """Who did a passive deed done in or during an operation they are named on: "was killed in a US
    counter-terrorism operation", "were wounded in an Israeli airstrike", "during a Syrian army offensive"."""
    operations = [p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("in", "during")
                  for p in c.children if p.dep_ == "pobj" and lemma(p) in frames.operations]
    return [pair for noun in operations for c in noun.children if c.dep_ in ("amod", "compound", "poss", "nmod")
            and any(t.i in actors.resolver.mention_at for t in c.subtree)  # a named doer ("Israeli", "US counter-terrorism"),
            for pair in actors.actors_of(c) if pair[1].country or pair[1].code]  # not a word of the kind ("suspected", "drone")


def moved_between(actors: ActorReader, verb: Token, frames: Frames, sources: list, targets: list) -> tuple[list, list]:
    """A person sent from a state with no doer named: the state sent from does it ("was deported from Egypt"), and
    hands over to the state sent to ("was extradited from Poland to the United States"); else the passive's own
    (sources, targets)."""
    if sources or lemma(verb) not in frames.handovers | frames.expulsions:
        return sources, targets
    ends = {prep: [pair for c in verb.children if c.dep_ == "prep" and c.lower_ == prep for p in c.children
                   if p.dep_ == "pobj" for pair in actors.actors_of(p) if pair[1].country] for prep in ("from", "to")}
    handed = ends["to"] if lemma(verb) in frames.handovers else []
    return (ends["from"], handed or targets) if ends["from"] else (sources, targets)


def objects_named(actors: ActorReader, verb: Token) -> list[tuple[Token, Actor]]:
    """The actors of a verb's direct or indirect object: whom a request or a warning is addressed to."""
    return [pair for c in verb.children if c.dep_ in ("dobj", "dative") for pair in actors.actors_of(c)]


def addressees(actors: ActorReader, verb: Token) -> list[tuple[Token, Actor]]:
    """Whom a warning or threat is addressed to, when a country is named: "warned the United States that ..."."""
    return [pair for pair in objects_named(actors, verb) if pair[1].country or pair[1].code]


def impersonal(token: Token, frames: Frames) -> bool:
    """A storm, a disease or an accident, also when a capitalised plural was read as a name ("Landslides ...")."""
    word = lemma(token)
    return word in frames.impersonal_causes or (token.tag_ in ("NNS", "NNPS", "NNP") and word.endswith("s")
                                                and word[:-1] in frames.impersonal_causes)


def beyond_borders(heads: Iterator[Token], frames: Frames) -> Iterator[Token]:
    """A border is with the country across it, which comes first: "sent troops to its border with Belarus"."""
    for head in heads:
        if lemma(head) in frames.border_nouns:
            yield from (p for c in head.children if c.dep_ == "prep" and c.lower_ == "with" for p in c.children if p.dep_ == "pobj")
        yield head


STACKING = ("out", "away", "by", "over", "via")  # particles and means a target's preposition can stack on


def stacked_objects(particle: Token, prep: str) -> list[Token]:
    """The objects of a preposition stacked on a particle ("out of", "away from") or on the means of a
    conversation ("spoke by phone with Ruto", "over a video link with the Kenyan president")."""
    hosts = [particle] if particle.lower_ in ("out", "away") else (
        [p for p in particle.children if p.dep_ == "pobj"] if prep in ("with", "to") else [])
    return [pobj for host in hosts for inner in host.children if inner.dep_ == "prep" and inner.lower_ == prep
            for pobj in inner.children if pobj.dep_ == "pobj"]


def place_participle_subject(verb: Token, locator: Locator, frames: Frames) -> list[Token]:
    """ "A man appeared in court in Christchurch, charged with murder": an arrest or a charge after a comma that
    the parser hung on a place is said of its clause's subject, the man, not of the town (a town can be
    "captured" or "bombed", so only the acts of police and courts)."""
    noun = verb.head
    if noun.i not in locator.at or verb.i == 0 or verb.doc[verb.i - 1].text != "," or lemma(verb) not in frames.state_acts:
        return []
    clause = noun
    while clause.dep_ in ("pobj", "prep", "appos") and clause.head != clause:
        clause = clause.head
    return [c for c in clause.children if c.dep_ == "nsubj"] if clause.pos_ in ("VERB", "AUX") else []


def bare_number(token: Token) -> bool:
    """ "six", "12 others": a number standing for a noun said before it."""
    return (token.like_num and not any(c.dep_ in ("compound", "amod") for c in token.children)) or (
        token.lower_ == "others" and all(c.like_num for c in token.children))


def reduced_passive(verb: Token) -> bool:
    """A past participle the parser gave a subject inside another clause, with no auxiliary: the "subject" is what
    the participle was done to ("handed back 32 soldiers captured in 2020", "two were killed and three wounded")."""
    if verb.tag_ != "VBN" or any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    if verb.dep_ == "conj":  # "two were killed and three wounded": the auxiliary of the first serves both
        return any(c.dep_ == "auxpass" for c in verb.head.children) and not any(c.dep_ == "dobj" for c in verb.children)
    return verb.dep_ in ("ccomp", "advcl", "xcomp")


def orphan_object(prep: Token) -> list[Token]:
    """ "granted asylum to five officers holed up in the embassy": the parser may make the preposition's noun
    the subject of the participle after it, leaving the preposition empty; that subject is its object."""
    return [g for clause in prep.head.children if clause.dep_ in ("advcl", "ccomp", "conj") and clause.i > prep.i
            for g in clause.children if g.dep_ == "nsubj" and g.left_edge.i == prep.i + 1]


def agent_of(verb: Token) -> list[Token]:
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            found = [g for g in child.children if g.dep_ == "pobj"]
            for conj in child.children:
                if conj.dep_ == "conj" and conj.lower_ == "by":
                    found.extend(g for g in conj.children if g.dep_ == "pobj")
            for sibling in child.head.children:
                if sibling.dep_ == "conj" and sibling.lower_ == "by" and sibling != child:
                    found.extend(g for g in sibling.children if g.dep_ == "pobj")
            if found:
                return found
    return []
