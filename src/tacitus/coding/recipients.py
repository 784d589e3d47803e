"""Whom an event is aimed at beyond its verb's own objects: aid's recipient, a pledge's beneficiary, the
parties a third party mediated between."""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from ..models import Actor
from .mentions import ActorReader
from .syntax import lemma

if TYPE_CHECKING:
    from .arguments import ArgumentFinder


def recipients(actors: ActorReader, verb: Token) -> list[tuple[Token, Actor]]:
    """Whom aid is given to: the dative or a "to" phrase, before the thing given ("donated doses of the Sinopharm
    vaccine to Cambodia" is aid to Cambodia, not to the vaccine's maker); "for" names a use ("for attacks on Ukraine")."""
    heads = [c for c in verb.children if c.dep_ == "dative" and c.pos_ != "ADP"]
    heads += [p for c in verb.children if c.dep_ in ("prep", "dative") and c.lower_ == "to"
              for p in c.children if p.dep_ == "pobj"]
    return [pair for h in heads for pair in actors.actors_of(h) if pair[1].country or pair[1].code]


def aimed_at(args: ArgumentFinder, verb: Token, event_type: str, targets: list) -> list[tuple[Token, Actor]]:
    """Whom an event is aimed at, past the verb's own objects (`targets`): aid goes to its recipient first
    (`recipients`); a bare promise, with no event of its own in its clause, to whom that clause acts on
    ("offered to help Morocco", "agreed to supply gas to Hungary")."""
    if event_type == "AID":
        return recipients(args.actors, verb) or purpose_targets(args, verb) or targets  # "sent firefighters to help Bolivia"
    if event_type == "CONSULT" and lemma(verb) in args.frames.mediation and verb.dep_ == "acl":
        return mediated_parties(args, verb.head) or targets  # "an exchange mediated by the UAE": between whom
    if event_type == "THREATEN" and not targets:
        return args.condition_subjects(verb)  # "warned of civil war if Prime Minister Ariel Henry did not step down"
    if event_type == "AGREE" and not targets:
        return [pair for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB" for pair in args.targets_of(c, set())] \
            or purpose_targets(args, verb)
    return targets


def mediated_parties(args: ArgumentFinder, noun: Token) -> list[tuple[Token, Actor]]:
    """The parties to what a third party mediated: "talks between A and B facilitated by Norway"; else those who
    did what the noun names ("Russia and Ukraine swapped prisoners in an exchange mediated by the UAE")."""
    between = [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "between" for p in c.children if p.dep_ == "pobj"]
    found = [pair for p in between for pair in args.actors.actors_of(p)]  # one per coordinated member
    clause = noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else None
    if not found and clause is not None:
        found = args.sources_of(clause)[0]
    return [(t, a) for t, a in found if a.country or a.code]


def purpose_targets(args: ArgumentFinder, verb: Token) -> list[tuple[Token, Actor]]:
    """Whom what is given or pledged is for, by the purpose it is given for: "donated $1 million to help victims of
    the Turkey earthquake", "pledged $2 billion to help rebuild Ukraine's power grid" (the owner of what is helped)."""
    clauses = [c for c in verb.children if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB" and any(
        g.dep_ == "aux" and g.lower_ == "to" for g in c.children)]
    clauses += [g for c in clauses for g in c.children if g.dep_ == "xcomp" and g.pos_ == "VERB"]  # "to help rebuild"
    for clause in clauses:
        owners = [g for o in clause.children if o.dep_ == "dobj" for g in o.children if g.dep_ == "poss"]
        found = [pair for o in owners for pair in args.actors.actors_of(o)] + args.targets_of(clause, set())
        found = [(t, a) for t, a in found if a.country or a.code]
        if found:
            return found
    return []
