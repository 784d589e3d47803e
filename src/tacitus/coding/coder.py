"""The event coder: (source, event, target) from a parsed sentence.

Triggers come from triggers.tsv (verbs, verb + particle/object, nouns);
frames.yaml says which verbs frame another event (reporting, intending,
threatening, requesting, refusing). Actors come from the ActorResolver.
The coder returns `CodedEvent`s; the pipeline adds place, date and ids.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from ..knowledge.actor_resolver import ActorResolver
from ..knowledge.docs import sentence_of
from ..knowledge.lexicon import COOPERATIVE_TYPES, HOSTILE_TYPES, Frames, TriggerIndex
from ..knowledge.places import Locator
from .arguments import ArgumentFinder, addressees, objects_named
from .build import EventBuilder, only_places
from .coded import CodedEvent, Trigger, pairs
from .frames import FrameReader
from .mentions import ActorReader
from .nominal import NominalCoder
from .recipients import aimed_at
from .story import accident_story, home_source
from .syntax import ARRESTING_SECTORS, PASSIVE_SOURCELESS_TYPES, SOURCELESS_TYPES, lemma, nominals, verbs_of, words_among
from .triggers import WEAPON_STRIKE, TriggerFinder
from .verdicts import VerdictCoder

__all__ = ["CodedEvent", "Coder", "Trigger"]

AUTHORITY_SECTORS = frozenset({"GOV", "JUD", "MIL", "COP", "SPY"})  # whose orders to their own are coercion
PRIVATE_SECTORS = frozenset({"CVL", "BUS", "EDU", "JRN", "REF", "CRM", "LAB", "MED", "REL", "UNK"})  # foreigners a state can hold


class Coder:
    """Codes the sentences of one parsed article by running the stages in turn."""

    def __init__(self, triggers: TriggerIndex, frames: Frames, resolver: ActorResolver, locator: Locator) -> None:
        self.frames = frames
        self.resolver = resolver
        self.locator = locator
        self.finder = TriggerFinder(triggers, frames)
        self.actors = ActorReader(frames, resolver, locator)
        self.args = ArgumentFinder(frames, resolver, locator, self.actors)
        self.reader = FrameReader(frames, self.finder, self.actors, self.args)
        self.builder = EventBuilder(frames, self.actors, self.args, self.reader)
        self.nominal = NominalCoder(frames, resolver, locator, self.actors, self.args, self.reader, self.builder)
        self.verdicts = VerdictCoder(self.actors, self.args, self.reader)

    def code_sentence(self, sent: Span) -> list[CodedEvent]:
        consumed: set[int] = set()
        events: list[CodedEvent] = []
        for verb in verbs_of(sent):
            if verb.i in consumed:
                continue
            events.extend(self.code_verb(verb, consumed))
        for token in nominals(sent, consumed):
            if token.dep_ in ("compound", "amod") and token.head.pos_ == "NOUN" and self.finder.noun_trigger(token.head):
                continue  # "ceasefire offer": the head noun's pattern names the event
            found = self.finder.noun_trigger(token)
            if found and found.pattern is WEAPON_STRIKE and any(e.anchor.i == token.head.i for e in events):
                continue  # "artillery pounded Ukrainian positions": the verb already codes the attack
            if found:
                events.extend(self.nominal.code_noun(found, consumed))
        events += self.builder.allegations(events)
        events += self.nominal.attributed(events, consumed)
        events = merged_results(events)
        self.commands_as_coercion(events)
        self.demoted_under_requests(events)
        self.demoted_in_proposals(sent, events)
        return events + self.verdicts.code(sent, events)

    def demoted_in_proposals(self, sent: Span, events: list[CodedEvent]) -> None:
        """ "a resolution that aims to impose a naval blockade", "a bill that would allow extraditions":
        acts a text proposes are not done; kept hypothetical, with less confidence."""
        regions = [{t.i for t in child.subtree} for noun in words_among(sent, self.frames.proposals, ("NOUN",))
                   for child in noun.children if child.dep_ in ("relcl", "acl") and self.prescribes(child)]
        marked_undone(events, regions, "hypothetical")

    def commands_as_coercion(self, events: list[CodedEvent]) -> None:
        """An authority ordering its own people or bodies to stop, leave or be held compels them: COERCE,
        done, not requested."""
        for event in events:
            source, target = event.source, event.target
            if event.event_type != "REQUEST" or lemma(event.anchor) not in self.frames.commands or source is None:
                continue
            if source.sector not in AUTHORITY_SECTORS or (target is not None and target.country != source.country
                                                          and target.sector not in PRIVATE_SECTORS):  # a foreigner held is held
                continue
            if target is not None and (target.sector in AUTHORITY_SECTORS | {"LEG"} or target.code == source.code):
                continue  # "ordered US troops to withdraw", "ordered agencies to end ...": a state directing itself
            commanded = [c for c in event.anchor.children if c.dep_ in ("xcomp", "ccomp", "advcl")] + [
                g for c in event.anchor.children if c.dep_ == "dobj" for g in c.children if g.dep_ == "acl" and g.tag_ == "VBN"]
            if not any(lemma(c) in self.frames.commanded_restrictions for c in commanded):
                continue  # "ordered the former president to appear for questioning" asks
            event.event_type, event.cameo, event.mode, event.modality = "COERCE", "170", None, "actual"
            event.rule += ":command"

    def prescribes(self, clause: Token) -> bool:
        """ "that aims to impose", "that would allow", "to impose": a clause of what a text would do, not of
        what its adoption does ("a resolution condemning the invasion" condemns)."""
        auxes = self.reader.aux_words(clause)
        return bool(auxes & (self.frames.future_modals | self.frames.hypothetical_modals | {"to"})) or lemma(clause) in self.frames.intent

    def demand_addressees(self, noun: Token, verb: Token, inner: Trigger, inner_verb: Token) -> list:
        """Whom a demand noun asks: "its demand to Russia to release", else the actor asked to act; a resolution
        or motion names its addressee or asks for a hostile act against its target ("a resolution to expel US
        troops"); a resolution to send aid asks one's own government, named nowhere."""
        named = [pair for node in (noun, verb) for c in node.children if c.dep_ == "prep" and c.lower_ in ("to", "on")
                 for p in c.children if p.dep_ == "pobj" for pair in self.actors.actors_of(p)]
        if named:
            return named
        if lemma(noun) in ("resolution", "motion", "petition"):
            return self.args.targets_of(inner.token, set()) if inner.pattern.event_type in HOSTILE_TYPES else []
        return [pair for h in self.args.subject_of(inner_verb)[0] for pair in self.actors.actors_of(h)] \
            or self.args.targets_of(inner.token, set())

    @staticmethod
    def demoted_under_requests(events: list[CodedEvent]) -> None:
        """What a request asks for is not done: "demanded that Hamas renounce its armed struggle", "demanded
        an admission that the NKVD murdered ...", "reiterated its demand that Israel ease restrictions"
        report a REQUEST, not the struggle, the murder or the easing. Such nested events stay, marked
        requested and with less confidence, so an analyst can still find them."""
        regions = []
        for event in events:
            if event.event_type != "REQUEST":
                continue
            head = event.trigger[-1] if event.trigger[-1].pos_ in ("NOUN", "PROPN") else event.anchor
            for child in head.children:
                if child.dep_ in ("ccomp", "xcomp", "dobj", "acl", "advcl", "prep") and not (child.dep_ == "prep" and child.lower_ in ("on", "upon", "to")):
                    told = {inner.i for node in child.subtree  # "the journalists arrested last week", "an inquiry into the killing"
                            if node.dep_ == "relcl" or (node.dep_ == "acl" and node.tag_ == "VBN")
                            or (node.dep_ == "prep" and node.lower_ in ("into", "over", "of", "by") and node.head.pos_ == "NOUN")
                            for inner in node.subtree}
                    regions.append({t.i for t in child.subtree} - told - {t.i for t in event.trigger})
        marked_undone([e for e in events if e.event_type != "REQUEST"], regions, "requested")

    def code_verb(self, verb: Token, consumed: set[int]) -> list[CodedEvent]:
        if self.reader.is_purpose(verb):  # "to show their disapproval": nor its nouns; but "to protect its staff by
            means = {t.i for c in verb.children if c.dep_ == "prep" and c.lower_ == "by"  # killing X" says how it was done
                     for p in c.children if p.dep_ == "pcomp" and p.tag_ == "VBG" for t in c.subtree}
            consumed.update(t.i for t in verb.subtree if t.i not in means)
            return []
        kind = self.reader.frame_kind(verb)
        child = self.reader.frame_child(verb) if kind else None
        inner = self.finder.inner_event(child) if child is not None else None
        verb_own = self.finder.verb_trigger(verb)
        own = verb_own if verb_own is not None and verb_own.pattern.others else (self.finder.light_trigger(verb) or verb_own)
        if inner is not None and child is not None:
            consumed.update(t.i for t in inner.tokens)
            consumed.add(child.i)
            consumed.add(verb.i)
            return self.code_framed(verb, kind or "intent", inner, child, own)
        if own is None and child is not None and kind == "intent" and self.reader.commits(verb):
            return self.builder.code_commitment(verb, child)
        if child is not None and kind in ("threaten", "refuse", "request") and (own is None or not own.pattern.others) \
                and not self.finder.non_political(verb, True):  # "refused to comment": press boilerplate
            bare = self.builder.code_bare_frame(verb, kind, child, own)
            if bare:
                consumed.add(verb.i)
                return bare
        if own is not None and own.token != verb and lemma(verb) in self.frames.offers and own.pattern.event_type != "AGREE":
            consumed.update(t.i for t in own.tokens)  # "offered talks to the separatists": an offer of talks
            return self.code_framed(verb, "intent", own, own.token, None)
        if own is None:
            return self.builder.code_obligation(verb, consumed)
        consumed.update(t.i for t in own.tokens)
        events = self.code_trigger(own, verb, consumed)
        if not events:
            consumed.difference_update(t.i for t in own.tokens if t != verb)  # "talks were held between A and B": the noun's own arguments
        if self.reader.purpose_of(verb):  # a purpose with no target of its own adds nothing to its head event
            events = [e for e in events if e.target is not None]
        return events

    def code_trigger(self, trigger: Trigger, verb: Token, consumed: set[int]) -> list[CodedEvent]:
        if self.reader.aux_words(verb) & self.frames.obligation_modals:
            converted = self.builder.code_obligation(verb, consumed, trigger)
            if converted:
                return converted
        sources, passive_targets = self.args.sources_of(verb)
        exclude = {t.i for t in trigger.tokens if t != verb}
        means, passive_targets = means_of(trigger, verb, self.frames, passive_targets)  # "used force against protesters"
        targets = passive_targets or self.args.targets_of(trigger.token if trigger.token != verb else verb, means)
        if not targets and trigger.token != verb:
            targets = self.args.targets_of(verb, exclude)
        targets = without_own_words(targets, exclude, trigger.pattern.event_type, self.frames)  # "exchanged intelligence"
        targets = aimed_at(self.args, verb, trigger.pattern.event_type, targets)  # aid to whom, a bare promise to whom
        if not targets and trigger.pattern.event_type in ("REQUEST", "THREATEN", "ACCUSE", "REJECT", "CONCEDE") \
                and not ruling_permits(trigger, sources):  # "allowed Chinese observers to monitor"
            targets = self.args.clause_subjects(trigger.token) or (self.args.clause_subjects(verb) if verb != trigger.token else [])
        if trigger.pattern.event_type == "ASSAULT" and all(a.sector in (None, "CVL") or lemma(t) in self.frames.disaster_words
                                                          for t, a in sources) and accident_story(verb, self.frames):
            return []  # "the tremor left five dead", "the military helicopter crashed, killing all on board": no one's deed
        doer = None if sources or targets else home_source(verb, trigger, self.locator, self.resolver, self.frames)
        sources = [(verb, doer)] if doer is not None else sources  # "the bill was suspended": the state's own act
        passive_only = bool(passive_targets) and trigger.pattern.event_type in PASSIVE_SOURCELESS_TYPES  # "was charged with murder"
        if not sources and not (targets and (trigger.pattern.event_type in SOURCELESS_TYPES or passive_only) and verb.dep_ != "amod"
                                and self.reader.clause_weight(verb) >= 0.75 and not self.args.impersonal_cause(verb)):
            return []  # "two aid workers were kidnapped", "a car bomb killed five soldiers": a victim, no known doer
        rule = f"{'passive' if passive_targets else 'active'}:{trigger.pattern.rule}{':home-source' if doer else ''}"
        events = self.builder.base_event(trigger, verb, sources, targets, rule)
        for event in events:
            self.reader.apply_context(event, verb)
            if not sources:
                event.confidence *= 0.8 if arrested_by_speaker(self.locator, event, verb) else 0.6  # measured: doer-less events are
        return events  # right about as often as the rest near 0.3

    def code_framed(self, verb: Token, kind: str, inner: Trigger, clause: Token, own: Trigger | None) -> list[CodedEvent]:
        """Code a framing verb with the event it frames."""
        inner_verb = inner.tokens[0] if inner.tokens[0].pos_ in ("VERB", "AUX") else clause
        if kind == "intent" and lemma(verb) in self.frames.performative_frames and lemma(inner_verb) in self.frames.performatives \
                and inner.pattern.event_type in ("SUPPORT", "ACCUSE"):
            kind = "transparent"  # "I want to express my sympathy", "we would like to thank": saying so is doing it
        if kind in ("transparent", "hypothetical"):
            sources, passive_targets = self.args.sources_of(inner_verb)
            if not sources:
                sources, passive_targets = self.args.sources_of(verb)
            targets = passive_targets or self.args.targets_of(inner.token, set()) or self.args.targets_of(inner_verb, set())
            if not sources:
                return []
            rule = f"frame:{'hypothetical:' if kind == 'hypothetical' else ''}{lemma(verb)}:{inner.pattern.rule}"
            events = self.builder.base_event(inner, verb, sources, targets, rule)
            for event in events:
                self.reader.apply_context(event, verb)
            for event in events if kind == "hypothetical" else ():  # "was due to stand down", "is likely to attack":
                event.modality, event.confidence = "hypothetical", event.confidence * 0.3  # the writer's words, not done
            return events
        if kind == "request":
            sources, _ = self.args.sources_of(verb)
            if clause.dep_ == "acl" and lemma(clause.head) in self.frames.request_nouns:
                targets = self.demand_addressees(clause.head, verb, inner, inner_verb)
            else:
                targets = objects_named(self.actors, verb)
                if not targets:
                    targets = [pair for h in self.args.subject_of(inner_verb)[0] for pair in self.actors.actors_of(h)]
                if not targets:
                    targets = self.args.targets_of(inner.token, set())
        else:  # a warning's addressee, or who suffers the warned deed ("could be barred from China"), before its objects
            sources, targets = self.args.sources_of(verb)[0], warned(self.actors, self.args, verb, inner_verb, kind)
            targets = targets or self.args.targets_of(inner.token, set()) or self.args.targets_of(inner_verb, set())
            if not targets and inner.token != inner_verb:
                targets = self.args.targets_of(inner_verb, set())
        if not sources:
            return []
        if not any(a.country or a.code for _, a in targets):  # "... unless Israel reopens"; a sector alone is no target
            targets = self.args.condition_subjects(verb) or self.args.condition_subjects(clause) or targets
        located = targets if only_places(self.actors.resolver, targets) else [] if targets else \
            self.args.locative_actor(inner.token) or self.args.locative_actor(inner_verb)
        targets = targets or located  # where partners agree to meet is no partner: "agreed to meet in Bali"
        if kind == "intent" and partners_agree(verb, inner, self.frames, sources, [] if located else targets):
            targets = sources  # "Hungary and Romania agreed to reopen the crossings", "to resume leaders' meetings": partners
        inner_type = inner.pattern.event_type
        if kind == "request":
            event_type, cameo = "REQUEST", (own.pattern.cameo if own and own.pattern.event_type == "REQUEST" and own.pattern.cameo.startswith("10") else self.frames.request_cameo.get(inner_type, "020"))
            modality = "requested"
        elif kind == "refuse":
            event_type, cameo, modality = "REJECT", self.frames.refuse_cameo.get(inner_type, "120"), "actual"
        elif kind == "posture" and inner_type in HOSTILE_TYPES:
            event_type, cameo, modality = "MOBILIZE", "150", "actual"
        elif kind == "threaten" or inner_type in HOSTILE_TYPES or lemma(verb) in self.frames.hostile_intent and inner_type in HOSTILE_TYPES or self.reader.has_condition(verb) or self.reader.has_condition(clause):
            event_type, cameo, modality = "THREATEN", self.frames.threat_cameo.get(inner_type, "130"), "threatened"
        else:
            event_type, cameo, modality = "AGREE", self.frames.intent_cameo.get(inner_type, "030"), "intended"
        if event_type != "AGREE" and lemma(verb) in self.frames.planning:
            return []  # "unveiled a plan to withdraw" binds; a plan to deploy or to strike is no threat made (frames planning)
        rule = f"frame:{kind}:{lemma(verb)}:{inner.pattern.rule}"
        events = []
        for source, target in pairs(sources, targets):
            source, target, filled = self.args.fill_domestic(source, target, event_type)
            event = CodedEvent(
                source, target, event_type, inner.pattern.mode if event_type == inner_type else None, cameo,
                (verb, *inner.tokens), verb, modality=modality, intended_type=inner_type,
                confidence=min(0.9, inner.pattern.confidence + 0.1) * self.reader.clause_weight(verb) * (0.8 if filled else 1.0),
                rule=rule,
            )
            if self.reader.negated(clause) and not self.reader.negated(verb):
                event.polarity = "negated"
            self.reader.apply_context(event, verb, framed=True)
            events.append(event)
        return events


def marked_undone(events: list[CodedEvent], regions: list[set[int]], modality: str) -> None:
    """Actual events whose trigger lies wholly in one of the regions (token indices) are not done: they take
    the modality given and half their confidence."""
    for event in events:
        if event.modality == "actual" and any(all(t.i in region for t in event.trigger) for region in regions):
            event.modality = modality
            event.confidence *= 0.5


def merged_results(events: list[CodedEvent]) -> list[CodedEvent]:
    """ "attacked a refugee camp, killing 156 people", "the second attack was in a mosque, killing eight": the
    killing a participle adds is the attack's toll, one event, as analysts code it. The attack takes the toll's
    target when it names none; a toll whose victims are of another country than the attack's target ("attacked a
    hotel in Mogadishu, killing two American contractors"), or that knows a doer the attack does not, stays."""
    attacks = [e for e in events if e.event_type == "ASSAULT"]
    kept = []
    for event in events:
        part = event.anchor
        while part.dep_ == "conj" and part.tag_ == "VBG" and part.head.tag_ == "VBG":
            part = part.head  # "killing a US adviser and wounding three Afghan soldiers"
        head = next((a for a in attacks if a is not event and part.dep_ == "advcl" and part.tag_ == "VBG"
                     and event.event_type == "ASSAULT" and event.trigger[0] == event.anchor
                     and (a.anchor == part.head or any(t.head == part.head and t.dep_ in ("nsubj", "nsubjpass") for t in a.trigger))
                     and (event.source is None or (a.source is not None and a.source.country == event.source.country))
                     and (a.target is None or event.target is None or event.target.name is None  # "156 people": placed, not named
                          or event.target.country in (None, a.target.country))), None)
        if head is None:
            kept.append(event)
            continue
        if head.target is None and event.target is not None:
            head.target = event.target
    return kept


def ruling_permits(trigger: Trigger, sources: list) -> bool:
    """A court's "allowed X to ..." is a ruling, not a concession to X."""
    return trigger.pattern.event_type == "CONCEDE" and any(actor.sector == "JUD" for _, actor in sources)


def arrested_by_speaker(locator: Locator, event: CodedEvent, verb: Token) -> bool:
    """ "Police said 71 people were arrested": police, courts, soldiers or intelligence that report arrests
    in their own country made them, as analysts read it; the speaker becomes the source. Not a ministry
    reporting its citizens detained abroad, nor arrests the sentence places in another country."""
    speaker, target = event.attributed_to, event.target
    if event.event_type != "COERCE" or speaker is None or speaker.sector not in ARRESTING_SECTORS or target is None \
            or not speaker.country or target.country not in (None, speaker.country):
        return False
    place = locator.in_sentence(sentence_of(verb), skip=set())
    if place is not None and place.country and place.country != speaker.country:
        return False
    event.source, event.target, _ = ArgumentFinder.fill_domestic(speaker, target, "COERCE")
    event.rule += "+reported_by"
    return True


def means_of(trigger: Trigger, verb: Token, frames: Frames, passive_targets: list) -> tuple[set[int], list]:
    """The pattern's nouns when its verb wields them ("used force", "fired tear gas"): the means, never a target,
    also as a passive subject ("force was used against protesters"); and the passive targets without them."""
    if lemma(verb) not in frames.instrument_verbs:
        return set(), passive_targets
    means = {t.i for t in trigger.tokens if t != verb and t.pos_ == "NOUN"}
    return means, [(t, a) for t, a in passive_targets if t.i not in means]


def without_own_words(targets: list, exclude: set[int], event_type: str, frames: Frames) -> list:
    """What cooperation shares or gives is no one: targets that are not the pattern's own object word known only by
    sector ("exchanged intelligence"); hostile types keep theirs ("executed protesters"), and so do people set
    free ("freed 222 political prisoners": the prisoners, the releaser's own unless said otherwise)."""
    if event_type not in COOPERATIVE_TYPES:
        return targets
    return [(token, actor) for token, actor in targets if not (token.i in exclude and actor.country is None and actor.code is None)
            or (event_type == "RETREAT" and actor.sector == "CVL" and lemma(token) not in frames.captives)]


def partners_agree(verb: Token, inner: Trigger, frames: Frames, sources: list, targets: list) -> bool:
    """Coordinated parties agreeing with each other to act together, not on a third party's behalf or against one
    ("agreed to send weapons", "agreed to strike"), and naming no other country as what they act on."""
    countries = {actor.country for _, actor in sources}
    return len(sources) > 1 and lemma(verb) in frames.reciprocal and inner.pattern.event_type not in ("AID", *HOSTILE_TYPES) \
        and not any(actor.country and actor.country not in countries for _, actor in targets)


def warned(actors: ActorReader, args: ArgumentFinder, verb: Token, inner_verb: Token, kind: str) -> list:
    """Whom a threat is aimed at: the warning's addressee ("warned the United States that ..."), or who would suffer
    the deed it names ("warned that Philippine officials could be barred")."""
    return (addressees(actors, verb) or args.sources_of(inner_verb)[1]) if kind == "threaten" else []
