"""Verdicts as accusations: "X called Y's decision illegal", "the court ruled that the decree was
unconstitutional", "X described the attack as barbaric" are ACCUSE (CAMEO 111) by X against the actor
judged, or the actor whose deed is judged. No verdict word, no event; a negated verdict is none either.
Positive verdicts on an actor or its deed ("called Xi a dear friend") are praise (SUPPORT 051).
"""

from __future__ import annotations

from spacy.attrs import POS
from spacy.tokens import Span, Token

from ..knowledge.docs import token_labels
from ..knowledge.noun_phrases import STATE_BODY_SECTORS
from ..knowledge.verdicts import Verdicts, load_verdicts
from ..models import Actor
from .arguments import ArgumentFinder
from .coded import CodedEvent, pairs
from .frames import FrameReader, unreal
from .mentions import ActorReader
from .syntax import lemma, lemmas_of, misparsed_complement, words_among

CLAUSE_DEPS = ("ccomp", "xcomp", "oprd", "acomp")
COMPLEMENT_DEPS = ("acomp", "attr", "oprd")
LIGHT_NOUNS = frozenset({"act", "case", "form", "kind", "type", "example", "instance"})
STAND_INS = frozenset({"it", "this", "that", "what"})  # words that stand for the thing judged ("in what police called ...")
STOP_DEPS = ("relcl", "ccomp", "advcl", "acl", "prep", "appos")  # a verdict word must be in the complement itself


