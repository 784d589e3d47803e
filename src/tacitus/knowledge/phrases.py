"""Resolving stand-alone actor phrases (`tacitus resolve`, the actor evaluation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from spacy.language import Language

from ..models import Actor
from .actor_resolver import ActorResolver, actor_matcher
from .places import place_matcher


def resolve_phrases(nlp: Language, phrases: Iterable[tuple[str, dt.date | None]], user_files: tuple[str, ...] = ()) -> list[Actor | None]:
    """Resolve stand-alone phrases (for `tacitus resolve` and the actor eval)."""
    matcher = actor_matcher(nlp, user_files)
    places = place_matcher(nlp)
    results: list[Actor | None] = []
    for text, date in phrases:
        doc = nlp(text)
        if not len(doc):
            results.append(None)
            continue
        if len(doc) == 1 and doc[0].pos_ == "PRON" and doc[0].lower_ not in ("it", "its", "this", "that"):
            results.append(Actor(doc.text, 0, len(doc.text), None, None, None, "UNK"))  # "he" alone: someone unknown
            continue
        resolver = ActorResolver(matcher, doc, date)
        resolver.add_places(places.mentions(doc))
        root = next((t for t in doc if t.head == t), doc[0])
        flat = root.pos_ not in ("NOUN", "PROPN")  # parsed as a clause: "Somalia SONNA", "wanted persons"
        if flat:
            # an English noun phrase ends in its head: the last noun or dictionary name
            heads = [t for t in doc if t.pos_ in ("NOUN", "PROPN", "PRON") or t.i in resolver.mention_at]
            root = heads[-1] if heads else root
        results.append(resolver.actor(root, whole=doc[:], flat=flat))
    return results
