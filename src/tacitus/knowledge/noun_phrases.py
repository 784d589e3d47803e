"""A noun phrase's words and the sector its words name: the parts of actor resolution that read the phrase
alone, before the article's names and context (actor_resolver.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from operator import itemgetter

from spacy.attrs import DEP, HEAD
from spacy.tokens import Doc, Token

from .actor_base import GENERIC_SECTOR_WORDS
from .docs import token_labels, token_words
from .lexicon import load_frames

NP_LEFT_DEPS = frozenset({"compound", "amod", "nmod", "poss", "det", "nummod", "quantmod", "case", "punct", "npadvmod", "advmod"})
TRADE_SECTORS = frozenset({"BUS", "EDU", "MED"})  # professions anyone may employ (accountants, doctors, teachers)
STATE_BODY_SECTORS = frozenset({"MIL", "COP", "GOV", "JUD", "LEG", "SPY"})


def np_tokens(head: Token, include_of: bool = True, role_words: frozenset[str] = frozenset()) -> list[Token]:
    """The tokens of the noun phrase headed by `head`: left modifiers and an of-phrase (`np_indices`)."""
    doc = head.doc
    return [doc[i] for i in np_indices(doc, head.i, include_of, role_words)]


def np_indices(doc: Doc, head: int, include_of: bool = True, role_words: frozenset[str] = frozenset()) -> list[int]:
    """The token indices of the noun phrase headed by the token at `head`, in order: left modifiers and an
    of-phrase ("the minister of defence"; "a spokesman for" the speaking_for heads). Read from the doc's lists,
    not Token objects: a resolver reads the phrase of every noun."""
    return phrase_at(doc_tree(doc), token_words(doc), head, include_of, role_words)


def phrase_at(tree: tuple[list[list[int]], list[str]], words: tuple[list[str], list[str], list[str]], head: int,
              include_of: bool = True, role_words: frozenset[str] = frozenset()) -> list[int]:
    """`np_indices` from the doc's `doc_tree` and `token_words`, read once by the caller."""
    children, deps = tree
    kids = children[head]
    if not kids:
        return [head]  # most heads stand alone
    lemmas, lowers, pos = words
    at = [head]
    for child in kids:
        dep = deps[child]
        if child < head:
            if dep in NP_LEFT_DEPS and not children[child]:
                at.append(child)  # most modifiers are one word: "the", "foreign"
            elif dep in NP_LEFT_DEPS:
                at.extend(subtree(children, child))
        elif dep in ("compound", "flat") and pos[child] == "PROPN":
            at.extend(subtree(children, child))
        elif include_of and dep == "prep" and (pos[head] != "PROPN" or lowers[head] in role_words) and (
                lowers[child] == "of" or lowers[child] == "for" and lemmas[head] in load_frames().speaking_for):
            at.append(child)
            for grand in children[child]:
                if deps[grand] == "pobj":
                    at.extend(phrase_at(tree, words, grand, include_of=True))
    at.sort()  # children's subtrees are disjoint: no token twice; a non-projective parse may interleave them
    return at


def subtree(children: list[list[int]], top: int) -> list[int]:
    """The token at `top` and all below it (unordered), by the doc's `children` lists."""
    found, todo = [top], [top]
    while todo:
        below = children[todo.pop()]
        found.extend(below)
        todo.extend(below)
    return found


TREE = "tacitus_tree"  # doc.user_data: each token's children and dependency label


def doc_tree(doc: Doc) -> tuple[list[list[int]], list[str]]:
    """Each token's children (in order) and dependency label, read once per doc from arrays (each Token read
    from a Doc is an object made on the spot)."""
    tree = doc.user_data.get(TREE)
    if tree is None:
        children: list[list[int]] = [[] for _ in range(len(doc))]
        for i, offset in enumerate(doc.to_array(HEAD).view("int64").tolist()):  # the head's offset, as uint64
            if offset:
                children[i + offset].append(i)
        tree = doc.user_data[TREE] = (children, token_labels(doc, DEP))
    return tree