class VerdictCoder:
    """Finds negative verdicts on actors in a sentence the other stages left without an accusation."""

    def __init__(self, actors: ActorReader, args: ArgumentFinder, reader: FrameReader,
                 verdicts: Verdicts | None = None) -> None:
        self.actors = actors
        self.args = args
        self.reader = reader
        self.verdicts = verdicts or load_verdicts()

    def code(self, sent: Span, events: list[CodedEvent]) -> list[CodedEvent]:
        anchors = {t.i for e in events for t in e.trigger}
        accused = {(e.source and e.source.code, e.target and e.target.code) for e in events if e.event_type == "ACCUSE"}
        found: list[CodedEvent] = []
        doc, pos, lemmas = sent.doc, token_labels(sent.doc, POS), lemmas_of(sent.doc)  # a Token only where wanted
        for i in range(sent.start, sent.end):
            if i in anchors or not (lemmas[i] in self.verdicts.warnings or pos[i] in ("VERB", "AUX")):
                continue
            verb = doc[i]
            if lemmas[i] in self.verdicts.warnings:
                found.extend(self.warning(verb))
            if pos[i] not in ("VERB", "AUX") or self.reader.negated(verb) or not asserted(verb, self.reader):
                continue
            judged = self.judged(verb)
            if judged is None:
                found.extend(self.praise(verb))
                continue
            sources, _ = self.args.sources_of(verb)
            deeds = self.deed_complements(verb) if judged.lower_ in STAND_INS else []  # "treating it as a terrorist incident"
            targets = [(t, a) for deed in deeds for t, a in self.judged_actors(deed) + self.actors.inner_actors(deed)
                       if not self.negative(t)][:1] if deeds else self.judged_actors(judged)  # a "terrorist attack" is
            # a verdict, not an attack by terrorists; its doer is its "by" phrase or owner
            ownerless = not targets and (bool(deeds) or self.ownerless_deed(judged))  # "described the bombing as barbaric"
            if not targets and (not ownerless or against_norm(self.verdicts, judged)):
                continue  # "said the agreement on ... goes against the resolution": whose deal is not read here
            for source, target in pairs(sources, targets):
                source, target, _ = self.args.fill_domestic(source, target, "ACCUSE")
                if source is None or not (source.country or source.code):
                    continue
                if ownerless:
                    found.append(self.accusation(verb, source, None, 0.45, rule=":violation" if self.violates(judged) else ""))
                    continue
                if target is None or not (target.country or target.code):
                    continue
                if target.sector is None and target.country == source.country:
                    continue  # "the American strike was a mistake", said by Americans: owning up, not accusing
                if source.code and source.code == target.code:
                    continue
                if (source.code, target.code) in accused:
                    continue
                accused.add((source.code, target.code))
                found.append(self.accusation(verb, source, target, 0.6))
        for word in words_among(sent, self.verdicts.displeasure):  # "Germany is concerned about Russia's buildup",
            # "the decision angered Greece"
            if word.i in anchors or self.reader.negated(word) \
                    or (word.dep_ == "acomp" and self.reader.negated(word.head)):  # "is not concerned"
                continue
            for source, target in self.displeased(word):
                if (source.code, target.code) not in accused and source.code != target.code:
                    accused.add((source.code, target.code))
                    found.append(self.accusation(word, source, target, 0.55, "110"))
        named = {source for source, target in accused if target}  # a speaker who accuses someone by name: no bare verdicts too
        return [e for e in found if e.target is not None or e.source is None or e.source.code not in named]

    def praise(self, verb: Token) -> list[CodedEvent]:
        """A positive verdict on an actor or its deed is praise (SUPPORT 051): "called Xi a dear friend", "said
        Egypt's mediation was constructive". A deed with no doer named, or the speaker's own, praises no one."""
        praised = self.judged(verb, self.verdicts.positive)
        if praised is None or praised.lower_ in STAND_INS:
            return []
        events = []
        for source, target in pairs(self.args.sources_of(verb)[0], self.judged_actors(praised)):
            source, target, _ = self.args.fill_domestic(source, target, "SUPPORT")
            if source is None or target is None or not (source.country or source.code) or not (target.country or target.code) \
                    or source.code == target.code or target.country == source.country:
                continue  # praise of one's own state or army is no relation between actors
            event = CodedEvent(source, target, "SUPPORT", None, "051", (verb,), verb,
                               confidence=0.55 * self.reader.clause_weight(verb), rule=f"praise:{lemma(verb)}")
            self.reader.apply_context(event, verb)
            events.append(event)
        return events

    def warning(self, verb: Token) -> list[CodedEvent]:
        """ "China will not tolerate any foreign interference": what an actor says it will not stand for is a
        warning (THREATEN 130) to whoever would do it."""
        if not (self.reader.negated(verb) and self.reader.aux_words(verb) & self.reader.frames.future_modals):
            return []
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            return []  # "will not be tolerated": the speaker is read elsewhere
        objects = [c for c in verb.children if c.dep_ == "dobj"]
        if not objects or not any(lemma(o) in self.verdicts.deeds or self.negative(o) for o in objects):
            return []  # "will not accept the results" is a refusal, not a warning
        sources, _ = self.args.sources_of(verb)
        targets = [pair for o in objects for pair in self.judged_actors(o)]
        events = []
        for source, target in pairs(sources, targets):
            if source is None or not (source.country or source.code) or (target is not None and target.code == source.code):
                continue
            event = CodedEvent(source, target, "THREATEN", None, "130", (verb,), verb,
                               confidence=0.5 * self.reader.clause_weight(verb), rule=f"warning:{lemma(verb)}")
            self.reader.apply_context(event, verb)
            event.modality, event.polarity = "threatened", "affirmed"  # the "not" and "will" make the warning
            events.append(event)
        return events

    def displeased(self, word: Token) -> list[tuple[Actor, Actor]]:
        """(who is displeased, with whom) for a word of displeasure: the experiencer is the subject of
        "is concerned about", "was angered by", "is critical of", the object of "the move angered Greece";
        the one blamed is the stimulus itself or the owner of the deed ("Russia's buildup")."""
        if word.pos_ == "VERB" and not any(c.dep_ in ("auxpass", "nsubjpass") for c in word.children) and word.dep_ != "acomp":
            experiencers = [c for c in word.children if c.dep_ == "dobj"]
            stimuli = [c for c in word.children if c.dep_ == "nsubj" and lemma(c) in self.verdicts.deeds]  # not "Morocco upset Spain"
        else:
            clause = word.head if word.dep_ in ("acomp", "amod", "oprd") else word
            experiencers = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
            if word.dep_ == "amod" and word.head.pos_ in ("NOUN", "PROPN"):
                experiencers = [word.head]  # "the angry Chinese government"
            stimuli = [p for node in (word, clause) for c in node.children
                       if c.dep_ in ("prep", "agent") and c.lower_ in self.verdicts.displeasure_preps
                       for p in c.children if p.dep_ == "pobj"]
        pairs_found = []
        for experiencer in experiencers:
            for _, source in self.actors.actors_of(experiencer):
                if not (source.country or source.code):
                    continue
                for stimulus in stimuli:
                    if not (stimulus.i in self.actors.resolver.mention_at or lemma(stimulus) in self.verdicts.deeds
                            or self.state_body(stimulus)):  # "critical of the Toronto police"
                        continue  # "worried about the fate of the hostages", "concerned about inflation in Spain"
                    for _, target in self.judged_actors(stimulus):
                        if (target.country or target.code) and not (
                                target.country == source.country and target.sector in (None, "CVL")):
                            pairs_found.append((source, target))
        return pairs_found

    def state_body(self, head: Token) -> bool:
        """A phrase naming a state body by its word alone ("the police", "the army"), no name needed."""
        actor = self.actors.actor_of(head)
        return actor is not None and actor.sector in STATE_BODY_SECTORS and bool(actor.country)

    def accusation(self, verb: Token, source: Actor, target: Actor | None, confidence: float, cameo: str = "111",
                   rule: str = "") -> CodedEvent:
        event = CodedEvent(source, target, "ACCUSE", "disapprove", cameo, (verb,), verb,
                           confidence=confidence * self.reader.clause_weight(verb), rule=f"verdict:{lemma(verb)}{rule}")
        self.reader.apply_context(event, verb)
        return event

    def deed_complements(self, verb: Token) -> list[Token]:
        """ "treated it as a terrorist incident", "what police declared a terrorist attack": when the verdict's
        own complement is a deed, the pronoun it judges stands for that deed (whose doer it may name), not an actor."""
        complements = [c for c in verb.children if c.dep_ in COMPLEMENT_DEPS]
        complements += [p for c in verb.children if c.dep_ == "prep" and c.lower_ == "as" for p in c.children if p.dep_ == "pobj"]
        return [c for c in complements if lemma(c) in self.verdicts.deeds and c.pos_ == "NOUN" and self.negative(c)]

    def ownerless_deed(self, head: Token) -> bool:
        """A deed whose doer the sentence does not name ("the attacks", "it" for the stabbing): the verdict
        condemns an act, an accusation with no target, as analysts code "X condemned the bombing"."""
        if head.lower_ in STAND_INS:
            return head.dep_ in ("dobj", "nsubjpass") and self.actors.actor_of(head) is None
        return head.pos_ == "NOUN" and (lemma(head) in self.verdicts.deeds or self.violates(head))

    def violates(self, head: Token) -> bool:
        """ "ruled the male-only draft violated the constitution": what breaches a law is someone's act,
        whatever the noun, also when the parser hangs it under the reporting verb."""
        verbs = [head.head] if head.dep_ == "nsubj" else [c for c in head.head.children if c.i > head.i and (
            c.dep_ == "ccomp" or misparsed_complement(c, self.reader.frames) == head)] if head.dep_ == "dobj" else []
        return any(breaks_norm(self.verdicts, v) for v in verbs)

    def judged(self, verb: Token, words: frozenset[str] | None = None) -> Token | None:
        """The head of what the verb judges in `words` (negatively, by default), or None."""
        praise = words is not None  # praise words are read with what undercuts them ("an unreliable partner")
        words = words or self.verdicts.negative
        word = lemma(verb)
        complements = [c for c in verb.children if c.dep_ == "oprd"]
        obj = next((c for c in verb.children if c.dep_ == "dobj" or (c.dep_ == "ccomp" and c.pos_ in ("NOUN", "PROPN"))
                    or (c.dep_ == "oprd" and any(g.dep_ == "appos" for g in c.children))), None) \
            or (complements[0] if len(complements) > 1 else None)  # "called Xi a dictator", "called Trump a great friend"
        if obj is None and word == "refer":  # "referred to the riots as terrorism"
            obj = next((p for c in verb.children if c.dep_ == "prep" and c.lower_ == "to" for p in c.children if p.dep_ == "pobj"), None)
        if obj is not None and obj.lower_ == "it":
            obj = for_subject(verb) or obj  # "considered it inappropriate for the princess to run": her candidacy is judged
        if word in self.verdicts.labelling and obj is not None:
            if any(c.dep_ in ("amod", "acomp") and c.i > obj.i and passes(c, words, praise) for c in obj.children):
                return obj  # 'called the sanctions "illegal"', parsed as a modifier after the noun
            for child in verb.children:  # "called X illegal", "described X as a crime"
                if child.dep_ in COMPLEMENT_DEPS + ("ccomp", "xcomp") and passes(child, words, praise):
                    return obj
                if child.dep_ == "prep" and child.lower_ == "as" and any(passes(p, words, praise) for p in child.children if p.dep_ == "pobj"):
                    return obj
            for child in obj.children:  # "called Xi Jinping a dictator", the complement parsed as an apposition
                if child.dep_ == "appos" and child.i > obj.i and child.left_edge.nbor(-1).dep_ != "punct" and passes(child, words, praise):
                    return obj
            for child in obj.children:  # "dismissed the claims as lies" parsed under the object
                if child.dep_ == "prep" and child.lower_ == "as" and any(passes(p, words, praise) for p in child.children if p.dep_ == "pobj"):
                    return obj
        if word in self.verdicts.judging or word in self.verdicts.labelling:
            clauses = [c for c in verb.children if c.dep_ in CLAUSE_DEPS or (  # "ruled the practice is unlawful" parsed
                obj is not None and c.dep_ == "conj" and c.i > obj.i and c.pos_ in ("AUX", "VERB")  # as object and conj
                and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)) or (  # or as object and advcl
                obj is not None and misparsed_complement(c, self.reader.frames) == obj)]
            for clause in clauses:
                if self.reader.negated(clause) or self.reader.conditional(clause):
                    continue  # "will decide whether X violated the constitution": no verdict yet
                if self.reader.aux_words(clause) & (self.reader.frames.future_modals | self.reader.frames.hypothetical_modals):
                    continue  # "it would be a mistake to reopen schools": advice, not a verdict on anyone
                subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None) or obj
                if subject is not None and subject.lower_ in ("it", "this", "that"):
                    subject = for_subject(clause) if subject.lower_ == "it" else None  # "it was a mistake for Australia to"
                    if subject is None:
                        continue  # what "it" or "this" stands for is not read here
                if subject is not None and breaks_norm(self.verdicts, clause, any_object=True):
                    if any(g.lower_ in ("no", "none") for c in clause.children if c.dep_ == "dobj" for g in (c, *c.children)):
                        continue  # "ruled the act violated no rights": cleared, not accused
                    return subject  # "ruled the policy violated the constitution"
                complements = [c for c in clause.children if c.dep_ in COMPLEMENT_DEPS]
                if clause.pos_ in ("ADJ", "NOUN"):  # "called it unconstitutional": a small clause
                    complements.append(clause)
                if subject is not None and any(passes(c, words, praise) for c in complements):
                    return subject
        return None

    def negative(self, head: Token) -> bool:
        """A complement whose own words (not its clauses or prepositional phrases) pass a negative verdict."""
        return passes(head, self.verdicts.negative)

    def judged_actors(self, head: Token) -> list[tuple[Token, Actor]]:
        """The actor judged: the phrase itself ("Russia", "the minister"), else whose deed it is
        ("Russia's decision", "the American sanctions", "the decision of the government")."""
        harm = lemma(head) in self.verdicts.harms  # "the murder of Abe": of names the victim, not the doer
        named = [] if harm else [(t, a) for t, a in self.actors.actors_of(head, look_inside=False) if a.country or a.code or a.sector]
        own = [(t, a) for t, a in named if a.start <= head.idx < a.end]  # the phrase is the actor, not a modifier of it
        if own:
            return own  # "the government" takes the speaker's country, as for any domestic event
        if lemma(head) not in self.verdicts.deeds and not self.violates(head):
            return []  # "the Nigerian floods were a disaster", "the British strain is a threat": no one's deed
        if named and not harm:
            return named  # "the American sanctions"
        for child in head.children:
            if child.dep_ in ("poss", "amod") and not (harm and child.dep_ == "poss"):
                found = [(t, a) for t, a in self.actors.actors_of(child, look_inside=False) if a.country or a.code or a.sector]
                if found and not (harm and any(a.sector in ("CVL", "JRN", "REL", "OPP") for _, a in found)):
                    return found
        agents = [a for c in head.children if c.dep_ == "acl" and c.tag_ == "VBN" for a in c.children if a.dep_ == "agent"]
        for child in [*head.children, *agents]:  # "the sanctions imposed by Washington": the agent of its participle
            if child.dep_ in ("prep", "agent") and child.lower_ in (("by",) if harm else ("by", "of", "between")):  # a deal's parties
                for pobj in (p for p in child.children if p.dep_ == "pobj"):
                    found = [(t, a) for t, a in self.actors.actors_of(pobj, look_inside=False) if a.country or a.code or a.sector]
                    if found:
                        return found
        return []


