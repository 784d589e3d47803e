"""Whom a protest is aimed at when its clause names no target: the phrase it opposes or defies, or its purpose."""

from __future__ import annotations

from spacy.tokens import Token

from ..knowledge.lexicon import Frames
from ..models import Actor
from .mentions import ActorReader
from .syntax import CIVILIAN_SECTORS, lemma


def protest_aims(actors: ActorReader, frames: Frames, trigger: Token, verb: Token, sources) -> list[tuple[Token, Actor]]:
    """Whom a protest that names no target is aimed at: what it is against ("during demonstrations against
    violations by the Israeli military"), what it defies ("in defiance of Chinese authorities") or what its
    purpose names ("blocked a road to show their disapproval of US policies")."""
    own = {a.code for _, a in sources}
    aims: list[Token] = []
    for node in dict.fromkeys((trigger, verb)):
        for child in node.children:
            if child.dep_ == "prep":
                objects = [p for p in child.children if p.dep_ == "pobj"]
                if child.lower_ in ("against", "over"):
                    aims += objects
                for obj in objects:  # "in defiance of X", "during protests against X"
                    if lemma(obj) == "defiance" or lemma(obj) in frames.protest_nouns:
                        aims += [p for c in obj.children if c.dep_ == "prep" and c.lower_ in ("of", "against", "over")
                                 for p in c.children if p.dep_ == "pobj"]
            elif child.dep_ in ("advcl", "xcomp") and any(a.lower_ == "to" for a in child.children if a.dep_ == "aux") \
                    and not backing(frames, child):
                aims += [c for c in child.children if c.dep_ == "dobj"]  # "to protest the decision", "to demand reforms"
                aims += [p for c in child.children if c.dep_ == "dobj" for g in c.children if g.dep_ == "prep"
                         for p in g.children if p.dep_ == "pobj"]  # "to show their disapproval for X"
                aims += [p for c in child.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
    home = {a.country for _, a in sources}
    for aim in aims:
        found = [(t, a) for t, a in actors.actors_of(aim) if (a.country or a.code) and a.code not in own
                 and t.pos_ != "PRON"  # "their disapproval": the protesters' own
                 and not (a.country in home and a.sector in CIVILIAN_SECTORS)]  # "to demand the return of hostages"
        if found:
            return found
    return []


def backing(frames: Frames, purpose: Token) -> bool:
    """ "marched to show support for Ukraine", "gathered to thank Poland": a rally of support is aimed at no one."""
    objects = {lemma(c) for c in purpose.children if c.dep_ == "dobj"}
    return lemma(purpose) in frames.backing or bool(objects & frames.backing)
