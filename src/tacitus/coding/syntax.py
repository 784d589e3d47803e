"""Dependency labels and lemma helpers shared by the coder's stages."""

from __future__ import annotations

from collections.abc import Container, Iterator

from spacy.attrs import DEP, LEMMA, POS, TAG
from spacy.tokens import Doc, Span, Token

from ..knowledge.docs import sentence_of, token_labels
from ..knowledge.lexicon import Frames, load_frames

SUBJECT_DEPS = ("nsubj", "csubj")
PASSIVE_SUBJECT_DEPS = ("nsubjpass", "csubjpass")
OBJECT_DEPS = ("dobj", "dative", "iobj", "attr", "oprd")
TARGET_PREPS = ("against", "with", "to", "on", "upon", "at", "toward", "towards", "from", "for", "into", "between", "over", "of")
INNER_PREPS = ("between", "against", "on", "with", "to", "for", "of", "toward", "towards", "into", "from")
CIVILIAN_SECTORS = frozenset({"CVL", "OPP", "EDU", "LAB", "AGR", "REF", "JRN", "REL", "MED", "NGO"})
OWN_FORCE_TYPES = frozenset({"MOBILIZE", "SANCTION", "AID", "RETREAT", "COOPERATE", "AGREE", "THREATEN"})
# Groups that are where the story is: police, civilians, gunmen, courts (a government or an army is not guessed)
LOCAL_SECTORS = frozenset({"COP", "CVL", "UAF", "JUD", "CRM", "OPP", "MED", "EDU", "LAB", "REL", "JRN", "BUS", "UNK"})
MAIN_ARGUMENTS = ("nsubj", "nsubjpass", "dobj", "attr", "ROOT")  # a nominal event the clause is about
ARRESTING_SECTORS = frozenset({"JUD", "MIL", "COP", "SPY"})  # who arrest the people they report arrested
SOURCELESS_TYPES = frozenset({"ASSAULT", "COERCE"})  # kept with a target and no known source
PASSIVE_SOURCELESS_TYPES = frozenset({"SANCTION", "ACCUSE"})  # "was sentenced", "was charged": kept when passive
LEMMAS = "tacitus_lemmas"  # doc.user_data key of the doc's lemmas
DOMESTIC_DEFAULTS = {"PROTEST": "GOV", "COERCE": "CVL"}  # implicit target sector when none is named


def lemma(token: Token) -> str:
    """The token's lemma, lower case, with the model's known verb-lemma slips mended ("staged" -> "stag").

    The coder asks some five times per token: the doc's lemmas are read once, as arrays (doc_lemmas)."""
    lemmas = token.doc.user_data.get(LEMMAS)  # lemmas_of, inlined: asked half a million times a pass
    return (lemmas if lemmas is not None else lemmas_of(token.doc))[token.i]


def lemmas_of(doc: Doc) -> list[str]:
    """Every token's `lemma`, kept on the doc."""
    lemmas = doc.user_data.get(LEMMAS)
    if lemmas is None:
        lemmas = doc.user_data[LEMMAS] = doc_lemmas(doc)
    return lemmas


def verbs_of(sent: Span) -> list[Token]:
    """The sentence's verbs and auxiliaries, and a root tagged as a verb. Labels are read as lists and a Token
    made for these alone: the coder's loops over every word made some 5 million Token objects a corpus pass."""
    doc = sent.doc
    pos, dep, tag = token_labels(doc, POS), token_labels(doc, DEP), token_labels(doc, TAG)
    return [doc[i] for i in range(sent.start, sent.end) if (pos[i] in ("VERB", "AUX") or (dep[i] == "ROOT" and tag[i].startswith("VB")))
            and not (tag[i] == "VBN" and dep[i] in NOMINAL_DEPS and i > 0 and dep[i - 1] == "det" and doc[i - 1].head.i == i)]


NOMINAL_DEPS = frozenset({"dobj", "pobj", "nsubj", "nsubjpass", "attr"})  # a participle with its article there is people:
# "evacuated the wounded", "the detained were released" tell of no wounding or detention


def nominals(sent: Span, consumed: Container[int]) -> Iterator[Token]:
    """The sentence's nouns and proper nouns not in `consumed`, asked as each is reached (stages add to it)."""
    doc, pos = sent.doc, token_labels(sent.doc, POS)
    return (doc[i] for i in range(sent.start, sent.end) if i not in consumed and pos[i] in ("NOUN", "PROPN"))


def words_among(sent: Span, words: Container[str], pos: tuple[str, ...] = ()) -> list[Token]:
    """The sentence's tokens whose `lemma` is one of `words` (and whose POS one of `pos`, if given)."""
    doc, lemmas, tags = sent.doc, lemmas_of(sent.doc), token_labels(sent.doc, POS)
    return [doc[i] for i in range(sent.start, sent.end) if lemmas[i] in words and (not pos or tags[i] in pos)]


def doc_lemmas(doc: Doc) -> list[str]:
    """Every token's `lemma`, worked out once per distinct (lemma, tag) of the doc."""
    fixes, strings = load_frames().lemma_fixes, doc.vocab.strings
    known: dict[tuple[int, int], str] = {}
    found = []
    columns = doc.to_array([LEMMA, TAG])
    for key in zip(columns[:, 0].tolist(), columns[:, 1].tolist(), strict=True):  # flat lists: cheaper than a list a row
        word = known.get(key)
        if word is None:
            word = strings[key[0]].lower()
            if strings[key[1]].startswith("VB"):
                word = fixes.get(word, word)
            known[key] = word
        found.append(word)
    return found


