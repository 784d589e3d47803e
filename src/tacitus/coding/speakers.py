"""Who says "I" and "we": the speaker of the quotation or reported clause that holds the pronoun.

News quotes its actors in the first person ('"We will not accept this," the foreign minister said';
'Pompeo said: "I urge Iraq to reconsider"'). An analyst codes the speaker as the actor, so "we" is
read as the subject of the reporting verb whose clause holds it, or, for a quotation running on from
the sentence before, as the speaker of that sentence. Without a speaker the pronoun names no one.
"""

from __future__ import annotations

from spacy.tokens import Token

from ..knowledge.actor_resolver import ActorResolver
from ..knowledge.docs import doc_text, sentence_of
from ..knowledge.lexicon import Frames
from ..models import Actor
from .syntax import SUBJECT_DEPS, lemma

OPENING_QUOTES = frozenset({"“", "«"})
CLOSING_QUOTES = frozenset({"”", "»"})
PRIVATE_SPEAKERS = frozenset({"CVL", "BUS", "EDU", "MED", "UNK"})
REPORTED_DEPS = ("ccomp", "parataxis", "xcomp", "conj")


def speaker_head(token: Token, reporting: dict[str, str] | frozenset[str], first_person: frozenset[str]) -> Token | None:
    """The head of the phrase naming who speaks the pronoun `token`, or None."""
    sent = sentence_of(token)
    current = token
    for _ in range(12):  # a reporting verb above the pronoun: "Pompeo said (that) we ..."
        head = current.head
        if head.i == current.i:
            break
        if current.dep_ in REPORTED_DEPS and lemma(head) in reporting:
            subject = _subject(head, first_person)
            if subject is not None:
                return subject
        current = head
    for verb in sent:  # '"We ...," he said': the reporting verb hangs under the quotation's root
        if lemma(verb) in reporting and verb.dep_ in ("parataxis", "ccomp", "advcl") and verb.head.i == sent.root.i \
                and not _contains(verb, token):
            subject = _subject(verb, first_person)
            if subject is not None:
                return subject
    if not _quoted(token):
        return None
    doc = token.doc
    previous = sent
    for _ in range(2):  # a quotation running on from the sentences before
        if previous.start == 0:
            break
        previous = sentence_of(doc[previous.start - 1])
        for verb in previous:
            if lemma(verb) in reporting:
                subject = _subject(verb, first_person)
                if subject is not None:
                    return subject
    return None


def _subject(verb: Token, first_person: frozenset[str]) -> Token | None:
    subject = next((c for c in verb.children if c.dep_ in SUBJECT_DEPS), None)
    if subject is None or subject.lower_ in first_person:
        return None
    return subject


def _contains(verb: Token, token: Token) -> bool:
    return verb.left_edge.i <= token.i <= verb.right_edge.i


def _quoted(token: Token) -> bool:
    """Inside a quotation: an odd number of straight quotes, or more opening than closing curly ones,
    between the start of the paragraph and the token."""
    text = doc_text(token.doc)
    start = text.rfind("\n", 0, token.idx) + 1
    before = text[start:token.idx]
    opened = sum(before.count(q) for q in OPENING_QUOTES) - sum(before.count(q) for q in CLOSING_QUOTES)
    return before.count('"') % 2 == 1 or opened > 0


def political_speaker(resolver: ActorResolver, frames: Frames, speaker: Token, actor: Actor) -> bool:
    """Whose "we" is a political actor's: a state body, party, armed group or organisation named by the
    speaker's own words ("the French foreign minister", "the Kremlin", "Hamas"), not a coach placed by a
    demonym or a spokesman placed by a country named inside the quotation."""
    if actor.sector in PRIVATE_SPEAKERS:
        return False
    own = [t for t in speaker.subtree if t.i in resolver.mention_at] or (
        [speaker] if speaker.lower_ in frames.person_pronouns else [])
    if not own:
        return False  # "a spokesman said": placed only by what the quotation names
    return actor.sector is not None or speaker.i in resolver.mention_at  # "the German coach" is no state
