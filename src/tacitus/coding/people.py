"""People a story introduces by their role and names again by surname alone.

"Dedi Prasetyo, a spokesperson for the Indonesian National Police, said ... Prasetyo added" and "Police
director Vladimir Rebic ... Rebic said": the actor base does not know them, but the story says who they are
the first time. The role read there stands behind every later use of the surname in the same article.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc, Token

from ..knowledge.actor_resolver import ActorResolver
from ..knowledge.docs import doc_text
from ..knowledge.lexicon import load_frames
from ..models import Actor
from .syntax import lemma

ROLE_DEPS = ("appos", "compound")


def introduced_people(doc: Doc, resolver: ActorResolver) -> dict[str, tuple[int, Actor]]:
    """Surname -> (token of the introduction, the actor its bearer was introduced as), for the people of `doc`
    the actor base does not know (computed once per doc). A surname two people were introduced with names neither."""
    found = doc.user_data.get("tacitus_introduced")
    if found is not None:
        return found
    found, clashes = {}, set()
    for _, end in resolver.names.people:
        token = doc[end - 1]  # the last word of the name
        if token.pos_ != "PROPN" or token.i in resolver.mention_at:
            continue
        actor = _role_of(token, resolver)
        if actor is None:
            continue
        if token.text in found and found[token.text][1].code != actor.code:
            clashes.add(token.text)
        found[token.text] = (token.i, actor)
    for name in clashes:
        found.pop(name)
    doc.user_data["tacitus_introduced"] = found
    return found


def said_as(actor: Actor, token: Token) -> Actor:
    """The actor a pronoun, surname or role word stands for, with that word's text and offsets as its evidence."""
    return replace(actor, text=token.text, start=token.idx, end=token.idx + len(token.text))


def introduced(head: Token, resolver: ActorResolver) -> Actor | None:
    """ "Dedi Prasetyo, a spokesperson for the Indonesian police ... Prasetyo said": a surname the story
    introduced with a role."""
    introduction = introduced_people(head.doc, resolver).get(head.text)
    if introduction is None or head.i < introduction[0]:
        return None
    return said_as(introduction[1], head)


def _role_of(name: Token, resolver: ActorResolver) -> Actor | None:
    """The actor a role beside the name says the person is: a title before the name ("Police director X") or
    an apposition either way round ("X, a spokesman for Y"; "the governor of Z, X"). The country may be
    left to the story, as for any group named by its role."""
    roles = [c for c in name.children if c.dep_ in ROLE_DEPS and c.pos_ == "NOUN"]
    if name.dep_ == "appos" and name.head.pos_ == "NOUN":
        roles.append(name.head)
    for role in (name, *roles):  # the name itself reads its title ("Police director Vladimir Rebic")
        if any(c.lower_ in ("former", "ex", "ex-", "retired") for c in role.subtree):
            return None  # a former officer speaks for no one now
        actor = resolver.actor(role)
        speaks_for = role.lemma_.lower() in load_frames().speaking_for  # "a spokesman for the police" is police
        if role is not name and (actor is None or not speaks_for and actor.sector not in role_sectors(resolver, role.lemma_.lower())):
            continue  # "the wife of the Iranian foreign minister", "a critic of the Russian government": not their role
        if actor is not None and actor.sector and actor.sector != "CVL":
            start, end = name.idx, name.idx + len(name.text)
            return replace(actor, text=doc_text(name.doc)[start:end], start=start, end=end, name=None)
    return None


def role_sectors(resolver: ActorResolver, word: str) -> frozenset[str]:
    """The sectors of the sector terms a role noun ends ("activist": CVL, and HRI by "human rights activist"):
    a role names its bearer's sector only through a term of its own."""
    return resolver.matcher.role_sectors.get(word, frozenset())


