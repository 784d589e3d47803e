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
from ..models import Actor

ROLE_DEPS = ("appos", "compound")


def introduced_people(doc: Doc, resolver: ActorResolver) -> dict[str, Actor]:
    """Surname -> the actor its bearer was introduced as, for the people of `doc` the actor base does not
    know (computed once per doc). A surname two people were introduced with names neither."""
    found = doc.user_data.get("tacitus_introduced")
    if found is not None:
        return found
    found, clashes = {}, set()
    for token in doc:
        if token.ent_type_ != "PERSON" or token.pos_ != "PROPN" or token.i in resolver.mention_at:
            continue
        if token.i + 1 < len(doc) and doc[token.i + 1].ent_type_ == "PERSON" and doc[token.i + 1].ent_iob_ == "I":
            continue  # not the last word of the name
        actor = _role_of(token, resolver)
        if actor is None:
            continue
        if token.text in found and found[token.text].code != actor.code:
            clashes.add(token.text)
        found[token.text] = actor
    for name in clashes:
        found.pop(name)
    doc.user_data["tacitus_introduced"] = found
    return found


def _role_of(name: Token, resolver: ActorResolver) -> Actor | None:
    """The actor a role beside the name says the person is: a title before the name ("Police director X") or
    an apposition either way round ("X, a spokesman for Y"; "the governor of Z, X"). The country may be
    left to the story, as for any group named by its role."""
    roles = [c for c in name.children if c.dep_ in ROLE_DEPS and c.pos_ == "NOUN"]
    if name.dep_ == "appos" and name.head.pos_ == "NOUN":
        roles.append(name.head)
    for role in (name, *roles):  # the name itself reads its title ("Police director Vladimir Rebic")
        actor = resolver.actor(role)
        if actor is not None and actor.sector and actor.sector != "CVL":
            start, end = name.idx, name.idx + len(name.text)
            return replace(actor, text=doc_text(name.doc)[start:end], start=start, end=end, name=None)
    return None


def actor_token(doc: Doc, actor: Actor) -> int:
    """The index of the token where an actor's text starts (the introduction of a person)."""
    return next((t.i for t in doc if t.idx >= actor.start), len(doc))