def passes(head: Token, words: frozenset[str], praise: bool = False) -> bool:
    """A complement whose own words (not its clauses or prepositional phrases) are among `words`; for `praise`,
    words nothing undercuts."""
    if any(c.dep_ == "neg" or c.lower_ in ("not", "never", "no") for c in head.children):
        return False
    todo, seen = [head], 0
    while todo and seen < 12:
        token = todo.pop()
        seen += 1
        if any(c.dep_ == "neg" or c.lower_ in ("not", "never") for c in token.children):
            continue  # "volatile but not dangerous"
        if praise and undercut(token):
            continue  # "an ally of the United States", "Russia's loyal ally": nothing under it praises
        if lemma(token) in words or token.lower_ in words:
            return True
        todo.extend(c for c in token.children if c.dep_ not in STOP_DEPS and c.dep_ != "neg")
        if lemma(token) in LIGHT_NOUNS:  # "acts of terror", "a case of fraud": the of-phrase is the verdict
            todo.extend(p for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children if p.dep_ == "pobj")
    return False


def against_norm(verdicts: Verdicts, head: Token) -> bool:
    """The judged thing is the subject of a `norm_breaking` phrase, not of a verb of wrongdoing."""
    verb = head.head if head.dep_ in ("nsubj", "nsubjpass") else None
    return verb is not None and lemma(verb) not in verdicts.wrongdoing and breaks_norm(verdicts, verb)