def buried_people(resolver: ActorResolver, head: Token) -> list[tuple[Token, Actor]]:
    """ "US President Donald Trump and Turkish President Recep Tayyip Erdogan spoke": the parser may hang the
    whole coordination under the last name as one compound; each person named in it is an actor."""
    if head.pos_ != "PROPN" or not any(t.dep_ == "cc" and t.lower_ == "and" for t in head.doc[head.left_edge.i:head.i]):
        return []
    people = {}
    for token in head.doc[head.left_edge.i:head.i + 1]:
        mention = resolver.mention_at.get(token.i)
        if mention is not None and mention.entry.kind == "person":
            people[mention.start] = mention
    if len({m.entry.name for m in people.values()}) < 2:
        return []
    found = []
    for mention in sorted(people.values(), key=lambda m: m.start):
        last = head.doc[mention.end - 1]
        code, country, sector = mention.entry.at(resolver.date)
        found.append((last, Actor(last.text, last.idx, last.idx + len(last.text), mention.entry.name, code, country, sector)))
    return found


def nationals(doc: Doc, resolver: ActorResolver) -> list[tuple[int, Actor, bool]]:
    """(token of the name, the person as a civilian of their country, whether introduced as a suspect) for the
    people the actor base does not know whom the story introduces with a nationality: "An Australian, Brenton
    Tarrant", "Libyan national Khairi Saadallah", "Ahmed Hassan, a 29-year-old Syrian". Once per doc, in order."""
    found = doc.user_data.get("tacitus_nationals")
    if found is not None:
        return found
    found = []
    for start, end in resolver.names.people:
        last = doc[end - 1]
        if last.pos_ != "PROPN" or last.i in resolver.mention_at:
            continue
        near = [c for c in last.children if c.dep_ in ("appos", "amod", "compound")]
        phrase = last
        if last.dep_ == "appos":  # "An Australian, X"; "A Polish man, X"
            phrase = last.head
            near += [last.head, *(c for c in last.head.children if c.dep_ in ("amod", "compound"))]
        countries = {resolver.mention_at[t.i].entry.country for t in near
                     if t.i in resolver.mention_at and resolver.mention_at[t.i].entry.kind == "demonym"}
        if len(countries) == 1 and None not in countries:
            country = countries.pop()
            first = doc[start]
            text = doc_text(doc)[first.idx:last.idx + len(last.text)]
            actor = Actor(text, first.idx, last.idx + len(last.text), text, f"{country}CVL", country, "CVL")
            found.append((last.i, actor, _introduced_as_suspect(phrase, near)))
    doc.user_data["tacitus_nationals"] = found
    return found


def _introduced_as_suspect(phrase: Token, near: list[Token]) -> bool:
    """ "An Australian, X, appeared in court, charged with murder", "police arrested a Libyan man, X", "the gunman,
    X, a Syrian", "a Syrian, X, stabbed three people": a suspect; "a British woman, X, was found dead" is not."""
    frames = load_frames()
    if any(t.lower_ in frames.suspect_nouns for t in (phrase, *near)):
        return True
    verb = phrase.head
    clauses = [verb, *(c for c in verb.children if c.dep_ in ("advcl", "conj") and c.tag_ == "VBN")]  # ", charged with"
    if any(lemma(v) in frames.suspect_verbs for v in clauses) and phrase.dep_ in ("nsubj", "nsubjpass", "dobj"):
        return True
    if lemma(verb) == "appear" and any(t.lower_ == "court" for t in verb.subtree):
        return True
    return phrase.dep_ == "nsubj" and lemma(verb) in frames.suspect_deeds


def national_named(head: Token, resolver: ActorResolver, suspect_nouns: frozenset[str]) -> Actor | None:
    """The person a later mention stands for, with the nationality the story gave: their surname ("Tarrant"),
    or "the accused", "the suspect", "the gunman" for the last person introduced as a suspect before it."""
    people = [(i, actor, suspect) for i, actor, suspect in nationals(head.doc, resolver) if i <= head.i]
    if not people:
        return None
    if head.pos_ == "PROPN":
        match = next((actor for i, actor, _ in reversed(people) if head.doc[i].text == head.text), None)
    elif head.lower_ in suspect_nouns and head.tag_ in ("NN", "VBN") and any(c.lower_ == "the" for c in head.children) \
            and not any(c.dep_ == "appos" for c in head.children):  # "the bomber, a Somali": its own words say who
        # singular only ("the suspects" may be anyone); "the accused" is often tagged a participle
        match = people[-1][1] if people[-1][2] else None
    else:
        return None
    return None if match is None else said_as(match, head)
