"""A noun phrase's words and the sector its words name: the parts of actor resolution that read the phrase
alone, before the article's names and context (actor_resolver.py)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from operator import attrgetter

from spacy.tokens import Doc, Token

from .actor_base import GENERIC_SECTOR_WORDS
from .lexicon import load_frames

NP_LEFT_DEPS = frozenset({"compound", "amod", "nmod", "poss", "det", "nummod", "quantmod", "case", "punct", "npadvmod", "advmod"})
BY_INDEX = attrgetter("i")
TRADE_SECTORS = frozenset({"BUS", "EDU", "MED"})  # professions anyone may employ (accountants, doctors, teachers)
STATE_BODY_SECTORS = frozenset({"MIL", "COP", "GOV", "JUD", "LEG", "SPY"})


def np_tokens(head: Token, include_of: bool = True, role_words: frozenset[str] = frozenset()) -> list[Token]:
    """The tokens of the noun phrase headed by `head`: left modifiers and an of-phrase."""
    if not head.n_lefts and not head.n_rights:
        return [head]  # most heads stand alone: no walk over children, no sort
    tokens = []
    for child in head.lefts:
        if child.dep_ in NP_LEFT_DEPS:
            tokens.extend(child.subtree)
    tokens.append(head)
    for child in head.rights:
        dep = child.dep_
        if dep in ("compound", "flat") and child.pos_ == "PROPN":
            tokens.extend(child.subtree)
        elif include_of and dep == "prep" and (head.pos_ != "PROPN" or head.lower_ in role_words) and (
                child.lower_ == "of" or child.lower_ == "for" and head.lemma_.lower() in load_frames().speaking_for):
            tokens.append(child)
            for grand in child.children:
                if grand.dep_ == "pobj":
                    tokens.extend(np_tokens(grand, include_of=True))
    tokens.sort(key=BY_INDEX)  # children's subtrees are disjoint: no token twice; a non-projective parse may interleave them
    return tokens


def gathering_place(head: Token, lemma: str) -> bool:
    """A place where civilians gather named as the head of a phrase ("a crowded market"), not as a modifier;
    `lemma`: the head's lemma in lower case."""
    places = load_frames().gathering_places
    return lemma in places or lemma in gathering_heads() and any(  # most heads end no two-word place ("theme park")
        f"{c.lower_} {lemma}" in places for c in head.lefts if c.dep_ in ("compound", "amod"))


@lru_cache(maxsize=1)
def gathering_heads() -> frozenset[str]:
    return frozenset(place.split()[-1] for place in load_frames().gathering_places if " " in place)


def sector_in(at: Sequence[int], words: tuple[list[str], list[str], list[str]], sectors: dict[tuple[str, ...], tuple[str, bool]],
              firsts: frozenset[str], starts: set[int]) -> tuple[str | None, bool]:
    """The sector of the longest sector term among the tokens at `at` (read as lemmas, as written, and nouns as
    lemmas) and whether it is a role; generic words yield to specific ones. `words`: the doc's `token_words`;
    `firsts`: the first words of the sector terms; `starts`: the doc's tokens that are one (most phrases hold
    none, and are done with at once)."""
    if starts.isdisjoint(at):
        return None, False
    lemma_of, lower_of, pos_of = words
    candidates = []
    for k in [k for k, i in enumerate(at) if i in starts]:  # where a term can start, in any reading
        window = at[k:k + 4]  # a term has four words at most
        lemmas, lowers = tuple([lemma_of[i] for i in window]), tuple([lower_of[i] for i in window])
        mixed = tuple([lemma_of[i] if pos_of[i] in ("NOUN", "PROPN") else lower_of[i] for i in window])
        for reading in {lemmas: 0, lowers: 0, mixed: 0}:  # each distinct reading once, in order
            if reading[0] not in firsts:
                continue
            for n in range(len(reading), 0, -1):
                hit = sectors.get(reading[:n])
                if hit and n == 1 and pos_of[at[k]] == "ADJ" and reading[0] in load_frames().adjective_homonyms:
                    continue  # "a general strike", "a major offensive": an adjective, no rank
                if hit:
                    candidates.append((n, k + n, hit[0], hit[1], reading[:n]))
    if not candidates:
        return None, False
    specific = [c for c in candidates if not (c[0] == 1 and c[4][0] in GENERIC_SECTOR_WORDS)]
    pool = specific or candidates
    _, end, sector, role, _ = max(pool, key=lambda c: (c[0], c[1]))
    if sector in TRADE_SECTORS:  # "army accountant", "police doctor": the state body named before says whom they serve
        employers = [c for c in pool if c[1] < end and c[2] in STATE_BODY_SECTORS and not c[3]]
        if employers:
            return max(employers, key=lambda c: (c[0], c[1]))[2], role
    return sector, role


def armed_force(doc: Doc, lemmas: list[str]) -> str:
    """The force a story's bare "officers" belong to: the army (MIL) when it speaks of war more than of crime
    (lexicon military_story_words against police_story_words), else the police (COP), as news mostly means."""
    found = doc.user_data.get("tacitus_armed_force")
    if found is None:
        frames = load_frames()
        war = sum(word in frames.military_story_words for word in lemmas)
        crime = sum(word in frames.police_story_words for word in lemmas)
        found = doc.user_data["tacitus_armed_force"] = "MIL" if war > crime else "COP"
    return found


def sector_starts(words: tuple[list[str], list[str], list[str]], firsts: frozenset[str]) -> set[int]:
    """The tokens of a doc where a sector term can start (as lemma or as written); `words`: its `token_words`,
    `firsts`: the first words of the sector terms."""
    lemmas, lowers, _ = words
    here = firsts.intersection(lemmas) | firsts.intersection(lowers)  # the few such words of the doc, probed at C speed
    return {i for i, (lemma, lower) in enumerate(zip(lemmas, lowers, strict=True)) if lemma in here or lower in here} if here else set()
