"""Events built from a trigger and its arguments: one per source-target pair, with implicit targets and commitments."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ..knowledge.actor_entries import Mention
from ..knowledge.actor_resolver import ActorResolver
from ..knowledge.docs import sentence_of
from ..knowledge.lexicon import HOSTILE_TYPES, Frames
from ..knowledge.places import Locator
from ..models import Actor
from .arguments import ArgumentFinder, addressees, objects_named, reduced_passive
from .coded import CodedEvent, Trigger, pairs
from .frames import FrameReader
from .mentions import ActorReader
from .syntax import (
    ARRESTING_SECTORS,
    CIVILIAN_SECTORS,
    lemma,
)

PRIVATE_VISITORS = frozenset({"CVL", "REF", "LAB", "BUS", "EDU", "AGR"})  # whose arrivals are not visits
POLITICIANS = frozenset({"GOV", "LEG", "OPP", "PTY", "ELI", "JUD"})  # who attack one another in words
ARMED = frozenset({"MIL", "REB", "UAF", "INS", "PRM", "SPY"})  # who fight


class EventBuilder:
    """Turns a matched trigger and its arguments into `CodedEvent`s."""

    def __init__(self, frames: Frames, actors: ActorReader, args: ArgumentFinder, reader: FrameReader) -> None:
        self.frames = frames
        self.actors = actors
        self.args = args
        self.reader = reader
        # CAMEO 03x code -> the PLOVER type of the intended action (the inverse of intent_cameo)
        self.intended_by_code = {code: kind for kind, code in frames.intent_cameo.items() if kind != "AGREE"}

    def base_event(self, trigger: Trigger, verb: Token, sources, targets, rule: str) -> list[CodedEvent]:
        events = []
        pattern = trigger.pattern
        implicit = False
        joint = pattern.event_type == "MOBILIZE" and jointly_done(trigger, verb, self.frames.joint_markers) \
            and partnered(sources, targets)
        mutual = joint or pattern.head in self.frames.reciprocal or (
            pattern.head in self.frames.joint_verbs and bool(set(pattern.others) & self.frames.reciprocal_objects))
        own = {t.i for t in trigger.tokens}
        if len(sources) > 1 and mutual and all(a.sector in ("CVL", "MIL") and not a.country and own & set(range(t.left_edge.i, t.right_edge.i + 1))
                                               for t, a in targets):
            targets = sources  # "Chile, Peru and Bolivia met", "Russia and Ukraine exchanged prisoners": every ordered pair
        if len(sources) > 1 and pattern.event_type in ("AGREE", "CONSULT") and only_places(self.actors.resolver, targets):
            targets = sources  # "the ministers agreed to meet on Crete": with each other, not with the island
        if len(sources) > 1 and mutual and targets and all(t.dep_ == "pobj" and t.head.lower_ in ("over", "about", "on", "at")
                                                           for t, _ in targets):
            targets = sources  # "Indian and Chinese troops clashed over the border": each other, not what they fought over
        if not targets and pattern.event_type == "PROTEST":
            targets = protested_missions(self.actors, verb, self.frames)
        if not targets and sources:
            targets = self.args.fallback_targets(trigger, verb, sources)
            implicit = bool(targets)
        pronouns = self.frames.person_pronouns | self.frames.group_pronouns
        for source, target in pairs(sources, targets):
            if source is not None and target is not None and source.code and source.code == target.code \
                    and (target.text.lower() in pronouns or source.text.lower() in pronouns and not (
                        source.text.lower() in self.frames.person_pronouns and pattern.event_type in ("ASSAULT", "COERCE"))):
                continue  # "Berlin ... was withholding it": a pronoun that comes back to the source is no target (but "he
                # injured three people": a person who hurts others of the same country and sector hurts other people)
            if pattern.mode == "visit" and source is not None and (source.sector in PRIVATE_VISITORS or target is not None
                                                                   and target.sector is None and source.country
                                                                   and source.country == target.country):
                continue  # a trip to a town of one's own country, or refugees' and tourists' arrival, is no diplomatic visit
            event_type, cameo, mode = pattern.event_type, pattern.cameo, pattern.mode
            confidence = pattern.confidence * self.reader.clause_weight(verb)
            target = placed_victims(self.args.locator, verb, target) if pattern.event_type == "ASSAULT" else target
            if source is None and pattern.head in self.frames.state_acts:
                source = authorities(self.args.locator, self.actors.resolver, verb, event_type, target)  # as sure as
                # the doer-less event it would otherwise be (the coder weighs both alike)
            source, target, filled = self.args.fill_domestic(source, target, pattern.event_type)
            if filled:
                confidence *= 0.8
            elif source is not None and source.country is None and source.code is None:
                source = self.args.sole_country(source, verb, target)
                confidence *= 0.7
            if pattern.civilian and source is not None and (source.sector in CIVILIAN_SECTORS):
                event_type, cameo = pattern.civilian
            if joint:
                event_type, cameo = "COOPERATE", "062"  # exercises or patrols held with partners: military cooperation
            if event_type == "ASSAULT" and (verbal(verb, self.frames) or quarrel(verb, source, target, self.frames)):
                event_type, cameo, mode = "ACCUSE", "111", None  # "attacked the court in a speech": in words
            elif event_type == "ASSAULT" and source is not None and set(source.text.lower().split()) & self.frames.cyber_doers:
                event_type, cameo, mode = "COERCE", "176", "cyber"  # "hackers attacked the water utilities": a cyber attack
            if pattern.head in self.frames.judicial_detentions and source is not None and source.sector in DETAINERS:
                event_type, cameo, mode = "COERCE", "173", "arrest"  # "police jailed dozens of protesters": no sentence
            if target is None and (trigger.token != verb or self.reader.clause_weight(verb) < 1):
                confidence *= 0.6  # a side remark with no one on the receiving end
            event = CodedEvent(
                source, target, event_type, mode, cameo, trigger.tokens, verb,
                confidence=confidence * (0.8 if implicit else 1.0), rule=rule + (":implicit-target" if implicit else ""),
            )
            intended = self.intended_by_code.get(cameo[:3]) if event_type == "AGREE" and cameo[:3] != "030" else None
            if intended:  # "offered talks", "pledged aid": an intention to act, said not done
                event.modality, event.intended_type = "intended", intended
            events.append(event)
        return events

    def code_commitment(self, verb: Token, clause: Token) -> list[CodedEvent]:
        """An explicit commitment whose action has no pattern of its own: AGREE with no intended type."""
        sources, _ = self.args.sources_of(verb)
        targets = self.args.targets_of(clause, set())
        events = []
        for _, source in sources:
            for _, target in targets or [(None, None)]:
                event = CodedEvent(source, target, "AGREE", None, "030", (verb, clause), verb, modality="intended",
                                   confidence=0.5 * self.reader.clause_weight(verb), rule=f"frame:commitment:{lemma(verb)}")
                self.reader.apply_context(event, verb, framed=True)
                events.append(event)
        return events

    def code_obligation(self, verb: Token, consumed: set[int], trigger: Trigger | None = None) -> list[CodedEvent]:
        """ "X said Y must do Z": X requests Z of Y (REQUEST, intended type Z's)."""
        if not (self.reader.aux_words(verb) & self.frames.obligation_modals):
            return []
        speaker, how, reporter = self.reader.attribution(verb)
        if speaker is None or reporter is None:
            return []
        targets = [pair for h in self.args.subject_of(verb)[0] for pair in self.actors.actors_of(h)]
        intended = trigger.pattern.event_type if trigger else None
        cameo = self.frames.request_cameo.get(intended or "", "020")
        events = []
        for _, target in targets or [(None, None)]:
            if target is not None and (target.start, target.end) == (speaker.start, speaker.end):
                continue
            _, target, _ = self.args.fill_domestic(speaker, target, "REQUEST")
            events.append(CodedEvent(
                speaker, target, "REQUEST", None, cameo, (verb,) if trigger is None else trigger.tokens, verb,
                confidence=0.6 * self.reader.clause_weight(reporter), rule=f"frame:obligation:{lemma(reporter)}",
                modality="requested", intended_type=intended, attributed_to=speaker,
            ))
        return events

    def code_bare_frame(self, verb: Token, kind: str, clause: Token, own: Trigger | None) -> list[CodedEvent]:
        """A threat, refusal or request whose complement holds no event pattern:
        "threatened to flood the villages", "refused to answer the senators' questions"."""
        sources, _ = self.args.sources_of(verb)
        if not sources:
            return []
        own_subjects = {t.i for t, _ in sources}
        if kind == "request":
            targets = objects_named(self.actors, verb)
            targets = targets or [pair for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") for pair in self.actors.actors_of(c)]
            event_type, cameo, modality = "REQUEST", "020", "requested"
        else:
            targets = (addressees(self.actors, verb) if kind == "threaten" else []) or self.args.targets_of(clause, set()) \
                or self.args.condition_subjects(verb) or self.args.condition_subjects(clause)  # "warned the US that ..."
            event_type, cameo, modality = ("THREATEN", "130", "threatened") if kind == "threaten" else ("REJECT", "120", "actual")
        if own is not None and own.pattern.event_type == event_type:
            cameo = own.pattern.cameo
        targets = [(t, a) for t, a in targets if t.i not in own_subjects]
        events = []
        for source, target in pairs(sources, targets):
            source, target, _ = self.args.fill_domestic(source, target, event_type)
            event = CodedEvent(source, target, event_type, None, cameo, (verb,), verb, modality=modality,
                               confidence=0.6 * self.reader.clause_weight(verb), rule=f"frame:{kind}:{lemma(verb)}")
            if self.reader.negated(clause) and not self.reader.negated(verb):
                event.polarity = "negated"
            self.reader.apply_context(event, verb, framed=True)
            events.append(event)
        return events

    def allegations(self, events: list[CodedEvent]) -> list[CodedEvent]:
        """ "Ukraine alleged that Russia shelled Kharkiv": the claimant accuses the alleged doer; "his associates
        alleged Navalny was poisoned": an accusation with no one named (as GUIDELINES codes "allege")."""
        found: dict[tuple, CodedEvent] = {}
        for event in events:
            verb, speaker, doer = event.alleged_by, event.attributed_to, event.source
            if verb is None or speaker is None or event.event_type not in HOSTILE_TYPES or not (speaker.country or speaker.code):
                continue
            if doer is None and (lemma(verb) not in self.frames.accusing_reports or speaker.sector == "CVL"):
                continue  # "claimed 90 civilians were wounded": a toll; witnesses who allege accuse no political actor
            if doer is not None and ((speaker.start, speaker.end) == (doer.start, doer.end) or (speaker.code and speaker.code == doer.code)):
                continue
            key = (verb.i, doer and doer.code, doer and doer.start)
            if key not in found:
                found[key] = CodedEvent(speaker, doer, "ACCUSE", "allege", "112", (verb,), verb,
                                        confidence=0.7 * self.reader.clause_weight(verb),
                                        rule=f"frame:allegation:{lemma(verb)}{'' if doer else ':no-doer'}")  # no home target
        return list(found.values())


def jointly_done(trigger: Trigger, verb: Token, markers: frozenset[str]) -> bool:
    """A joint marker on the trigger's words or the verb: "joint drills", "patrolled together", "jointly held",
    "their drills" (joint only when several countries hold them: `partnered`)."""
    words = {trigger.token, verb, *trigger.tokens}
    return any(child.lower_ in markers and child.dep_ in ("amod", "advmod", "compound", "npadvmod", "poss")
               for word in words for child in word.children)


DETAINERS = frozenset({"COP", "MIL", "SPY", "GOV", "REB", "UAF", "INS", "CRM", "PRM"})  # who jail without sentencing


def partnered(sources, targets) -> bool:
    """Several countries act together, or one acts "with" another: "Russia held joint drills with Belarus"; not one
    army's own branches ("joint exercises of ground and air forces") nor a place near which it drills."""
    own = {actor.country for _, actor in sources if actor.country}
    return len(own) > 1 or any(token.head.lower_ == "with" and actor.country and actor.country not in own for token, actor in targets)


def placed_victims(locator: Locator, verb: Token, target: Actor | None) -> Actor | None:
    """People hurt where the sentence places the attack are of that place, not the attacker's: "five civilians
    died in US strikes in Somalia" (people known only by sector; soldiers and officials keep their own reading)."""
    if target is None or target.country or target.code or target.sector not in CIVILIAN_SECTORS | {"UNK"}:
        return target
    place = locator.locative(verb) or locator.in_sentence(sentence_of(verb), set())
    return replace(target, country=place.country, code=f"{place.country}{target.sector}") if place and place.country else target


def authorities(locator: Locator, resolver: ActorResolver, verb: Token, event_type: str, target: Actor | None) -> Actor | None:
    """The police or the courts of where a passive arrest or charge with no named doer happened ("was arrested
    in Paris": France's police); a reduced passive ("appeared in court, charged with murder") counts. Not when
    another state is named beside it, in this sentence or the one before, other than as the one arrested: "Israeli
    troops raided Jenin and 12 Palestinians were arrested", "two men were detained in Crimea, Russia's FSB said"."""
    if not (any(c.dep_ == "auxpass" for c in verb.children) or verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl", "conj")
            or reduced_passive(verb)) or any(c.dep_ == "agent" for c in verb.children):
        return None
    sent = sentence_of(verb)
    place = locator.locative(verb) or locator.in_sentence(sent, set()) or locator.article_country()
    if place is None or not place.country:
        return None
    start = sentence_of(verb.doc[sent.start - 1]).start if sent.start > 0 else sent.start
    inside = range(target.start, target.end) if target is not None else range(0)
    if any(start <= m.start < sent.end and m.entry.country and m.entry.country != place.country
           and verb.doc[m.start].idx not in inside and _could_arrest(verb.doc[m.start], m, verb, target, resolver)
           for m in resolver.mentions):
        return None
    sector = "COP" if event_type == "COERCE" else "JUD"
    return Actor(verb.text, verb.idx, verb.idx + len(verb.text), None, f"{place.country}{sector}", place.country, sector)


REASON_PREPOSITIONS = frozenset({"on", "for", "over", "after", "under", "following", "because"})


def _could_arrest(token: Token, mention: Mention, verb: Token, target: Actor | None, resolver: ActorResolver) -> bool:
    """Whether another state named near a passive arrest may be the one that made it. Not when it is named in
    the arrest's reason as its object ("on suspicion of spying for Russia", "after attacking the Turkish
    consulate"; but "after an Israeli raid", "after Russian troops entered" name the doer), nor when it reports on
    its own nationals from outside the clause ("Two Indians were detained in Qatar, India said"), unless its
    police, army or intelligence report it ("Two Israelis were arrested in Hebron, Israeli police said")."""
    if token in verb.subtree:
        if _acts_in_reason(token, verb):
            return True
        node = token
        while node != verb:
            if node.dep_ in ("advcl", "relcl", "acl", "pcomp") or node.dep_ == "prep" and node.lower_ in REASON_PREPOSITIONS:
                return False
            node = node.head
        return True
    owner = token.head if token.dep_ in ("amod", "compound", "poss") else token
    force = mention.entry.sector in ARRESTING_SECTORS or resolver.sector_at([owner.i])[0] in ARRESTING_SECTORS
    return force or target is None or target.country != mention.entry.country


def _acts_in_reason(token: Token, verb: Token) -> bool:
    """The state is the doer of the reason, not its object: the subject of its clause ("after Russian troops
    entered"), the owner of the noun the reason's preposition governs ("after an Israeli raid", "under a Russian
    law"), or that noun's "by" ("after a raid by Russia's FSB")."""
    head = token
    while head.dep_ in ("amod", "compound", "poss", "nmod"):
        head = head.head
    if head.dep_ in ("nsubj", "nsubjpass"):
        return head.head == verb or head.head.head == verb
    if head.dep_ == "pobj" and head.head.lower_ == "by":
        head = head.head.head
    return head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head == verb


def verbal(verb: Token, frames: Frames) -> bool:
    """An attack made in words: "attacked the Supreme Court in a speech", "verbally attacked the minister",
    "attacked the impeachment inquiry" (what only words can hit)."""
    return lemma(verb) in frames.verbal_attacks and (any(c.lower_ in frames.verbal_markers for c in verb.children if c.dep_ == "advmod") or any(
        lemma(p) in frames.speech_settings for c in verb.children if c.dep_ == "prep" and c.lower_ == "in"
        for p in c.children if p.dep_ == "pobj") or any(c.dep_ == "dobj" and lemma(c) in frames.verbal_objects for c in verb.children)
        or any(c.dep_ == "prep" and (c.lower_ == "as" or c.lower_ == "for" and any(g.tag_ == "VBG" for g in c.children))
               for c in verb.children))  # "attacked Seoul as the principal enemy", "attacked the West for arming Kyiv"


def only_places(resolver: ActorResolver, targets: list) -> bool:
    """Targets that are all places named in the text, no actor's name ("on Crete", "in Bali"): where, not whom."""
    return bool(targets) and all(t.i in resolver.places and t.i not in resolver.mention_at for t, _ in targets)


def quarrel(verb: Token, source: Actor | None, target: Actor | None, frames: Frames) -> bool:
    """Politicians who clash or attack one another in words, not arms: "the opposition leader clashed with the prime
    minister over housing", "Macron and Scholz clashed at the EU summit", "Erdogan attacked Netanyahu". The other
    side is a politician too, or no armed body and the clash says what it was over or where it was argued."""
    if source is None or source.sector not in POLITICIANS or target is not None and target.sector in ARMED:
        return False
    word, preps = lemma(verb), [t for t in verb.subtree if t.dep_ == "prep" and t.head.dep_ not in ("relcl", "advcl", "ccomp")]
    if target is not None and target.sector in POLITICIANS and (word == "clash" or word in frames.verbal_attacks and not any(
            c.dep_ == "prep" and c.lower_ in ("with", "by") for c in verb.children)):
        return True  # "Zelensky clashed with Trump", "Erdogan attacked Netanyahu": two politicians
    return word == "clash" and (any(p.lower_ == "over" for p in preps) or any(  # "clashed with him at the summit"
        lemma(o) in frames.quarrel_settings for p in preps if p.lower_ in ("at", "in", "during") for o in p.children if o.dep_ == "pobj"))


def protested_missions(actors: ActorReader, verb: Token, frames: Frames) -> list[tuple[Token, Actor]]:
    """ "Protesters rallied outside the Russian embassy in Warsaw": a protest at a country's mission is aimed at
    that country."""
    places = [p for c in verb.children if c.dep_ == "prep" for p in c.subtree if p.dep_ == "pobj" and lemma(p) in frames.missions]
    return [(p, a) for p in places for _, a in actors.actors_of(p) if a.country]
