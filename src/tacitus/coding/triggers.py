"""Trigger finding: verbs, verb + particle/object patterns, event nouns, light verbs ("launched an attack")."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from ..knowledge.dates import MONTHS, WEEKDAYS
from ..knowledge.guards import Guards, load_guards
from ..knowledge.lexicon import Frames, TriggerIndex, TriggerPattern
from ..knowledge.names import in_proper_name, named_by_places
from .coded import Trigger
from .syntax import (
    _dependents,
    _modifiers,
    lemma,
)

WEAPON_STRIKE = TriggerPattern("noun", ("weapon",), "weapon", (), "ASSAULT", None, "190", 0.6, None, 0)
SYMPATHY = TriggerPattern("noun", ("sympathy",), "sympathy", (), "SUPPORT", None, "018", 0.9, None, 0)
CONVERSATION = TriggerPattern("noun", ("call",), "call", (), "CONSULT", "phone", "041", 0.7, None, 0)
LAUNCH_AGAINST = TriggerPattern("verb", ("launch", "against"), "launch", ("against",), "ASSAULT", None, "190", 0.6, None, 0)


class TriggerFinder:
    """Matches trigger patterns of triggers.tsv on the parse."""

    def __init__(self, index: TriggerIndex, frames: Frames, guards: Guards | None = None) -> None:
        self.index = index
        self.frames = frames
        self.guards = guards or load_guards()

    def verb_trigger(self, token: Token) -> Trigger | None:
        if token.pos_ not in ("VERB", "AUX") and not (token.pos_ == "NOUN" and token.dep_ == "ROOT" and token.tag_.startswith("VB")):
            return None
        patterns = self.index.verbs.get(lemma(token))
        if not patterns:
            return self.crowd_moving(token)
        deps = _dependents(token)
        for pattern in patterns:
            if all(word in deps and self.fits(deps[word], pattern) for word in pattern.others):
                if self.non_political(token, verb=True, own=pattern.others):
                    return None
                return Trigger(pattern, token, (token, *(deps[w] for w in pattern.others)))
        return self.crowd_moving(token)

    def crowd_moving(self, verb: Token) -> Trigger | None:
        """ "Protesters gathered outside parliament", "demonstrators converged on the square": a protesting crowd
        that assembles or occupies is protesting, whatever the verb."""
        if lemma(verb) not in self.frames.crowd_verbs:
            return None
        holder = verb
        while holder.dep_ in ("conj", "xcomp", "advcl") and holder.head.i != holder.i and not any(
                c.dep_ == "nsubj" for c in holder.children):
            holder = holder.head  # "protesters marched and gathered", "protesters tried to surround"
        if any(c.dep_ == "dobj" for c in verb.children) and lemma(verb) not in self.frames.occupying:
            return None  # "activists carried out a survey", "demonstrators waved flags": not assembling
        subjects = [c for c in holder.children if c.dep_ == "nsubj"]
        subjects += [p for c in subjects for g in c.children if g.dep_ == "prep" and g.lower_ == "of"
                     for p in g.children if p.dep_ == "pobj"]  # "thousands of protesters"
        if not any(lemma(s) in self.frames.protest_groups for s in subjects):
            return None
        pattern = TriggerPattern("verb", (lemma(verb),), lemma(verb), (), "PROTEST", "demonstrate", "141", 0.6, None, 0)
        return Trigger(pattern, verb, (verb,))

    def non_political(self, token: Token, verb: bool, own: Iterable[str] = ()) -> bool:
        """The trigger word in a non-political sense, by its subject, object or other dependents (nonpolitical.tsv).
        `own`: the other words of the pattern matched, which no guard blocks: "commit genocide" was written for the
        sense that the guard on "commit" with "genocide" keeps from "commit" alone (AGREE)."""
        subjects: set[str] = set()
        objects: set[str] = set()
        others: set[str] = set()
        for child in token.children:
            others.add(lemma(child))
            if child.dep_ in ("nsubj", "poss"):
                subjects.add(lemma(child))
            elif child.dep_ in ("dobj", "nsubjpass"):
                objects.add(lemma(child))
            elif child.dep_ in ("prep", "agent"):
                pobjs = {lemma(g) for g in child.children if g.dep_ == "pobj"}
                others |= pobjs
                if child.dep_ == "agent" or child.lower_ == "by":
                    subjects |= pobjs
                elif not verb and child.lower_ == "of":
                    objects |= pobjs
        if verb and token.dep_ == "acl" and token.tag_ == "VBN":
            objects.add(lemma(token.head))  # "death tolls provided by officials": a passive participle's noun is its object
        elif verb and token.dep_ in ("relcl", "acl") and not subjects:
            subjects.add(lemma(token.head))  # "the storm that hit the coast"
        word = lemma(token)
        if own:
            subjects, objects, others = subjects.difference(own), objects.difference(own), others.difference(own)
        return (self.guards.blocks(word, "subject", subjects) or self.guards.blocks(word, "object", objects)
                or self.guards.blocks(word, "any", others))

    def fits(self, word: Token, pattern: TriggerPattern) -> bool:
        """A pattern's noun is the verb's object, not any noun of a phrase on it: "take territory" is not
        "take action on its territory"; a prepositional object counts when the pattern names its preposition."""
        if word.dep_ in ("aux", "mark") or word.dep_ == "nsubj" and not any(
                c.dep_ == "relcl" and any(g.dep_ in ("dobj", "nsubjpass") and g.lower_ in ("which", "that") for g in c.children)
                for c in word.children):  # but "the measures, which the government dropped, ..." names what was dropped
            return False  # the infinitive's "to" is no preposition; an active subject is no object (a passive one is)
        if word.dep_ == "xcomp" and word.pos_ == "VERB":
            return False  # "offered to help Morocco" is no "offer help": the framed clause says whom (frames.py)
        if word.lower_ == "on" and any(c.dep_ == "pobj" and c.lower_ in TIME_WORDS for c in word.children):
            return False  # "called his counterpart on Monday" is no "call on": a date is no one called upon
        if particle_with_object(word, pattern):
            return False  # "gave $50 million in aid to Sudan" is no "give in to": a particle has no object of its own
        if word.dep_ == "prep" and word.head.pos_ in ("NOUN", "PROPN") and lemma(word.head) not in pattern.others \
                and (any(c.dep_ in ("oprd", "acomp") for c in word.head.head.children)
                     or any(c.dep_ == "appos" and c.i > word.i for c in word.head.children)):  # the complement, misparsed
            return False  # "called Hamas's attack on Israel heroic" is no "call on": the attack's preposition
        return word.dep_ != "pobj" or lemma(word.head) in pattern.others or (
            word.head.lower_ == "of" and lemma(word.head.head) in self.frames.measure_nouns)  # "a shipment of weapons"

    def noun_trigger(self, token: Token) -> Trigger | None:
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        patterns = self.index.nouns.get(lemma(token)) or self.index.nouns.get(token.lower_)
        if not patterns:
            return self.carried_trigger(token) or self.weapon_strike(token) or self.sympathy(token)
        sympathy = self.sympathy(token)  # "our condolences are with Japan": said, as much as "expressed"
        if sympathy is not None:
            return sympathy
        if lemma(token) in self.frames.conversations and {c.lower_ for c in token.children if c.dep_ == "prep"} & {"with", "from"}:
            return Trigger(CONVERSATION, token, (token,))  # "in a call with his Iranian counterpart": no call for anything
        if token.pos_ == "PROPN" and in_proper_name(token) and not named_by_places(token):
            return None  # "March 2011", "National Rally", "Amnesty International": names, not events
        mods = _modifiers(token)
        for pattern in patterns:
            if all(word in mods for word in pattern.others):
                if self.non_political(token, verb=False, own=pattern.others):
                    return None
                if not pattern.others and (strike := self.weapon_strike(token)) is not None:
                    return strike  # "a bomb went off": what the weapon did says more than the word alone
                return Trigger(pattern, token, (*(mods[w] for w in pattern.others), token))
        return self.carried_trigger(token)

    def weapon_strike(self, token: Token) -> Trigger | None:
        """ "Seventeen rockets struck near the base", "three mortar shells landed in the Green Zone", "a bomb went
        off at a market": a weapon that hits, lands or explodes somewhere is an attack (CAMEO 190), no doer named."""
        verb = token.head  # "went off", "blew up": a phrasal verb by its particle
        said = {lemma(verb)} | {f"{lemma(verb)} {c.lower_}" for c in verb.children if c.dep_ == "prt"}
        hit = lemma(token) in self.frames.weapons and said & self.frames.weapon_verbs
        exploded = lemma(token) in self.frames.explosives and said & self.frames.explosion_verbs
        if token.dep_ != "nsubj" or not (hit or exploded):
            return None
        return Trigger(WEAPON_STRIKE, token, (token,))

    def sympathy(self, token: Token) -> Trigger | None:
        """ "Our thoughts are with the victims", "his heart went out to the families": sympathy said through the
        subject of "be" or "go" with "with" or "to" (CAMEO 018); the object of the preposition is its target."""
        objects = [p for c in sympathy_preps(token, self.frames) or () for p in c.children if p.dep_ == "pobj"]
        if not any(p.pos_ == "PROPN" or lemma(p) in self.frames.sympathy_objects for p in objects):
            return None  # not "his thoughts are with his ailing mother"
        return Trigger(SYMPATHY, token, (token,))

    def carried_trigger(self, token: Token) -> Trigger | None:
        """ "mediation efforts", "a bombing campaign": an event noun as the modifier of a carrier noun."""
        if lemma(token) not in self.frames.carrier_nouns:
            return None
        for child in token.children:
            if child.dep_ in ("compound", "amod", "nmod") and child.i < token.i:
                for pattern in self.index.nouns.get(lemma(child), ()):
                    if not pattern.others:
                        return Trigger(pattern, token, (child, token))
        return None

    def light_trigger(self, verb: Token) -> Trigger | None:
        """A light verb whose object noun is a trigger: "voiced support", "launched an attack"."""
        if lemma(verb) == "be":
            return self.done_by_subject(verb)
        if lemma(verb) not in self.frames.light:
            return None
        for child in verb.children:
            if child.dep_ in ("dobj", "attr") or (child.dep_ == "prep" and child.lower_ in ("in", "into")) \
                    or (child.dep_ == "prep" and child.lower_ == "with" and lemma(verb) in self.frames.light_with):
                noun = child if child.dep_ != "prep" else next((g for g in child.children if g.dep_ == "pobj"), None)
                if noun is not None:
                    found = self.noun_trigger(noun)
                    if found:
                        return Trigger(found.pattern, noun, (verb, *found.tokens))
        return self.launched_against(verb)

    def done_by_subject(self, verb: Token) -> Trigger | None:
        """ "Russia was behind the poisoning", "the forces were responsible for the deaths": the subject did the
        violent or coercive deed named (frames doer_preps, doer_adjectives)."""
        preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ in self.frames.doer_preps]  # "behind"
        preps += [g for c in verb.children if c.dep_ == "acomp" and lemma(c) in self.frames.doer_adjectives
                  for g in c.children if g.dep_ == "prep" and g.lower_ == "for"]  # "responsible for"
        for noun in (g for prep in preps for g in prep.children if g.dep_ == "pobj"):
            found = self.noun_trigger(noun)
            if found is not None and found.pattern.event_type in ("ASSAULT", "COERCE"):
                return Trigger(found.pattern, noun, (verb, *found.tokens))
        return None

    def launched_against(self, verb: Token) -> Trigger | None:
        """ "launched what it described as 'counter-terrorism measures' against Nagorno-Karabakh": whatever is
        launched or mounted against someone is an attack, seen through "what X called Y"."""
        if lemma(verb) not in self.frames.launch:
            return None
        objects = [c for c in verb.children if c.dep_ == "dobj" and c.lower_ != "what"]
        for clause in (c for c in verb.children if c.dep_ == "ccomp" and any(g.lower_ == "what" for g in c.children)):
            objects += [g for prep in clause.children if prep.dep_ == "prep" and prep.lower_ == "as"
                        for g in prep.children if g.dep_ == "pobj"]
            objects += [g for g in clause.children if g.dep_ in ("oprd", "attr", "dobj", "ccomp", "xcomp") and g.lower_ != "what"]
        for noun in objects:
            against = [c for c in (*noun.children, *verb.children) if c.dep_ == "prep" and c.lower_ == "against"]
            if against:
                return Trigger(LAUNCH_AGAINST, noun, (verb, noun, against[0]))
        return None

    def inner_event(self, clause: Token, depth: int = 0) -> Trigger | None:
        """The event a framed clause describes, seeing through "continue", light verbs, objects."""
        if depth > 3:
            return None
        verb_own = self.verb_trigger(clause)
        found = verb_own if verb_own is not None and verb_own.pattern.others else (self.light_trigger(clause) or verb_own)
        if found:
            return found
        if lemma(clause) in self.frames.transparent | self.frames.light:
            for child in clause.children:
                if child.dep_ == "xcomp":
                    inner = self.inner_event(child, depth + 1)
                    if inner:
                        return inner
                if child.dep_ == "dobj":
                    inner = self.noun_trigger(child)
                    if inner:
                        return Trigger(inner.pattern, child, (clause, *inner.tokens))
        return None


