"""The event coder: (source, event, target) from a parsed sentence.

Triggers come from triggers.tsv (verbs, verb + particle/object, nouns);
frames.yaml says which verbs frame another event (reporting, intending,
threatening, requesting, refusing). Actors come from the ActorResolver.
The coder returns `CodedEvent`s; the pipeline adds place, date and ids.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from .actors import ActorResolver
from .geo import Locator
from .lexicon import (
    COOPERATIVE_TYPES,
    HOSTILE_TYPES,
    Frames,
    TriggerIndex,
    TriggerPattern,
)
from .models import Actor
from .nlp import doc_text, sentence_of

SUBJECT_DEPS = ("nsubj", "csubj")
PASSIVE_SUBJECT_DEPS = ("nsubjpass", "csubjpass")
OBJECT_DEPS = ("dobj", "dative", "iobj", "attr", "oprd")
TARGET_PREPS = ("against", "with", "to", "on", "upon", "at", "toward", "towards", "from", "for", "into", "between", "over", "of")
INNER_PREPS = ("between", "against", "on", "with", "to", "for", "of", "toward", "towards", "into", "from")
CIVILIAN_SECTORS = frozenset({"CVL", "OPP", "EDU", "LAB", "AGR", "REF", "JRN", "REL", "MED", "NGO"})
OWN_FORCE_TYPES = frozenset({"MOBILIZE", "SANCTION", "AID", "RETREAT", "COOPERATE", "AGREE", "THREATEN"})
DOMESTIC_DEFAULTS = {"PROTEST": "GOV", "COERCE": "CVL"}  # implicit target sector when none is named


@dataclass(frozen=True)
class Trigger:
    """A matched trigger: its pattern and the tokens that carry it."""

    pattern: TriggerPattern
    token: Token
    tokens: tuple[Token, ...]


@dataclass
class CodedEvent:
    """An event before place, date and ids are attached."""

    source: Actor | None
    target: Actor | None
    event_type: str
    mode: str | None
    cameo: str
    trigger: tuple[Token, ...]
    anchor: Token  # the verb whose clause carries the event (for place and date)
    polarity: str = "affirmed"
    modality: str = "actual"
    intended_type: str | None = None
    attributed_to: Actor | None = None
    confidence: float = 0.5
    rule: str = ""


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _dependents(token: Token) -> dict[str, Token]:
    """Lemmas a multi-word pattern may need: particles, objects, preps and their objects."""
    found: dict[str, Token] = {}
    for child in token.children:
        found.setdefault(_lemma(child), child)
        if child.dep_ in ("prep", "dobj", "prt", "dative", "attr", "agent", "advmod"):
            for grand in child.children:
                if grand.dep_ in ("pobj", "compound", "amod", "prep", "dobj", "conj"):
                    found.setdefault(_lemma(grand), grand)
                    if grand.dep_ == "conj":  # "launched artillery, mortar and rocket fire"
                        for conj in grand.children:
                            if conj.dep_ == "conj":
                                found.setdefault(_lemma(conj), conj)
    return found


def _modifiers(token: Token) -> dict[str, Token]:
    return {_lemma(c): c for c in token.children if c.dep_ in ("compound", "amod", "nmod")}


class Coder:
    """Codes the sentences of one parsed article."""

    def __init__(self, triggers: TriggerIndex, frames: Frames, resolver: ActorResolver, locator: Locator) -> None:
        self.triggers = triggers
        self.frames = frames
        self.resolver = resolver
        self.locator = locator

    # -- triggers -------------------------------------------------------
    def verb_trigger(self, token: Token) -> Trigger | None:
        if token.pos_ not in ("VERB", "AUX") and not (token.pos_ == "NOUN" and token.dep_ == "ROOT" and token.tag_.startswith("VB")):
            return None
        patterns = self.triggers.verbs.get(_lemma(token))
        if not patterns:
            return None
        deps = _dependents(token)
        for pattern in patterns:
            if all(word in deps for word in pattern.others):
                return Trigger(pattern, token, (token, *(deps[w] for w in pattern.others)))
        return None

    def noun_trigger(self, token: Token) -> Trigger | None:
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        patterns = self.triggers.nouns.get(_lemma(token)) or self.triggers.nouns.get(token.lower_)
        if not patterns:
            return None
        mods = _modifiers(token)
        for pattern in patterns:
            if all(word in mods for word in pattern.others):
                return Trigger(pattern, token, (*(mods[w] for w in pattern.others), token))
        return None

    def light_trigger(self, verb: Token) -> Trigger | None:
        """A light verb whose object noun is a trigger: "voiced support", "launched an attack"."""
        if _lemma(verb) not in self.frames.light:
            return None
        for child in verb.children:
            if child.dep_ in ("dobj", "attr") or (child.dep_ == "prep" and child.lower_ in ("in", "into")):
                noun = child if child.dep_ != "prep" else next((g for g in child.children if g.dep_ == "pobj"), None)
                if noun is not None:
                    found = self.noun_trigger(noun)
                    if found:
                        return Trigger(found.pattern, noun, (verb, *found.tokens))
        return None

    # -- arguments --------------------------------------------------------
    def subject_of(self, verb: Token) -> tuple[list[Token], bool]:
        """Subject heads of a verb and whether it is passive (then they are targets)."""
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS:
                return [child], False
            if child.dep_ in PASSIVE_SUBJECT_DEPS:
                return [child], True
        if verb.dep_ == "relcl":
            return [verb.head], any(c.dep_ == "auxpass" for c in verb.children)
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            return [verb.head], True
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN"):
            noun = verb.head
            if noun.dep_ in ("dobj", "attr") and noun.i not in self.resolver.mention_at and noun.head.pos_ == "VERB":
                # "issued a declaration demanding ...": the declaration's issuer demands
                own = self.resolver.actor(noun)
                if own is None or not (own.country or own.code or own.sector):
                    return self.subject_of(noun.head)
            return [noun], False
        if verb.dep_ == "pcomp" and verb.head.lower_ in ("of", "for") and verb.head.head.pos_ == "VERB":
            objects = [c for c in verb.head.head.children if c.dep_ == "dobj"]
            if objects:
                return objects, False
        if verb.dep_ in ("conj", "xcomp", "advcl", "pcomp") and verb.head is not verb:
            head = verb.head
            if verb.dep_ == "pcomp":
                head = head.head
            if verb.dep_ == "xcomp" and _lemma(head) in self.frames.request:
                objects = [c for c in head.children if c.dep_ in ("dobj", "dative")]
                if objects:
                    return objects, False
            if head.pos_ in ("VERB", "AUX") and head is not verb:
                heads, passive = self.subject_of(head)
                if passive and verb.dep_ == "advcl" and not any(c.dep_ == "auxpass" for c in verb.children):
                    # "was attacked by militiamen ..., killing 156": the attackers kill
                    agents = self.agent_of(head)
                    return (agents, False) if agents else ([], False)
                if verb.dep_ == "conj":
                    return heads, passive and any(c.dep_ == "auxpass" for c in verb.children)
                return heads, False
        return [], False

    def agent_of(self, verb: Token) -> list[Token]:
        for child in verb.children:
            if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
                found = [g for g in child.children if g.dep_ == "pobj"]
                for conj in child.children:
                    if conj.dep_ == "conj" and conj.lower_ == "by":
                        found.extend(g for g in conj.children if g.dep_ == "pobj")
                for sibling in child.head.children:
                    if sibling.dep_ == "conj" and sibling.lower_ == "by" and sibling is not child:
                        found.extend(g for g in sibling.children if g.dep_ == "pobj")
                if found:
                    return found
        return []

    def expand(self, head: Token) -> list[Token]:
        """A head and the heads coordinated or in apposition with it."""
        heads = [head]
        for child in head.children:
            if (child.dep_ == "conj" and child.pos_ in ("NOUN", "PROPN", "PRON", "ADJ")) or (child.dep_ == "appos" and child.pos_ == "PROPN"):
                heads.extend(self.expand(child))
        return heads

    def actors_of(self, head: Token, look_inside: bool = True) -> list[tuple[Token, Actor]]:
        """The actors an argument names, one per coordinated member."""
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
        unique: list[tuple[Token, Actor]] = []
        for token, actor in found:
            if not any(a.code == actor.code and a.code and (a.start <= actor.start < a.end or t.dep_ == "appos" or token.dep_ == "appos") for t, a in unique):
                unique.append((token, actor))
        return unique

    def coordinated_modifiers(self, head: Token, actor: Actor) -> list[Actor]:
        """ "Hungarian and Romanian officials": one actor per coordinated modifier."""
        from .actors import np_tokens

        result = [actor]
        for child in np_tokens(head):
            if child.dep_ in ("amod", "compound", "nmod") and child.i in self.resolver.mention_at:
                for conj in child.children:
                    if conj.dep_ == "conj" and conj.i in self.resolver.mention_at:
                        mention = self.resolver.mention_at[conj.i]
                        code, country, _ = mention.entry.at(self.resolver.date)
                        if country and country != actor.country:
                            sector = actor.sector
                            result.append(replace(actor, text=conj.text, start=conj.idx, end=conj.idx + len(conj.text),
                                                  name=mention.entry.name, country=country,
                                                  code=f"{country}{sector}" if sector else code))
        return result

    def actor_of(self, head: Token) -> Actor | None:
        if head.pos_ == "PRON" or head.lower_ in self.frames.person_pronouns | self.frames.group_pronouns:
            if head.lower_ in ("who", "which", "that") and head.head.dep_ == "relcl":
                return self.actor_of(head.head.head)
            person = head.lower_ in self.frames.person_pronouns
            if head.lower_ in self.frames.person_pronouns | self.frames.group_pronouns:
                return self.pronoun(head, person)
            return None
        actor = self.resolver.actor(head)
        if actor is not None and any(c.lower_ == "ethnic" for c in head.children) and head.i in self.resolver.mention_at:
            # "ethnic Albanians" near Macedonia's border are Macedonia's Albanians
            place = self.locator.in_sentence(sentence_of(head), skip=set(range(head.left_edge.i, head.i + 1)))
            if place is not None and place.country and place.country != actor.country:
                actor = replace(actor, country=place.country, code=place.country, name=f"ethnic group in {place.name}")
        if actor is not None and actor.country is None and actor.code is None and actor.sector:
            place = self.place_for(head)
            if place is not None and place.country:
                actor = replace(actor, country=place.country, code=f"{place.country}{actor.sector}")
        return actor

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
                            from .geo import Place
                            return Place(actor.name or actor.text, actor.country, None, None, None, "country")
        place = self.locator.locative(head)
        if place is None:
            # the sentence's place, but not where its reporters sit ("officials in Nairobi said")
            skip = {t.i for tok in sentence_of(head) if tok.dep_ in SUBJECT_DEPS and _lemma(tok.head) in self.frames.reporting
                    for t in tok.subtree}
            place = self.locator.in_sentence(sentence_of(head), skip=skip)
        if place is None and head.dep_ in SUBJECT_DEPS:
            place = self.locator.in_previous(sentence_of(head))
        return place

    def pronoun(self, token: Token, person: bool) -> Actor | None:
        """The actor a pronoun stands for: a subject before it in the sentence, else in the sentences before."""
        sent = sentence_of(token)
        mentions = self.resolver.mentions
        def fits(m) -> bool:
            is_person = m.entry.kind == "person"
            return is_person == person and m.entry.kind != "region" and bool(m.entry.country or m.entry.code)
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
            return None
        def head_of(m) -> Token:
            span = token.doc[m.start:m.end]
            return span.root
        subjects = [m for m in before if head_of(m).dep_ in SUBJECT_DEPS + PASSIVE_SUBJECT_DEPS or head_of(m).head.dep_ in SUBJECT_DEPS]
        chosen = (subjects or before)[-1] if before[0].start >= sent.start else (subjects or before)[0]
        actor = self.resolver.actor(head_of(chosen))
        if actor is None:
            return None
        return replace(actor, text=token.text, start=token.idx, end=token.idx + len(token.text))

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
        return []

    def clause_subjects(self, token: Token) -> list[tuple[Token, Actor]]:
        """Actors of the clause a verb or noun governs: "demanded that the DPRK forsake ..."."""
        for child in token.children:
            if child.dep_ in ("ccomp", "acl", "xcomp") and child.pos_ in ("VERB", "AUX"):
                heads, _ = self.subject_of(child)
                heads = [h for h in heads if h.i != token.i and h not in token.ancestors]
                found = [pair for h in heads for pair in self.actors_of(h)]
                if found:
                    return found
        return []

    def targets_of(self, verb: Token, exclude: set[int]) -> list[tuple[Token, Actor]]:
        """Objects first, then prepositional phrases; an actor with a country beats one known only by sector."""
        fallback: list[tuple[Token, Actor]] = []
        for head in self.target_candidates(verb, exclude):
            found = self.actors_of(head)
            if any(a.country or a.code for _, a in found):
                return found
            fallback = fallback or found
        return fallback

    def target_candidates(self, verb: Token, exclude: set[int]) -> Iterator[Token]:
        objects = []
        for child in verb.children:
            if child.dep_ in OBJECT_DEPS and child.i not in exclude:
                if any(g.dep_ == "poss" and g.pos_ == "PRON" for g in child.children):
                    continue
                heads = [g for g in child.children if g.dep_ == "pobj"] if child.pos_ == "ADP" else [child]
                yield from heads
                objects.extend(h for h in heads if h.pos_ != "ADP")
        for obj in list(objects):
            objects.extend(c for c in obj.children if c.dep_ == "conj")
        for prep in TARGET_PREPS:
            for child in verb.children:
                if child.dep_ == "prep" and child.lower_ == prep and child.i not in exclude:
                    yield from (pobj for pobj in child.children if pobj.dep_ == "pobj")
            for obj in objects:
                for grand in obj.children:
                    if grand.dep_ == "prep" and grand.lower_ == prep:
                        yield from (pobj for pobj in grand.children if pobj.dep_ == "pobj")

    def sources_of(self, verb: Token) -> tuple[list[tuple[Token, Actor]], list[tuple[Token, Actor]]]:
        """(sources, passive targets) of a verb."""
        heads, passive = self.subject_of(verb)
        stative = self.frames.commitments | self.frames.intent_adjectives | self.frames.stative_passives
        if passive and _lemma(verb) in stative and not self.agent_of(verb):
            passive = False  # "Vietnam is committed to ...": a state of the subject, not something done to it
        if passive:
            agents = self.agent_of(verb)
            sources = [pair for a in agents for pair in self.actors_of(a)]
            targets = [pair for h in heads for pair in self.actors_of(h)]
            return sources, targets
        return [pair for h in heads for pair in self.actors_of(h)], []

    def locative_actor(self, token: Token) -> list[tuple[Token, Actor]]:
        """The country of a locative phrase on `token`, as a target: "lifted a curfew in Montenegro"."""
        from .geo import LOCATIVE_PREPS

        for node in (token, *[c for c in token.children if c.dep_ == "dobj"]):
            for child in node.children:
                if child.dep_ == "prep" and child.lower_ in LOCATIVE_PREPS - {"on"}:
                    for pobj in child.children:
                        if pobj.dep_ != "pobj":
                            continue
                        place = self.locator.place_of_np(pobj)
                        if place is not None and place.country:
                            from .actors import np_tokens

                            words = [t for t in np_tokens(pobj) if t.dep_ != "det" or t.i > pobj.i]
                            start, end = words[0].idx, words[-1].idx + len(words[-1].text)
                            actor = Actor(doc_text(pobj.doc)[start:end], start, end, place.name,
                                          place.country, place.country, None)
                            return [(pobj, actor)]
        return []

    def clause_weight(self, token: Token) -> float:
        """1 for the main assertion of a sentence, less for subordinate and relative clauses."""
        weight = 1.0
        current = token
        for _ in range(8):
            dep = current.dep_
            if dep == "ROOT" or current.head is current:
                return weight
            head = current.head
            if dep in ("ccomp", "parataxis") and (_lemma(head) in self.frames.reporting or self.frame_kind(head)):
                current = head
                continue
            if dep == "xcomp" and not self.frame_kind(head) and any(c.dep_ in ("dobj", "dative") for c in head.children):
                weight *= 0.75  # purpose: "summoned the ambassador to complain"
                current = head
                continue
            if dep in ("xcomp", "conj"):
                current = head
                continue
            if dep in ("advcl", "relcl", "acl", "pcomp", "csubj"):
                weight *= 0.75
            elif dep in ("pobj", "prep"):
                if dep == "prep" and current.lower_ in ("after", "since", "before", "following", "during", "until", "amid", "despite"):
                    weight *= 0.6
            elif dep in ("dobj", "nsubj", "nsubjpass", "attr") and current.pos_ in ("NOUN", "PROPN"):
                weight *= 0.85
            current = head
        return weight

    # -- context ------------------------------------------------------------
    def negated(self, verb: Token) -> bool:
        return any(c.dep_ == "neg" or c.lower_ in ("never", "no longer") for c in verb.children)

    def aux_words(self, verb: Token) -> set[str]:
        return {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}

    def conditional(self, verb: Token) -> bool:
        return any(c.dep_ == "mark" and c.lower_ in self.frames.conditionals for c in verb.children)

    def has_condition(self, verb: Token) -> bool:
        """A threatening condition on the clause: "... unless Baghdad accepts"."""
        return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in self.frames.threat_conditionals for m in c.children)
                   for c in verb.children)

    def attribution(self, verb: Token) -> tuple[Actor | None, str | None, Token | None]:
        """Who reports the clause of `verb`, and how: (speaker, modality word, reporting verb)."""
        current = verb
        while current.dep_ in ("ccomp", "conj", "parataxis", "advcl", "xcomp", "pcomp") and current.head is not current:
            if current.dep_ == "pcomp":
                break
            head = current.head
            if _lemma(head) in self.frames.reporting and current.dep_ in ("ccomp", "parataxis", "xcomp"):
                speakers = self.sources_of(head)[0]
                return (speakers[0][1] if speakers else None), self.frames.reporting[_lemma(head)], head
            if current.dep_ == "advcl":
                break
            current = head
        if current.dep_ == "pcomp" and current.head.head.pos_ == "VERB":
            accuser = current.head.head
            trigger = self.verb_trigger(accuser)
            if trigger is not None and trigger.pattern.event_type == "ACCUSE":
                speakers = self.sources_of(accuser)[0]
                return (speakers[0][1] if speakers else None), "claimed", accuser
        for token in sentence_of(verb):
            if token.lower_ in self.frames.attribution_preps and token.dep_ == "prep":
                for to in token.children:
                    for pobj in to.children:
                        if pobj.dep_ == "pobj":
                            found = self.actors_of(pobj)
                            if found:
                                return found[0][1], "actual", token
        return None, None, None

    # -- coding ---------------------------------------------------------------
    def inner_event(self, clause: Token, depth: int = 0) -> Trigger | None:
        """The event a framed clause describes, seeing through "continue", light verbs, objects."""
        if depth > 3:
            return None
        verb_own = self.verb_trigger(clause)
        found = verb_own if verb_own is not None and verb_own.pattern.others else (self.light_trigger(clause) or verb_own)
        if found:
            return found
        if _lemma(clause) in self.frames.transparent | self.frames.light:
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

    def frame_child(self, verb: Token) -> Token | None:
        for child in verb.children:
            if child.dep_ == "xcomp":
                return child
        for child in verb.children:
            if child.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in child.children) and child.i > verb.i:
                return child
        for child in verb.children:
            if child.dep_ == "ccomp" and _lemma(verb) in self.frames.request | self.frames.threaten:
                return child
            if child.dep_ == "ccomp" and _lemma(verb) in self.frames.intent and (
                    self.aux_words(child) & (self.frames.future_modals | self.frames.obligation_modals)):
                return child
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("to", "for", "of"):
                for pcomp in child.children:
                    if pcomp.dep_ == "pcomp" and pcomp.pos_ == "VERB":
                        return pcomp
        # "is willing to withdraw": adjectival intention
        for child in verb.children:
            if child.dep_ == "acomp" and _lemma(child) in self.frames.intent_adjectives:
                for grand in child.children:
                    if grand.dep_ == "xcomp":
                        return grand
                    if grand.dep_ == "prep" and grand.lower_ == "to":
                        for pcomp in grand.children:
                            if pcomp.dep_ == "pcomp":
                                return pcomp
        return None

    def code_sentence(self, sent: Span) -> list[CodedEvent]:
        consumed: set[int] = set()
        events: list[CodedEvent] = []
        verbs = [t for t in sent if t.pos_ in ("VERB", "AUX") or (t.dep_ == "ROOT" and t.tag_.startswith("VB"))]
        for verb in verbs:
            if verb.i in consumed:
                continue
            events.extend(self.code_verb(verb, consumed))
        for token in sent:
            if token.i in consumed or token.pos_ not in ("NOUN", "PROPN"):
                continue
            found = self.noun_trigger(token)
            if found:
                events.extend(self.code_noun(found, consumed))
        return events

    def frame_kind(self, verb: Token) -> str | None:
        lemma = _lemma(verb)
        if any(c.dep_ == "acomp" and _lemma(c) in self.frames.intent_adjectives for c in verb.children):
            return "intent"
        for kind in ("threaten", "request", "refuse", "posture", "intent", "transparent"):
            if lemma in getattr(self.frames, kind):
                needed = self.frames.request_preps.get(lemma) if kind == "request" else None
                if needed and not any(c.lower_ in needed for c in verb.children):
                    return None
                return kind
        if any(c.dep_ == "acomp" and _lemma(c) in self.frames.intent_adjectives for c in verb.children):
            return "intent"
        return None

    def code_verb(self, verb: Token, consumed: set[int]) -> list[CodedEvent]:
        kind = self.frame_kind(verb)
        child = self.frame_child(verb) if kind else None
        inner = self.inner_event(child) if child is not None else None
        verb_own = self.verb_trigger(verb)
        own = verb_own if verb_own is not None and verb_own.pattern.others else (self.light_trigger(verb) or verb_own)
        if inner is not None and child is not None:
            consumed.update(t.i for t in inner.tokens)
            consumed.add(child.i)
            consumed.add(verb.i)
            return self.code_framed(verb, kind or "intent", inner, child, own)
        if own is None and child is not None and kind == "intent" and self.commits(verb):
            return self.code_commitment(verb, child)
        if own is None:
            return self.code_obligation(verb, consumed)
        consumed.update(t.i for t in own.tokens)
        return self.code_trigger(own, verb, consumed)

    def commits(self, verb: Token) -> bool:
        """A binding statement of intent ("is committed to", "pledged to"), not a mere plan or wish."""
        return _lemma(verb) in self.frames.commitments or any(
            c.dep_ == "acomp" and _lemma(c) in self.frames.intent_adjectives for c in verb.children)

    def code_commitment(self, verb: Token, clause: Token) -> list[CodedEvent]:
        """An explicit commitment whose action has no pattern of its own: AGREE with no intended type."""
        sources, _ = self.sources_of(verb)
        targets = self.targets_of(clause, set())
        events = []
        for _, source in sources:
            for _, target in targets or [(None, None)]:
                event = CodedEvent(source, target, "AGREE", None, "030", (verb, clause), verb, modality="intended",
                                   confidence=0.5 * self.clause_weight(verb), rule=f"frame:commitment:{_lemma(verb)}")
                self.apply_context(event, verb, framed=True)
                events.append(event)
        return events

    def code_obligation(self, verb: Token, consumed: set[int], trigger: Trigger | None = None) -> list[CodedEvent]:
        """ "X said Y must do Z": X requests Z of Y (REQUEST, intended type Z's)."""
        if not (self.aux_words(verb) & self.frames.obligation_modals):
            return []
        speaker, how, reporter = self.attribution(verb)
        if speaker is None or reporter is None:
            return []
        targets = [pair for h in self.subject_of(verb)[0] for pair in self.actors_of(h)]
        intended = trigger.pattern.event_type if trigger else None
        cameo = self.frames.request_cameo.get(intended or "", "020")
        events = []
        for _, target in targets or [(None, None)]:
            if target is not None and (target.start, target.end) == (speaker.start, speaker.end):
                continue
            _, target, _ = self.fill_domestic(speaker, target, "REQUEST")
            events.append(CodedEvent(
                speaker, target, "REQUEST", None, cameo, (verb,) if trigger is None else trigger.tokens, verb,
                confidence=0.6 * self.clause_weight(reporter), rule=f"frame:obligation:{_lemma(reporter)}",
                modality="requested", intended_type=intended, attributed_to=speaker,
            ))
        return events

    def fallback_targets(self, trigger: Trigger, verb: Token, sources) -> list[tuple[Token, Actor]]:
        """No explicit target: the country of a locative phrase, or, for protests, the source's own government."""
        found = self.locative_actor(trigger.token) or (self.locative_actor(verb) if verb is not trigger.token else [])
        if found:
            return found
        sector = DOMESTIC_DEFAULTS.get(trigger.pattern.event_type)
        if sector and sources and sources[0][1].country:
            country = sources[0][1].country
            name = f"{country} government" if sector == "GOV" else f"{country} civilians"
            word = trigger.token  # implied, so the evidence is the trigger itself
            return [(word, Actor(word.text, word.idx, word.idx + len(word.text), name, f"{country}{sector}", country, sector))]
        return []

    def base_event(self, trigger: Trigger, verb: Token, sources, targets, rule: str) -> list[CodedEvent]:
        events = []
        pattern = trigger.pattern
        implicit = False
        if not targets and sources:
            targets = self.fallback_targets(trigger, verb, sources)
            implicit = bool(targets)
        for _, source in sources or [(None, None)]:
            for _, target in targets or [(None, None)]:
                if source is not None and target is not None and (source.start, source.end) == (target.start, target.end):
                    continue
                event_type, cameo = pattern.event_type, pattern.cameo
                confidence = pattern.confidence * self.clause_weight(verb)
                source, target, filled = self.fill_domestic(source, target, pattern.event_type)
                if filled:
                    confidence *= 0.8
                elif source is not None and source.country is None and source.code is None:
                    source = self.sole_country(source, verb, target)
                    confidence *= 0.7
                if pattern.civilian and source is not None and (source.sector in CIVILIAN_SECTORS):
                    event_type, cameo = pattern.civilian
                if target is None and (trigger.token is not verb or self.clause_weight(verb) < 1):
                    confidence *= 0.6  # a side remark with no one on the receiving end
                events.append(CodedEvent(
                    source, target, event_type, pattern.mode, cameo, trigger.tokens, verb,
                    confidence=confidence * (0.8 if implicit else 1.0), rule=rule + (":implicit-target" if implicit else ""),
                ))
        return events

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
        """A target known only by sector ("the police", "Prime Minister X") is taken to be the source's compatriot.

        Own forces are not targets of one's own mobilisation, aid or sanctions, so those are left alone.
        """
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

    def code_trigger(self, trigger: Trigger, verb: Token, consumed: set[int]) -> list[CodedEvent]:
        if self.aux_words(verb) & self.frames.obligation_modals:
            converted = self.code_obligation(verb, consumed, trigger)
            if converted:
                return converted
        sources, passive_targets = self.sources_of(verb)
        exclude = {t.i for t in trigger.tokens if t is not verb}
        targets = passive_targets or self.targets_of(trigger.token if trigger.token is not verb else verb, set())
        if not targets and trigger.token is not verb:
            targets = self.targets_of(verb, exclude)
        if not targets and trigger.pattern.event_type in ("REQUEST", "THREATEN", "ACCUSE", "REJECT"):
            targets = self.clause_subjects(trigger.token) or (self.clause_subjects(verb) if verb is not trigger.token else [])
        if not sources and not (passive_targets and trigger.pattern.event_type in ("ASSAULT", "COERCE")):
            return []
        rule = f"{'passive' if passive_targets else 'active'}:{trigger.pattern.rule}"
        events = self.base_event(trigger, verb, sources, targets, rule)
        for event in events:
            if not sources:
                event.confidence *= 0.5
            self.apply_context(event, verb)
        return events

    def code_framed(self, verb: Token, kind: str, inner: Trigger, clause: Token, own: Trigger | None) -> list[CodedEvent]:
        """Code a framing verb with the event it frames."""
        inner_verb = inner.tokens[0] if inner.tokens[0].pos_ in ("VERB", "AUX") else clause
        if kind == "transparent":
            sources, passive_targets = self.sources_of(inner_verb)
            if not sources:
                sources, passive_targets = self.sources_of(verb)
            targets = passive_targets or self.targets_of(inner.token, set()) or self.targets_of(inner_verb, set())
            if not sources:
                return []
            events = self.base_event(inner, verb, sources, targets, f"frame:{_lemma(verb)}:{inner.pattern.rule}")
            for event in events:
                self.apply_context(event, verb)
            return events
        if kind == "request":
            sources, _ = self.sources_of(verb)
            targets = [pair for c in verb.children if c.dep_ in ("dobj", "dative") for pair in self.actors_of(c)]
            if not targets:
                targets = [pair for h in self.subject_of(inner_verb)[0] for pair in self.actors_of(h)]
            if not targets:
                targets = self.targets_of(inner.token, set())
        else:
            sources, _ = self.sources_of(verb)
            targets = self.targets_of(inner.token, set()) or self.targets_of(inner_verb, set())
            if not targets and inner.token is not inner_verb:
                targets = self.targets_of(inner_verb, set())
        if not sources:
            return []
        if not targets:
            targets = self.locative_actor(inner.token) or self.locative_actor(inner_verb)
        inner_type = inner.pattern.event_type
        if kind == "request":
            event_type, cameo = "REQUEST", (own.pattern.cameo if own and own.pattern.event_type == "REQUEST" and own.pattern.cameo.startswith("10") else self.frames.request_cameo.get(inner_type, "020"))
            modality = "requested"
        elif kind == "refuse":
            event_type, cameo, modality = "REJECT", self.frames.refuse_cameo.get(inner_type, "120"), "actual"
        elif kind == "posture" and inner_type in HOSTILE_TYPES:
            event_type, cameo, modality = "MOBILIZE", "150", "actual"
        elif kind == "threaten" or inner_type in HOSTILE_TYPES or _lemma(verb) in self.frames.hostile_intent and inner_type in HOSTILE_TYPES or self.has_condition(verb) or self.has_condition(clause):
            event_type, cameo, modality = "THREATEN", self.frames.threat_cameo.get(inner_type, "130"), "threatened"
        else:
            event_type, cameo, modality = "AGREE", self.frames.intent_cameo.get(inner_type, "030"), "intended"
        rule = f"frame:{kind}:{_lemma(verb)}:{inner.pattern.rule}"
        events = []
        for _, source in sources:
            for _, target in targets or [(None, None)]:
                if target is not None and (source.start, source.end) == (target.start, target.end):
                    continue
                source, target, filled = self.fill_domestic(source, target, event_type)
                event = CodedEvent(
                    source, target, event_type, inner.pattern.mode if event_type == inner_type else None, cameo,
                    (verb, *inner.tokens), verb, modality=modality, intended_type=inner_type,
                    confidence=min(0.9, inner.pattern.confidence + 0.1) * self.clause_weight(verb) * (0.8 if filled else 1.0),
                    rule=rule,
                )
                if self.negated(clause) and not self.negated(verb):
                    event.polarity = "negated"
                self.apply_context(event, verb, framed=True)
                events.append(event)
        return events

    def code_noun(self, trigger: Trigger, consumed: set[int]) -> list[CodedEvent]:
        """A nominal event: "the attack by Azerbaijan against Nagorno-Karabakh"."""
        noun = trigger.token
        consumed.update(t.i for t in trigger.tokens)
        sources: list[tuple[Token, Actor]] = []
        for child in noun.children:
            if child.dep_ == "poss" or (child.dep_ in ("amod", "compound") and child.i in self.resolver.mention_at):
                sources = self.actors_of(child, look_inside=False)
                if sources:
                    break
        if not sources:
            for child in noun.children:
                if child.dep_ in ("prep", "agent") and child.lower_ == "by":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            sources = self.actors_of(pobj)
        targets: list[tuple[Token, Actor]] = []
        for prep in ("against", "on", "with", "to", "toward", "towards", "for", "between", "into", "of", "in"):
            if prep in ("of", "in") and trigger.pattern.event_type not in ("ASSAULT", "COERCE"):
                continue
            for child in noun.children:
                if child.dep_ == "prep" and child.lower_ == prep:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found = [(t, a) for t, a in self.actors_of(pobj) if a.country or a.code]
                            if prep == "in":
                                found = [(t, a) for t, a in found if a.sector is None]
                            targets = targets or found
        sources = [(t, a) for t, a in sources if a.country or a.code]
        if not targets and trigger.pattern.event_type in ("REQUEST", "THREATEN"):
            targets = self.clause_subjects(noun)
        anchor = noun.head if noun.dep_ in ("dobj", "pobj", "nsubj", "attr") else noun
        while anchor.dep_ == "prep" and anchor.head is not anchor:
            anchor = anchor.head
        if not sources and trigger.pattern.event_type == "PROTEST":
            place = self.locator.locative(noun)
            if place and place.country:
                implicit = Actor(noun.text, noun.idx, noun.idx + len(noun.text), "Protesters",
                                 f"{place.country}CVL", place.country, "CVL")
                sources = [(noun, implicit)]
        if not sources:
            return []
        events = self.base_event(trigger, anchor, sources, targets, f"nominal:{trigger.pattern.rule}")
        position = self.clause_weight(noun) / max(self.clause_weight(anchor), 0.01)
        for event in events:
            event.confidence *= 0.8 * position
            if self.negated(anchor):
                event.confidence *= 0.7
            speaker, how, _ = self.attribution(anchor)
            if speaker is not None:
                event.attributed_to = speaker
            if how == "claimed":
                event.modality = "claimed"
        return events

    def apply_context(self, event: CodedEvent, verb: Token, framed: bool = False) -> None:
        """Negation, modals, conditions and attribution around the clause of `verb`."""
        if self.negated(verb):
            event.polarity = "negated"
        auxes = self.aux_words(verb)
        if not framed:
            if auxes & self.frames.future_modals:
                event.intended_type = event.event_type
                if event.event_type in COOPERATIVE_TYPES and event.event_type != "AGREE":
                    event.cameo = self.frames.intent_cameo.get(event.event_type, "030")
                    event.event_type, event.mode, event.modality = "AGREE", None, "intended"
                elif event.event_type in HOSTILE_TYPES and event.event_type not in ("THREATEN", "REJECT", "ACCUSE", "REQUEST"):
                    event.cameo = self.frames.threat_cameo.get(event.event_type, "130")
                    event.event_type, event.mode, event.modality = "THREATEN", None, "threatened"
                else:
                    event.modality = "intended"
                    event.intended_type = None
                if event.event_type == "AGREE" and self.has_condition(verb):
                    event.event_type, event.cameo, event.modality = "THREATEN", self.frames.threat_cameo.get(event.intended_type or "", "130"), "threatened"
            elif auxes & self.frames.hypothetical_modals:
                event.modality = "hypothetical"
                event.confidence *= 0.7
        if event.polarity == "negated" and event.modality == "intended" and event.event_type == "AGREE":
            event.event_type, event.cameo, event.polarity = "REJECT", self.frames.refuse_cameo.get(event.intended_type or "", "120"), "affirmed"
            event.rule += ":negated-intent"
        if self.conditional(verb):
            event.modality = "hypothetical"
            event.confidence *= 0.7
        if any(c.lower_ in self.frames.claim_adverbs for c in verb.children):
            event.modality = "claimed" if event.modality == "actual" else event.modality
        speaker, how, reporter = self.attribution(verb)
        if speaker is not None:
            event.attributed_to = speaker
        if how == "claimed" and event.modality == "actual":
            event.modality = "claimed"
        if how == "negated":
            event.polarity = "negated" if event.polarity == "affirmed" else "affirmed"
        if reporter is not None and self.negated(reporter):
            event.polarity = "negated" if event.polarity == "affirmed" else "affirmed"

