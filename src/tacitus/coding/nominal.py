"""Nominal events: "the attack by Azerbaijan against Nagorno-Karabakh", "Iran's shootdown of a drone"."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ..knowledge.actor_resolver import STATE_BODY_SECTORS, ActorResolver
from ..knowledge.docs import sentence_of
from ..knowledge.lexicon import Frames, TriggerPattern
from ..knowledge.places import LOCATIVE_PREPS, Locator
from ..models import Actor
from .arguments import ArgumentFinder, objects_named
from .build import EventBuilder
from .coded import CodedEvent, Trigger
from .frames import FrameReader, deterred, unreal
from .mentions import ActorReader
from .syntax import CIVILIAN_SECTORS, MAIN_ARGUMENTS, SOURCELESS_TYPES, lemma
from .triggers import SYMPATHY, sympathy_preps

FORMAL_PROTEST = TriggerPattern("noun", ("protest",), "protest", (), "ACCUSE", "disapprove", "114", 0.7, None, 0)
MILITARY_STRIKE = TriggerPattern("noun", ("strike",), "strike", (), "ASSAULT", None, "190", 0.7, None, 0)
DOER_OF_TYPES = frozenset({"RETREAT", "PROTEST", "MOBILIZE"})  # "the withdrawal of US troops": of names the doer
ATTRIBUTED_TYPES = frozenset({"ASSAULT", "COERCE", "PROTEST", "SANCTION", "THREATEN"})  # deeds one can be blamed for
SUFFERING_SECTORS = frozenset({"CVL", "JRN", "OPP", "REL", "EDU", "MED", "LAB", "HRI", "REF", "AGR"})
ACTING_SECTORS = frozenset({"MIL", "COP", "REB", "INS", "SPY", "UAF", "CRM"})
RECEIVED_TYPES = frozenset({"ACCUSE", "SUPPORT", "REJECT", "REQUEST", "THREATEN", "PROTEST", "SANCTION"})


class NominalCoder:
    """Codes event nouns with their possessors and prepositional arguments."""

    def __init__(self, frames: Frames, resolver: ActorResolver, locator: Locator, actors: ActorReader, args: ArgumentFinder, reader: FrameReader, builder: EventBuilder) -> None:
        self.frames = frames
        self.resolver = resolver
        self.locator = locator
        self.actors = actors
        self.args = args
        self.reader = reader
        self.builder = builder

    def attributed(self, events: list[CodedEvent], consumed: set[int]) -> list[CodedEvent]:
        """ "blamed Iran for the attack on its oil facilities", "attributed the bombing to Houthi rebels": the
        deed an accusation pins on its target is claimed of that target (ASSAULT Iran -> Saudi Arabia, claimed),
        as analysts code "X accused Y of attacking Z"."""
        found: list[CodedEvent] = []
        for accusation in [e for e in events if e.event_type == "ACCUSE" and e.target is not None and e.target.country]:
            verb = accusation.anchor
            nouns = [c for c in verb.children if c.dep_ == "dobj"] + [
                p for node in (verb, *(c for c in verb.children if c.dep_ in ("oprd", "acomp", "dobj")))
                for c in node.children if c.dep_ == "prep" and c.lower_ == "for" for p in c.children if p.dep_ == "pobj"]
            for noun in nouns:
                trigger = self.reader.finder.noun_trigger(noun)
                if trigger is None or trigger.pattern.event_type not in ATTRIBUTED_TYPES:
                    continue
                if noun.left_edge.idx <= accusation.target.start < noun.right_edge.idx + len(noun.right_edge.text):
                    continue  # "blamed both sides for the killings of civilians": the civilians suffered it
                coded = [e for e in events if noun in e.trigger and e is not accusation]
                for event in coded:
                    if event.source is None or event.source.text.lower() in self.frames.group_pronouns:
                        event.source, event.modality = accusation.target, "claimed"  # "criticized China for its crackdown"
                        victim_is_accuser(event, accusation)
                if not coded:
                    deed = self.code_noun(trigger, consumed, [(noun, accusation.target)])
                    for event in deed:
                        event.modality = "claimed"
                        victim_is_accuser(event, accusation)
                    found.extend(deed)
        return found

    def code_noun(self, trigger: Trigger, consumed: set[int],
                  doers: list[tuple[Token, Actor]] | None = None) -> list[CodedEvent]:
        """A nominal event: "the attack by Azerbaijan against Nagorno-Karabakh"; `doers`: its sources when the
        sentence says who did it elsewhere ("blamed Iran for the attack")."""
        noun = trigger.token
        consumed.update(t.i for t in trigger.tokens)
        sources: list[tuple[Token, Actor]] = list(doers or [])
        sufferers: list[tuple[Token, Actor]] = []
        for child in [] if sources else noun.children:
            if child.dep_ == "poss" or (child.dep_ in ("amod", "compound") and child.i in self.resolver.mention_at):
                sources = self.actors.actors_of(child, look_inside=False)
                if sources and child.dep_ == "poss" and self.suffers(noun, child, trigger, sources):
                    sufferers, sources = sources, []  # "his arrest", "Khashoggi's murder": the possessor suffers it
                if sources or sufferers:
                    break
        if not sources:
            done = [c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"  # "the attack, conducted by the Taliban"
                    and lemma(c) not in self.frames.mediation]  # not "talks facilitated by Norway": a third party's part
            if noun.dep_ == "pobj":  # "died in the attack, reportedly carried out by X": the participle hangs on the clause
                clause = noun.head.head
                done += [c for c in clause.children if c.dep_ == "advcl" and c.tag_ == "VBN" and c.i > noun.i
                         and lemma(c) in self.frames.light]
            doer_preps = ("by", "from") if trigger.pattern.event_type in RECEIVED_TYPES else ("by",)  # "criticism from Washington"
            for child in [g for node in (noun, *done) for g in node.children]:
                if child.dep_ in ("prep", "agent") and child.lower_ in doer_preps:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            sources = self.actors.actors_of(pobj)
        adjunct = trigger.pattern.event_type == "CONSULT" and self.consult_adjunct(noun)
        if not sources and adjunct:
            sources = self.args.sources_of(noun.head.head)[0]  # "was in Kyiv for talks with", "urged restraint in a call with"
        if not sources and trigger.pattern.event_type in DOER_OF_TYPES:  # "the resignation of MP John McVeigh"
            sources = [pair for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
                       for p in c.children if p.dep_ == "pobj" for pair in self.actors.actors_of(p)]
        targets: list[tuple[Token, Actor]] = []
        between: list[tuple[Token, Actor]] = []
        named = [c for of in noun.children if of.dep_ == "prep" and of.lower_ == "of" for w in of.children
                 if w.dep_ == "pobj" and lemma(w) in trigger.pattern.others
                 for c in w.children]  # "accusations of fraud against the government": the wrong's own phrase
        for prep in ("against", "on", "with", "to", "toward", "towards", "for", "between", "into", "of", "in"):
            if prep in ("of", "in") and trigger.pattern.event_type not in ("ASSAULT", "COERCE") \
                    and not (prep == "of" and trigger.pattern.event_type == "ACCUSE"):  # "criticism of Turkey"
                continue
            for child in [*noun.children, *named, *(sympathy_preps(noun, self.frames) or ())]:  # "our thoughts are with X"
                if child.dep_ == "prep" and child.lower_ == prep:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj" and pobj not in trigger.tokens:  # "claims of fraud": the claim's own word
                            found = [(t, a) for t, a in self.actors.actors_of(pobj) if a.country or a.code]
                            if prep == "in":
                                found = [(t, a) for t, a in found if a.sector is None]
                            elif child in named:  # "accusations of crimes against civilians": the wrong's victims
                                found = [(t, a) for t, a in found if a.sector not in CIVILIAN_SECTORS]
                            if prep == "between" and not targets:
                                between = found
                            targets = targets or found
        sources = [(t, a) for t, a in sources if a.country or a.code]
        if trigger.pattern.event_type == "PROTEST" and not trigger.pattern.others and lemma(noun) in self.frames.operations \
                and sources and all(a.sector in (None, "MIL") for _, a in sources):
            trigger = Trigger(MILITARY_STRIKE, noun, trigger.tokens)  # "US strikes", "Israeli strikes": no state goes on strike
        targets = targets or [(t, a) for t, a in sufferers if a.country or a.code] or (
            objects_named(self.actors, noun.head.head) if adjunct else [])  # "welcomed the Ivorian premier for talks"
        if not sources and len(between) > 1 and targets is between:
            sources = between  # "talks between Armenia and Azerbaijan", "clashes between police and protesters": each side acts
        if not targets and trigger.pattern.event_type in ("REQUEST", "THREATEN"):
            targets = self.args.clause_subjects(noun)
        if not targets and trigger.pattern.event_type == "ACCUSE" and noun.dep_ == "pobj" and noun.head.lower_ in ("despite", "amid"):
            targets = [(t, a) for t, a in self.args.sources_of(noun.head.head)[0] if a.code not in {s.code for _, s in sources}]
            # "announced the change despite criticism by Greece": the doer of what is criticised
        anchor = noun.head if noun.dep_ in ("dobj", "pobj", "nsubj", "attr") else noun
        while anchor.dep_ == "prep" and anchor.head != anchor:
            anchor = anchor.head
        threatened = False
        if noun.dep_ == "dobj" and lemma(anchor) in self.frames.receiving and trigger.pattern.event_type in RECEIVED_TYPES:
            sources, targets = self.received(noun, anchor)  # "Turkey drew criticism from the EU"
            threatened = trigger.pattern.event_type == "THREATEN"  # "the judge received death threats": from someone unknown
            if trigger.pattern.event_type == "PROTEST" and sources and all(a.sector in (None, "GOV") for _, a in sources):
                trigger = Trigger(FORMAL_PROTEST, noun, trigger.tokens)  # "drew a protest from China": a state's complaint
        victims = []
        if trigger.pattern.event_type in SOURCELESS_TYPES and noun.dep_ == "pobj" and noun.head.lower_ in ("in", "during") \
                and all(a.sector is None for _, a in targets):  # the people hit, rather than the place ("in Aden")
            victims = self.victims_of(anchor, noun, trigger.pattern.event_type, bool(sources))  # "five civilians died in the attack"
            targets = victims or targets
        if (not targets and trigger.pattern.event_type in SOURCELESS_TYPES and noun.dep_ == "nsubj" and anchor.pos_ in ("VERB", "AUX")
                and lemma(anchor) in self.frames.harm_verbs | self.frames.weapon_verbs):  # not "the raid drew condemnation"
            targets = self.struck(anchor)  # "twin bombings struck a church in Jolo", "a bomb went off in Kunduz"
        talked_about = noun.dep_ in ("nsubj", "nsubjpass") and (anchor.pos_ == "AUX" or lemma(anchor) in ("be", "seem", "appear", "remain"))
        if not sources and trigger.pattern.event_type == "PROTEST" and not talked_about:  # not "the protests were worrying"
            place = self.locator.locative(noun) or self.protest_place(noun, anchor) or (
                self.story_protests(noun) if noun.tag_ == "NNS" else None)  # "after weeks of protests" in a story of one country
            if place and place.country:
                implicit = Actor(noun.text, noun.idx, noun.idx + len(noun.text), "Protesters",
                                 f"{place.country}CVL", place.country, "CVL")
                sources = [(noun, implicit)]
        if not sources and not (targets and (threatened or trigger.pattern.event_type in SOURCELESS_TYPES
                                             and (noun.dep_ in MAIN_ARGUMENTS or victims or sufferers))):
            return []
        events = self.builder.base_event(trigger, anchor, sources, targets, f"nominal:{trigger.pattern.rule}")
        position = 1.0 if trigger.pattern is SYMPATHY else self.reader.clause_weight(noun) / max(self.reader.clause_weight(anchor), 0.01)
        for event in events:
            event.confidence *= 0.8 * position
            if self.reader.negated(anchor):
                event.confidence *= 0.7
            determiners = {c.lower_ for c in noun.children if c.dep_ == "det"}
            if "no" in determiners:  # "there was no attack"
                event.polarity = "negated"
            elif "any" in determiners or deterred(self.reader.frames, noun) or (  # "would retaliate against any incursion"
                    noun.dep_ == "dobj" and lemma(noun.head) in self.frames.prevention):  # "police prevented the demonstration"
                event.modality = "hypothetical"
                event.confidence *= 0.4
            speaker, how, _ = self.reader.attribution(anchor)
            if speaker is not None:
                event.attributed_to = speaker
            if how == "claimed":
                event.modality = "claimed"
        return events

    def consult_adjunct(self, noun: Token) -> bool:
        """Talks, a call or a visit named beside a clause ("was in Kyiv for talks with", "urged restraint in a call
        with"), unless the clause is an event of its own with its own purpose ("recalled its ambassador for
        consultations") or its own visit ("flew to Baghdad for talks on water")."""
        if noun.dep_ != "pobj" or not (noun.head.lower_ in ("for", "during") or (
                noun.head.lower_ == "in" and any(c.dep_ == "prep" and c.lower_ == "with" for c in noun.children))):
            return False
        clause_event = self.reader.finder.verb_trigger(noun.head.head)
        return clause_event is None or (noun.head.lower_ != "for" and clause_event.pattern.event_type != "CONSULT")

    def suffers(self, noun: Token, owner: Token, trigger: Trigger, owners: list[tuple[Token, Actor]]) -> bool:
        """A person's arrest or murder is done to them: the possessor of a harm with no of-object is its
        target when it names people, not a state or a group that acts ("Russia's attack", "Hamas's raid")."""
        if trigger.pattern.event_type not in ("COERCE", "ASSAULT") or any(
                c.dep_ == "prep" and c.lower_ in ("of", "on", "against") for c in noun.children):
            return False  # "Iran's shootdown of a drone", "the leader's attack on the government"
        if owner.lower_ in self.frames.person_pronouns or owner.lower_ == "their":
            return True
        return all(a.sector is not None and (a.sector in SUFFERING_SECTORS or self.resolver.names.is_person(owner) and a.sector not in ACTING_SECTORS)
                   for _, a in owners)  # a country is no person, whatever the entity recogniser says

    def story_protests(self, noun: Token):
        """The story's country for protests named in passing, when the story is clearly set there and the
        sentence places nothing elsewhere ("despite protests against the war in Gaza" is no Gazan protest)."""
        story = self.locator.article_country()
        if story is None or self.locator.votes.get(story.country or "", 0) < 2:
            return None
        place = self.locator.in_sentence(sentence_of(noun), set())
        return story if place is None or place.country in (None, story.country) else None

    def protest_place(self, noun: Token, anchor: Token):
        """Where protests named as a clause's subject happen: "protests filled the streets of San Juan",
        "riots broke out in Kenosha", "protests continued across the nation" (the story's country)."""
        if noun.dep_ != "nsubj" or anchor.pos_ not in ("VERB", "AUX") or lemma(anchor) not in self.frames.occurrence_verbs:
            return None  # "the protests in Hong Kong were worrying" talks about protests
        place = self.locator.locative(anchor)
        objects = [c for c in anchor.children if c.dep_ == "dobj"]  # "filled the San Juan streets", "the streets of San Juan"
        named = objects + [q for o in objects for g in o.children if g.dep_ == "prep" for q in g.children if q.dep_ == "pobj"]
        for noun_phrase in named:
            place = place or self.locator.place_of_np(noun_phrase)
        return place or self.locator.article_country()

    def received(self, noun: Token, verb: Token) -> tuple[list[tuple[Token, Actor]], list[tuple[Token, Actor]]]:
        """A reaction an actor received: its doers are in "from", its target is the receiver, or the owner of
        the receiving deed ("the Israeli raid drew condemnation from Jordan": Jordan accuses Israel)."""
        froms = [p for node in (noun, verb) for c in node.children if c.dep_ == "prep" and c.lower_ == "from"
                 for p in c.children if p.dep_ == "pobj"]
        sources = [(t, a) for p in froms for t, a in self.actors.actors_of(p) if a.country or a.code or a.sector]
        receivers, passive = self.args.subject_of(verb)  # "Israel moved troops in, drawing condemnation from Egypt"
        receivers = [] if passive and not any(c.dep_ == "nsubjpass" for c in verb.children) else receivers
        targets = [(t, a) for r in receivers for t, a in self.actors.actors_of(r) if a.country or a.code]
        return sources, targets

    def struck(self, verb: Token) -> list[tuple[Token, Actor]]:
        """Whom an attack named as the subject hit: the verb's objects ("killed 40 people", "struck an Iraqi
        base"), else the country of the place it happened in ("went off in Kunduz", "rocked the Lebanese capital")."""
        heads = [verb, *(c for c in verb.children if c.dep_ in ("oprd", "ccomp", "xcomp"))]  # "left 40 people dead"
        for head in heads:
            found = [(t, a) for t, a in self.args.targets_of(head, set()) if a.country or a.code]
            found = found or [(t, a) for c in head.children if c.dep_ == "nsubj" and head != verb
                              for t, a in self.actors.actors_of(c) if a.country or a.code]
            if found:
                return found
        found = self.args.locative_actor(verb)
        if found:
            return found
        for child in verb.children:  # "erupted in the Libyan capital"
            if child.dep_ == "prep" and child.lower_ in LOCATIVE_PREPS:
                for pobj in (p for p in child.children if p.dep_ == "pobj"):
                    found = [(t, a) for t, a in self.actors.actors_of(pobj) if a.country]
                    if found:
                        return found
        place = self.locator.locative(verb) or self.locator.article_country()  # "rockets struck near the base"
        if place is None or not place.country:
            return []
        return [(verb, Actor(verb.text, verb.idx, verb.idx + len(verb.text), place.name, place.country, place.country, None))]

    def victims_of(self, verb: Token, noun: Token, event_type: str, doer: bool) -> list[tuple[Token, Actor]]:
        """Who suffered, when an attack (`noun`) is the setting of dying, injury or arrest: the clause's subject; not
        those said not to, nor the attackers ("the gunman died in the attack"), nor those arrested in a raid."""
        if lemma(verb) not in self.frames.suffering or verb.pos_ not in ("VERB", "AUX") or not suffered(verb, self.reader) \
                or (event_type == "ASSAULT" and lemma(verb) in ("arrest", "detain")):
            return []
        heads = [c for c in verb.children if (c.dep_ == "nsubjpass" or (c.dep_ == "nsubj" and lemma(verb) in self.frames.intransitive_suffering))
                 and not any(d.lower_ in ("no", "none") for d in c.subtree)]
        attackers = ("UAF", "CRM") if doer else ("UAF", "CRM", "REB")
        found = [(t, a) for h in heads for t, a in self.actors.actors_of(h) if (a.country or a.code or a.sector) and a.sector not in attackers]
        if all(a.country or a.code for _, a in found):
            return found
        # "five civilians died in the attack in Aden": unnamed people are where it happened, not the doer's own
        place = self.locator.locative(noun) or self.locator.locative(verb) or self.locator.article_country()
        return [(t, a if a.country or a.code else replace(a, country=place.country, code=f"{place.country}{a.sector}"))
                for t, a in found if a.country or a.code or (place and place.country)]


def suffered(verb: Token, reader: FrameReader) -> bool:
    """Said to have happened: not negated, asked about or only possible ("might have died")."""
    return not (reader.negated(verb) or unreal(verb, reader))


def victim_is_accuser(deed: CodedEvent, accusation: CodedEvent) -> None:
    """ "Moscow blamed Kyiv for the drone attack": an attack blamed on someone with no victim named (or only one
    guessed from the doer's own country) was made on the accuser, when the accuser is a state that speaks for its
    people; a rights group or a party blaming someone speaks for others ("Amnesty blamed the army for the attack")."""
    accuser = accusation.source
    if deed.event_type != "ASSAULT" or deed.source is None or accuser is None or not accuser.country \
            or accuser.sector not in (None, *STATE_BODY_SECTORS):
        return
    if deed.target is None or (":implicit-target" in deed.rule and deed.target.country == deed.source.country):
        deed.target = accusation.source
        deed.rule += ":on-accuser"