def sympathy_preps(noun: Token, frames: Frames) -> list[Token] | None:
    """The "with" or "to" of "<noun> is with X", "<noun> goes out to X" when `noun` is a sympathy subject of
    such a verb (a list, maybe empty); None for any other noun."""
    if lemma(noun) not in frames.sympathy_subjects:
        return None
    subject = noun.head if noun.dep_ == "conj" and noun.head.dep_ == "nsubj" else noun  # "thoughts and prayers"
    if subject.dep_ != "nsubj" or lemma(subject.head) not in frames.sympathy_verbs:
        return None
    return [c for c in subject.head.children if c.dep_ == "prep" and c.lower_ in ("with", "to")]


TIME_WORDS = frozenset(WEEKDAYS) | frozenset(MONTHS) | {"day", "night", "weekend", "morning", "evening", "afternoon", "date"}
PARTICLES = frozenset({"in", "up", "out", "off", "down", "back", "away", "over"})
PREPOSITIONS = frozenset({"to", "on", "of", "from", "with", "for", "against", "into", "at"})


def particle_with_object(word: Token, pattern: TriggerPattern) -> bool:
    """A pattern's particle ("give in", "give in to") met as a preposition with an object of its own ("in aid")."""
    if word.lower_ not in PARTICLES or word.lower_ not in pattern.others or not any(c.dep_ == "pobj" for c in word.children):
        return False
    after = pattern.others[pattern.others.index(word.lower_) + 1:]
    return not after or after[0] in PREPOSITIONS
