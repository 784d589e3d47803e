"""How much of actor resolution is parsing and how much is the dictionary.

Two figures, each the best of several rounds after a warm-up (the machine is shared; the least disturbed
round is the one that measures the code):

1. Every noun: 1,000 sentences from the bundled sample articles and the seed article (when ../shared is
   beside the project), joined into 100 articles of 10 sentences, parsed with spaCy; then an ActorResolver
   per article resolves every noun and proper-noun head (a stress test: the pipeline resolves far fewer).
   Each round parses the articles anew, so no reading kept on a Doc is reused.
2. In the pipeline: `Pipeline.extract_articles` over news articles (../shared/corpus when it is there,
   else the samples), timing the parser's batches and everything the ActorResolver does (building it for
   an article, resolving each phrase the coder asks about).

Run: python benchmarks/actor_resolution.py [--rounds N]. The issue's goal: resolution under 20 % of parsing.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tacitus.coding.nlp import load_nlp
from tacitus.coding.pipeline import Pipeline
from tacitus.knowledge import actor_resolver
from tacitus.knowledge.actor_resolver import ActorResolver, actor_matcher
from tacitus.knowledge.lexicon import data_file
from tacitus.models import Article

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "wikinews-2019-2020.jsonl"


def sample_texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in data_file("samples/articles.jsonl").read_text().splitlines()]
    seed = ROOT.parent / "shared" / "samples" / "seed-nagorno-karabakh.txt"
    if seed.exists():
        texts.append(seed.read_text(encoding="utf-8"))
    return texts


def sentences(nlp, count: int = 1000) -> list[str]:
    pool = [s.text.strip() for doc in nlp.pipe(sample_texts()) for s in doc.sents if len(s.text.split()) > 4]
    return [pool[i % len(pool)] for i in range(count)]


def every_noun(rounds: int) -> tuple[float, float, int]:
    """Best parse and best resolve seconds over `rounds` fresh parses of the 100 articles; actors resolved."""
    nlp = load_nlp()
    matcher = actor_matcher(nlp)
    items = sentences(nlp)
    articles = [" ".join(items[i:i + 10]) for i in range(0, len(items), 10)]  # 100 articles of 10 sentences
    parses, resolves, resolved = [], [], 0
    for _ in range(rounds + 1):  # the first round warms up (lazy tables, the parser's first batch)
        start = time.perf_counter()
        docs = list(nlp.pipe(articles))
        parses.append(time.perf_counter() - start)
        heads = [[t for t in doc if t.pos_ in ("NOUN", "PROPN") and t.dep_ not in ("compound", "amod")] for doc in docs]
        start = time.perf_counter()
        resolved = 0
        for doc, doc_heads in zip(docs, heads, strict=True):
            resolver = ActorResolver(matcher, doc, None)
            for head in doc_heads:
                resolved += resolver.actor(head) is not None
        resolves.append(time.perf_counter() - start)
    return min(parses[1:]), min(resolves[1:]), resolved


class Clock:
    """Seconds spent in the parser's batches and in the ActorResolver while a pipeline runs (outermost calls)."""

    def __init__(self) -> None:
        self.parse = self.resolve = 0.0
        self.depth = 0

    def timing(self, method: Callable) -> Callable:
        def timed(*args, **kwargs):
            if self.depth:
                return method(*args, **kwargs)
            self.depth, start = 1, time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.depth, self.resolve = 0, self.resolve + time.perf_counter() - start
        return timed

    def parsing(self, pipe: Callable) -> Callable:
        """`pipe` timed batch by batch; spaCy's pipe calls itself for (text, context) pairs: timed once."""
        inside = False

        def timed(*args, **kwargs) -> Iterator:
            nonlocal inside
            if inside:
                yield from pipe(*args, **kwargs)
                return
            docs = iter(pipe(*args, **kwargs))
            while True:
                start, inside = time.perf_counter(), True
                try:
                    item = next(docs)
                except StopIteration:
                    return
                finally:
                    inside, self.parse = False, self.parse + time.perf_counter() - start
                yield item
        return timed


def in_pipeline(rounds: int) -> tuple[float, float, int]:
    """Best parse and resolve seconds of `extract_articles` over the corpus (or the samples); articles read."""
    if CORPUS.exists():
        texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()[:150]]
    else:
        texts = sample_texts() * 10
    articles = [Article(text=text, id=str(i)) for i, text in enumerate(texts)]
    pipeline = Pipeline.load()
    clock = Clock()
    resolver = actor_resolver.ActorResolver
    originals = resolver.__init__, resolver.actor
    resolver.__init__, resolver.actor = clock.timing(resolver.__init__), clock.timing(resolver.actor)
    pipeline.nlp.pipe = clock.parsing(pipeline.nlp.pipe)  # type: ignore[method-assign]
    parses, resolves = [], []
    try:
        for _ in range(rounds + 1):  # the first round warms up
            clock.parse = clock.resolve = 0.0
            for _ in pipeline.extract_articles(articles):
                pass
            parses.append(clock.parse)
            resolves.append(clock.resolve)
    finally:
        resolver.__init__, resolver.actor = originals
        del pipeline.nlp.pipe
    return min(parses[1:]), min(resolves[1:]), len(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds after one warm-up (default 3)")
    rounds = parser.parse_args().rounds
    parse, resolve, resolved = every_noun(rounds)
    print(f"every noun: 100 articles of 10 sentences, best of {rounds} rounds")
    print(f"  parse_seconds={parse:.3f} resolve_seconds={resolve:.3f} actors_resolved={resolved}")
    print(f"  resolve/parse ratio={resolve / parse:.3f}")
    parse, resolve, count = in_pipeline(rounds)
    print(f"in the pipeline: extract_articles over {count} articles, best of {rounds} rounds")
    print(f"  parse_seconds={parse:.3f} resolve_seconds={resolve:.3f}")
    print(f"  resolve/parse ratio={resolve / parse:.3f}")


if __name__ == "__main__":
    main()
