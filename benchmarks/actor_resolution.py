"""How much of actor resolution is parsing and how much is the dictionary.

Builds a set of 1,000 sentences from the bundled sample articles and the seed
article (when ../shared is beside the project), parses them with spaCy, then
resolves every noun phrase head with the ActorResolver, and prints both times
and their ratio. Run: python benchmarks/actor_resolution.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.actor_resolver import ActorResolver, actor_matcher
from tacitus.knowledge.lexicon import data_file

ROOT = Path(__file__).resolve().parents[1]


def sentences(nlp, count: int = 1000) -> list[str]:
    texts = [json.loads(line)["text"] for line in data_file("samples/articles.jsonl").read_text().splitlines()]
    seed = ROOT.parent / "shared" / "samples" / "seed-nagorno-karabakh.txt"
    if seed.exists():
        texts.append(seed.read_text(encoding="utf-8"))
    pool = [s.text.strip() for doc in nlp.pipe(texts) for s in doc.sents if len(s.text.split()) > 4]
    return [pool[i % len(pool)] for i in range(count)]


def main() -> None:
    nlp = load_nlp()
    matcher = actor_matcher(nlp)
    items = sentences(nlp)
    articles = [" ".join(items[i:i + 10]) for i in range(0, len(items), 10)]  # 100 articles of 10 sentences
    start = time.perf_counter()
    docs = list(nlp.pipe(articles))
    parse_seconds = time.perf_counter() - start
    start = time.perf_counter()
    resolved = 0
    for doc in docs:
        resolver = ActorResolver(matcher, doc, None)
        for token in doc:
            if token.pos_ in ("NOUN", "PROPN") and token.dep_ not in ("compound", "amod"):
                resolved += resolver.actor(token) is not None
    resolve_seconds = time.perf_counter() - start
    print(f"sentences={len(items)} articles={len(docs)} forms={len(matcher.knowledge.forms)} surnames={len(matcher.knowledge.surnames)}")
    print(f"parse_seconds={parse_seconds:.2f} resolve_seconds={resolve_seconds:.2f} actors_resolved={resolved}")
    print(f"resolve/parse ratio={resolve_seconds / parse_seconds:.3f}")


if __name__ == "__main__":
    main()