def people_not_nation(head: Token, tokens: Sequence[Token], name: range) -> bool:
    """A people's plural name for some of its people (CVL), not the nation: "ordinary Kazakhs", "three
    Palestinians", "troops killed Palestinians", "Afghans living illegally"; "(the) Palestinians rejected the plan"
    and "the Israelis" alone are the nation."""
    the = any(t.lower_ == "the" for t in tokens)
    return any(t.i not in name and t.lower_ != "the" for t in tokens) or (
        head.dep_ in ("dobj", "pobj", "nsubjpass") and not the) or any(c.dep_ in ("acl", "relcl") for c in head.children)


def gathering_place(head: Token, lemma: str) -> bool:
    """A place where civilians gather named as the head of a phrase ("a crowded market"), not as a modifier;
    `lemma`: the head's lemma in lower case."""
    places = load_frames().gathering_places
    return lemma in places or lemma in gathering_heads() and any(  # most heads end no two-word place ("theme park")
        f"{c.lower_} {lemma}" in places for c in head.lefts if c.dep_ in ("compound", "amod"))


@lru_cache(maxsize=1)
def gathering_heads() -> frozenset[str]:
    return frozenset(place.split()[-1] for place in load_frames().gathering_places if " " in place)


LENGTH_END = itemgetter(0, 1)  # a sector candidate's words and where it ends: the longest, then the last, wins


def sector_in(at: Sequence[int], words: tuple[list[str], list[str], list[str]], sectors: dict[tuple[str, ...], tuple[str, bool]],
              longest: dict[str, int], starts: set[int]) -> tuple[str | None, bool]:
    """The sector of the longest sector term among the tokens at `at` (read as lemmas, as written, and nouns as
    lemmas) and whether it is a role; generic words yield to specific ones. `words`: the doc's `token_words`;
    `longest`: the first words of the sector terms, each with the most words of a term from it; `starts`: the
    doc's tokens that are one (most phrases hold none, and are done with at once)."""
    if starts.isdisjoint(at):
        return None, False
    lemma_of, lower_of, pos_of = words
    candidates = []
    for k in [k for k, i in enumerate(at) if i in starts]:  # where a term can start, in any reading
        window = at[k:k + 4]  # a term has four words at most
        lemmas, lowers = tuple([lemma_of[i] for i in window]), tuple([lower_of[i] for i in window])
        if lemmas == lowers:  # most words are their own lemma: one reading
            readings: Iterable[tuple[str, ...]] = (lemmas,)
        else:  # each distinct reading once, in order
            readings = {lemmas: 0, lowers: 0, tuple([lemma_of[i] if pos_of[i] in ("NOUN", "PROPN") else lower_of[i] for i in window]): 0}
        for reading in readings:
            most = longest.get(reading[0])
            if most is None:
                continue
            for n in range(min(len(reading), most), 0, -1):
                term = reading[:n]
                hit = sectors.get(term)
                if hit and n == 1 and pos_of[at[k]] == "ADJ" and reading[0] in load_frames().adjective_homonyms:
                    continue  # "a general strike", "a major offensive": an adjective, no rank
                if hit:
                    candidates.append((n, k + n, hit[0], hit[1], term))
    if len(candidates) < 2:  # most phrases hold one term or none
        return (candidates[0][2], candidates[0][3]) if candidates else (None, False)
    specific = [c for c in candidates if not (c[0] == 1 and c[4][0] in GENERIC_SECTOR_WORDS)]
    pool = specific or candidates
    _, end, sector, role, _ = max(pool, key=LENGTH_END)
    if sector in TRADE_SECTORS:  # "army accountant", "police doctor": the state body named before says whom they serve
        employers = [c for c in pool if c[1] < end and c[2] in STATE_BODY_SECTORS and not c[3]]
        if employers:
            return max(employers, key=LENGTH_END)[2], role
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