def breaks_norm(verdicts: Verdicts, verb: Token, any_object: bool = False) -> bool:
    """A verb that breaks one of the norms (`wrongdoing` with a norm as its object, or with any object when
    `any_object`: "said Ukraine breached the ceasefire"), or a `norm_breaking` phrase with a norm as the
    object of its last word ("goes against the UN resolution", "runs counter to international law")."""
    if verb.pos_ != "VERB":
        return False
    word = lemma(verb)
    if word in verdicts.wrongdoing:
        return any_object or any(c.dep_ == "dobj" and lemma(c) in verdicts.norms for c in verb.children)
    doc = verb.doc
    for phrase in verdicts.norm_breaking:
        first, *rest = phrase.split()
        if first != word or [t.lower_ for t in doc[verb.i + 1:verb.i + 1 + len(rest)]] != rest:
            continue
        last = doc[verb.i + len(rest)]  # the phrase's last word: "against", "to" of "run counter to"
        objects = [c for c in last.children if c.dep_ == "pobj"] if rest else [c for c in verb.children if c.dep_ == "dobj"]
        if any(lemma(o) in verdicts.norms for o in objects):
            return True
    return False


def for_subject(clause: Token) -> Token | None:
    """Whom an "it ... for X to V" judges: X ("said it was unacceptable for Israel to build", "considered it
    inappropriate for the princess to run"), parsed as the subject of V after "for", or as the object of "for"."""
    for token in clause.subtree:
        if token.lower_ != "for" or not clause.i < token.i <= clause.i + 4:
            continue  # right after the judging words: "it was unacceptable for", "considered it inappropriate for"
        if token.dep_ == "mark":
            verb = token.head
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
                return next((c for c in verb.children if c.dep_ == "nsubj"), None)
        elif token.dep_ == "prep":
            for pobj in (c for c in token.children if c.dep_ == "pobj"):
                if any(c.dep_ in ("acl", "relcl") and any(g.lower_ == "to" and g.dep_ == "aux" for g in c.children) for c in pobj.children):
                    return pobj
    return None


UNDERCUTTING = ("former ", "ex-", "so-called", "supposed ", "would-be", "fair-weather", "fair weather", "erstwhile", "self-styled",
                "false ", "fake ", "unreliable", "untrustworthy", "disloyal", "not a ", "no ")


def undercut(token: Token) -> bool:
    """A praise word that praises no one: undercut by a modifier ("former friend", "so-called partner", "an
    unreliable ally") or a relation to a third party ("an ally of the United States", "Russia's loyal ally")."""
    before = "".join(t.text_with_ws for t in token.subtree if t.i < token.i).lower()
    return any(word in before for word in UNDERCUTTING) \
        or any(c.dep_ == "prep" and c.lower_ == "of" or c.dep_ == "poss" and c.pos_ != "PRON" for c in token.children)


def asserted(verb: Token, reader: FrameReader) -> bool:
    """A verdict said, not one asked about, imagined or denied: not "Did X call Y a murderer?", "X will call Y a
    traitor if...", "it was wrong to call China a partner", "denied that it had called X a partner"."""
    if unreal(verb, reader) or reader.conditional(verb) or any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children):
        return False
    return not any(a.lower_ == "whether" for a in verb.ancestors) and not any(c.lower_ == "whether" for c in verb.children)