def _dependents(token: Token) -> dict[str, Token]:
    """Lemmas a multi-word pattern may need: particles, objects, preps and their objects."""
    found: dict[str, Token] = {}
    # nearest after the word first: "spoke on the phone" is not "On October 6, ... spoke"
    for child in sorted(token.children, key=lambda c: (c.i < token.i, abs(c.i - token.i))):
        if child.dep_ in ("aux", "auxpass"):
            continue  # the "to" of "to protest" is no "protest to"
        found.setdefault(lemma(child), child)
        if child.dep_ in ("prep", "dobj", "prt", "dative", "attr", "agent", "advmod"):
            if child.dep_ == "dobj" and lemma(child) in load_frames().measure_nouns:  # "handed over 700 kg of medicine"
                for of in (g for g in child.children if g.dep_ == "prep" and g.lower_ == "of"):
                    for pobj in (p for p in of.children if p.dep_ == "pobj"):
                        found.setdefault(lemma(pobj), pobj)
            for grand in child.children:
                if grand.dep_ in ("pobj", "compound", "amod", "prep", "dobj", "conj"):
                    found.setdefault(lemma(grand), grand)
                    if grand.dep_ == "conj":  # "launched artillery, mortar and rocket fire"
                        for conj in grand.children:
                            if conj.dep_ == "conj":
                                found.setdefault(lemma(conj), conj)
    if token.dep_ == "relcl" and any(c.dep_ in ("dobj", "nsubjpass") and c.lower_ in ("which", "that") for c in token.children):
        antecedent = token.head  # "new lockdown measures, which the government dropped": the measures were dropped
        for word in (antecedent, *(c for c in antecedent.children if c.dep_ in ("compound", "amod"))):
            found.setdefault(lemma(word), word)
    return found


def _modifiers(token: Token) -> dict[str, Token]:
    """A noun's modifiers by lemma, its of-object among them: "fraud claims" and "claims of fraud" alike."""
    found = {lemma(g): g for c in token.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"}
    return found | {lemma(c): c for c in token.children if c.dep_ in ("compound", "amod", "nmod")}


def earlier_subject(pronoun: Token) -> Token | None:
    """The nearest subject noun before a pronoun, in its sentence or the one before: what "it" most likely is."""
    sent = sentence_of(pronoun)
    start = sentence_of(pronoun.doc[sent.start - 1]).start if sent.start > 0 else sent.start
    reporters = {a.i for a in pronoun.ancestors if lemma(a) in load_frames().reporting}  # "officials confirmed it has ..."
    return next((t for t in reversed(pronoun.doc[start:pronoun.i]) if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "NOUN"
                 and t.head.i not in reporters), None)


def misparsed_complement(verb: Token, frames: Frames) -> Token | None:
    """ "ruled the draft violated the constitution", parsed as an object ("the draft") and an adverbial clause
    ("violated ..."): a finite past verb with no subject, marker or auxiliary of its own, right after the object
    of a reporting or finding verb, is that object's predicate (a complement clause without its "that").
    Returns the object, the clause's real subject, or None."""
    if verb.dep_ != "advcl" or verb.tag_ != "VBD" or not (lemma(verb.head) in frames.reporting or lemma(verb.head) in frames.findings):
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass", "mark", "aux", "auxpass", "expl") for c in verb.children):
        return None
    obj = next((c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i), None)
    return obj if obj is not None and verb.left_edge.i == obj.right_edge.i + 1 else None


def stranded_subject(verb: Token) -> Token | None:
    """ "US troops had defeated ISIS and Turkey would be moving into Syria", parsed with "Turkey" as a second object
    of "defeated": a noun coordinated with the head verb's object, right before this coordinated verb's own
    auxiliaries, is the verb's subject. A verb with no auxiliary of its own shares its head's subject."""
    if verb.dep_ != "conj" or not any(c.dep_ in ("aux", "auxpass") and c.i < verb.i for c in verb.children):
        return None
    first = min(c.i for c in verb.children if c.i < verb.i and c.dep_ in ("aux", "auxpass", "neg", "advmod"))
    before = verb.doc[first - 1] if first > 0 else None
    if before is None or before.dep_ != "conj" or before.pos_ not in ("PROPN", "NOUN"):
        return None
    obj = first_conjunct(before)
    return before if obj.dep_ == "dobj" and obj.head == verb.head else None


def first_conjunct(token: Token) -> Token:
    """The first of the words coordinated with `token` ("ISIS" of "ISIS and Turkey"), which holds their role."""
    while token.dep_ == "conj" and token.head != token:
        token = token.head
    return token


def stranded(noun: Token) -> bool:
    """A noun parsed as a coordinated object that is the subject of the next coordinated verb (`stranded_subject`)."""
    if noun.dep_ != "conj":
        return False
    obj = first_conjunct(noun)
    return obj.dep_ == "dobj" and any(v.dep_ == "conj" and stranded_subject(v) == noun for v in obj.head.children)


def negated_verb(verb: Token) -> bool:
    """Negated itself, or a verb joined by "or"/"nor" to a negated one whose auxiliary and subject it shares: "did not
    concede or admit defeat" admits nothing; "did not attack Kyiv but shelled Kharkiv" shelled it."""
    if any(c.dep_ == "neg" or c.lower_ in ("never", "no longer") for c in verb.children):
        return True
    joiner = next((c for c in reversed(list(verb.head.children)) if c.dep_ == "cc" and c.i < verb.i), None)  # the word before it
    return verb.dep_ == "conj" and verb.head != verb and joiner is not None and joiner.lower_ in ("or", "nor") \
        and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children) and negated_verb(verb.head)
