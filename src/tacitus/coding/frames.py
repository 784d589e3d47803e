"""Frames around an event: reporting and attribution, intention, threat, request, refusal, modals, negation, clause weight."""

from __future__ import annotations

from spacy.tokens import Token

from ..knowledge.docs import sentence_of
from ..knowledge.lexicon import COOPERATIVE_TYPES, HOSTILE_TYPES, Frames
from ..models import Actor
from .arguments import ArgumentFinder
from .coded import CodedEvent
from .mentions import ActorReader
from .syntax import lemma, misparsed_complement, negated_verb
from .triggers import TriggerFinder


class FrameReader:
    """Reads what frames a clause: who says it, whether it is negated, intended, threatened or requested."""

    def __init__(self, frames: Frames, finder: TriggerFinder, actors: ActorReader, args: ArgumentFinder) -> None:
        self.frames = frames
        self.finder = finder
        self.actors = actors
        self.args = args

    def clause_weight(self, token: Token) -> float:
        """1 for the main assertion of a sentence, less for subordinate and relative clauses."""
        weight = 1.0
        current = token
        for _ in range(8):
            dep = current.dep_
            if dep == "ROOT" or current.head == current:
                return weight
            head = current.head
            if dep in ("ccomp", "parataxis") and (lemma(head) in self.frames.reporting or self.frame_kind(head)):
                current = head
                continue
            if dep == "xcomp" and not self.frame_kind(head) and any(c.dep_ in ("dobj", "dative") for c in head.children):
                weight *= 0.75  # purpose: "summoned the ambassador to complain"
                current = head
                continue
            if dep in ("xcomp", "conj"):
                current = head
                continue
            if dep == "pcomp" and fatal_cause(current, self.frames.suffering):
                current = head.head  # "died after being shot": the harm is as sure as the death it caused
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

    def negated(self, verb: Token) -> bool:
        return negated_verb(verb)

    def aux_words(self, verb: Token) -> set[str]:
        return {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}

    def conditional(self, verb: Token) -> bool:
        return any(c.dep_ == "mark" and c.lower_ in self.frames.conditionals for c in verb.children)

    def has_condition(self, verb: Token) -> bool:
        """A threatening condition on the clause: "... unless Baghdad accepts"."""
        marks = self.frames.threat_conditionals
        return any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in marks for m in c.children) for c in verb.children)

    def attribution(self, verb: Token) -> tuple[Actor | None, str | None, Token | None]:
        """Who reports the clause of `verb`, and how: (speaker, modality word, reporting verb)."""
        current = verb
        while current.dep_ in ("ccomp", "conj", "parataxis", "advcl", "xcomp", "pcomp") and current.head != current:
            if current.dep_ == "pcomp":
                break
            head = current.head
            if lemma(head) in self.frames.reporting and (current.dep_ in ("ccomp", "parataxis", "xcomp")
                                                         or misparsed_complement(current, self.frames) is not None):
                speakers = self.args.sources_of(head)[0]
                return (speakers[0][1] if speakers else None), self.frames.reporting[lemma(head)], head
            if current.dep_ == "advcl":
                break
            current = head
        if current.dep_ == "pcomp" and current.head.head.pos_ == "VERB":
            accuser = current.head.head
            trigger = self.finder.verb_trigger(accuser)
            if trigger is not None and trigger.pattern.event_type == "ACCUSE":
                speakers = self.args.sources_of(accuser)[0]
                return (speakers[0][1] if speakers else None), "claimed", accuser
        for token in sentence_of(verb):
            if token.lower_ in self.frames.attribution_preps and token.dep_ == "prep":
                for to in token.children:
                    for pobj in to.children:
                        if pobj.dep_ == "pobj":
                            found = self.actors.actors_of(pobj)
                            if found:
                                return found[0][1], "actual", token
        return None, None, None

    def intent_noun_clause(self, verb: Token, nouns: frozenset[str] | None = None) -> Token | None:
        """ "announced a plan to withdraw" (not "rejected an offer to host talks"): the noun's to-infinitive under a
        verb that voices it; with `nouns` the demand nouns ("passed a resolution to expel US troops")."""
        word = lemma(verb)
        voicing = self.frames.light | self.frames.adopting if nouns is not None else self.frames.light | self.frames.planning
        if word not in voicing and word not in self.frames.reporting or word in self.frames.refuse:
            return None
        if nouns is not None and (self.negated(verb) or (verb.dep_ == "xcomp" and lemma(verb.head) in self.frames.refuse | {"fail"})):
            return None  # "failed to pass a resolution to condemn Russia" demands nothing
        heads = [c for c in verb.children if c.dep_ == "dobj"]
        heads += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "on" for p in c.children if p.dep_ == "pobj"]
        for child in heads:  # "voted on a resolution to expel"; not "had no plans to deploy"
            if lemma(child) in (self.frames.intent_nouns if nouns is None else nouns) and not any(
                    c.dep_ == "det" and c.lower_ == "no" for c in child.children):
                for grand in child.children:
                    if grand.dep_ == "acl" and grand.pos_ == "VERB" and any(a.dep_ == "aux" and a.lower_ == "to" for a in grand.children):
                        return grand
        return None

    def frame_child(self, verb: Token) -> Token | None:
        for child in verb.children:
            if child.dep_ == "xcomp":
                return child
        noun_clause = self.intent_noun_clause(verb) or self.intent_noun_clause(verb, self.frames.request_nouns)
        if noun_clause is not None:
            return noun_clause
        for child in verb.children:
            if child.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in child.children) and child.i > verb.i:
                return child
        for child in verb.children:
            if child.dep_ == "ccomp" and lemma(verb) in self.frames.request | self.frames.threaten | self.frames.desire:
                return child
            if child.dep_ == "ccomp" and lemma(verb) in self.frames.intent and (
                    self.aux_words(child) & (self.frames.future_modals | self.frames.obligation_modals)):
                return child
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("to", "for", "of"):
                for pcomp in child.children:
                    if pcomp.dep_ == "pcomp" and pcomp.pos_ == "VERB":
                        return pcomp
        # "is willing to withdraw": adjectival intention
        for child in verb.children:
            if child.dep_ == "acomp" and (lemma(child) in self.frames.intent_adjectives or lemma(child) in self.frames.hypothetical_adjectives):
                for grand in child.children:
                    if grand.dep_ == "xcomp":
                        return grand
                    if grand.dep_ == "prep" and grand.lower_ == "to":
                        for pcomp in grand.children:
                            if pcomp.dep_ == "pcomp":
                                return pcomp
        return None

    def frame_kind(self, verb: Token) -> str | None:
        word = lemma(verb)
        if word in self.frames.desire and wants_of_other(verb):
            return "request"
        if self.intent_noun_clause(verb) is not None:
            return "intent"
        if self.intent_noun_clause(verb, self.frames.request_nouns) is not None:
            return "request"
        if any(c.dep_ == "acomp" and lemma(c) in self.frames.intent_adjectives for c in verb.children):
            return "intent"
        if any(c.dep_ == "acomp" and lemma(c) in self.frames.hypothetical_adjectives for c in verb.children) or (
                word in self.frames.hypothetical_passives and any(c.dep_ == "auxpass" for c in verb.children)):
            return "hypothetical"  # "was due to stand down", "it is common for X to": no one's commitment
        for kind in ("threaten", "request", "refuse", "posture", "intent", "transparent"):
            if word in getattr(self.frames, kind) and (word != "go" or verb.tag_ not in ("VBD", "VBN")):  # not "went to fight"
                needed = self.frames.request_preps.get(word) if kind == "request" else None
                # "called for the killings to be investigated": the "for" may lead the clause itself
                marks = {g.lower_ for c in verb.children if c.dep_ in ("advcl", "ccomp", "xcomp") for g in c.children if g.dep_ == "mark"}
                if needed and not any(c.lower_ in needed for c in verb.children) and not (marks & needed):
                    return None
                return kind
        return None

    def purpose_of(self, verb: Token) -> bool:
        """An infinitive of purpose on an event verb: "blocked the road to demand lower prices"."""
        if verb.dep_ not in ("advcl", "xcomp") or not any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
            return False
        head = verb.head
        if head == verb or self.frame_kind(head) or lemma(head) in self.frames.reporting:
            return False
        return self.finder.verb_trigger(head) is not None or self.finder.light_trigger(head) is not None

    def is_purpose(self, verb: Token) -> bool:
        """A verbal purpose (to demand, to show disapproval) is not a second fact; other purposes are kept
        when they name their own target ("began a hunger strike to protest against X")."""
        if self.protest_adjunct(verb):
            return True
        if not self.purpose_of(verb):
            return False
        own = self.finder.verb_trigger(verb) or self.finder.light_trigger(verb) or next(
            (found for c in verb.children if c.dep_ == "dobj" and (found := self.finder.noun_trigger(c))), None)
        return own is not None and own.pattern.event_type in ("REQUEST", "ACCUSE", "SUPPORT")  # "to show their disapproval"

    def protest_adjunct(self, verb: Token) -> bool:
        """ "blocked roads demanding that he be reinstated", "staged rallies, saying he must resign": what a
        protest demands is its purpose, part of the PROTEST, not a REQUEST of its own."""
        if verb.tag_ != "VBG" or verb.dep_ not in ("advcl", "xcomp", "acl") or verb.head == verb:
            return False
        head = verb.head
        found = self.finder.noun_trigger(head) if head.pos_ == "NOUN" else (
            self.finder.verb_trigger(head) or self.finder.light_trigger(head))
        if found is None or found.pattern.event_type != "PROTEST":
            return False
        word = lemma(verb)
        if word in self.frames.request:
            return True
        return word in self.frames.reporting and any(
            c.dep_ == "ccomp" and self.aux_words(c) & self.frames.obligation_modals for c in verb.children)

    def commits(self, verb: Token) -> bool:
        """A binding statement of intent ("is committed to", "pledged to"), not a mere plan or wish."""
        adjectives = self.frames.intent_adjectives
        return lemma(verb) in self.frames.commitments or any(c.dep_ == "acomp" and lemma(c) in adjectives for c in verb.children)

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
        if event.polarity == "negated" and event.modality == "actual" and event.event_type in ("CONCEDE", "AGREE") \
                and demand_refused(self.frames, verb, event):  # "did not accede to their demands": refused (CAMEO 12)
            event.event_type, event.cameo, event.polarity = "REJECT", self.frames.refuse_cameo.get(event.event_type, "120"), "affirmed"
            event.mode, event.rule = None, event.rule + ":negated-yield"
        if self.conditional(verb):
            event.modality = "hypothetical"
            event.confidence *= 0.7
        if deterred(self.frames, verb):
            event.modality = "hypothetical"
            event.confidence *= 0.4
        if any(c.lower_ in self.frames.claim_adverbs for c in verb.children):
            event.modality = "claimed" if event.modality == "actual" else event.modality
        speaker, how, reporter = self.attribution(verb)
        if speaker is not None:
            event.attributed_to = speaker
        if how == "claimed" and event.modality == "actual":
            event.modality = "claimed"
            if reporter is not None and lemma(reporter) in self.frames.allegation:
                event.alleged_by = reporter
        if how == "negated":
            event.polarity = "negated" if event.polarity == "affirmed" else "affirmed"
        if reporter is not None and self.negated(reporter):
            event.polarity = "negated" if event.polarity == "affirmed" else "affirmed"


def wants_of_other(verb: Token) -> bool:
    """ "wants Iran to release ...": an actor other than the subject is to act."""
    for child in verb.children:
        if child.dep_ in ("dobj", "dative") and any(g.dep_ in ("xcomp", "ccomp") for g in verb.children):
            return True
        if child.dep_ in ("ccomp", "xcomp") and any(g.dep_ in ("nsubj", "nsubjpass") for g in child.children):
            return True
    return False


def unreal(verb: Token, reader: FrameReader) -> bool:
    """Not told as fact: asked about ("Did five civilians die...?"), only possible or to come ("might have died",
    "will call him a murderer") or denied ("denied that it had called X a partner")."""
    return sentence_of(verb).text.rstrip().endswith("?") or any(lemma(a) == "deny" for a in verb.ancestors) \
        or bool(reader.aux_words(verb) & (reader.frames.future_modals | reader.frames.hypothetical_modals))


def fatal_cause(verb: Token, suffering: frozenset[str]) -> bool:
    """ "died after being shot", "was hospitalised after being beaten": a passive harm after which its subject
    suffered, told as the cause of that suffering, not as background."""
    prep = verb.head
    return prep.lower_ in ("after", "following") and prep.head.pos_ == "VERB" \
        and lemma(prep.head) in suffering and any(c.dep_ == "auxpass" for c in verb.children)


def demand_refused(frames: Frames, verb: Token, event: CodedEvent) -> bool:
    """A demand, call or appeal the verb does not yield to ("did not accept the IAEA's call", "did not meet
    their demands"), not one still pending ("has not yet accepted")."""
    if any(c.lower_ == "yet" for c in verb.children):
        return False
    objects = [c for c in verb.children if c.dep_ == "dobj"] + [
        p for c in verb.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
    return any(lemma(t) in frames.request_nouns for t in (*event.trigger, *objects))


def deterred(frames: Frames, token: Token) -> bool:
    """ "warned Israel against storming the mosque", "kept the army from entering": an act someone is kept
    from is not done."""
    return token.dep_ in ("pcomp", "pobj") and token.head.lower_ in ("against", "from") \
        and lemma(token.head.head) in frames.deterrence
