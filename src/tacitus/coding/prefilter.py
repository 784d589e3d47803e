"""Only parse what can hold an event: a cheap pass before the full parse.

Most sentences of most articles hold no political event. The tokenizer and a
punctuation sentencizer cut the article into sentences; a sentence is kept
when it has both a word that can be an inflection of a trigger lemma (verb or
noun of `triggers.tsv`, or a threaten/request/refuse frame verb) and a word
that can name an actor (a match of the actor dictionaries, a sector word such
as "police" or "rebels", or a pronoun). Inflections are undone with the spaCy
lemmatizer's own rule and exception tables, generously: a false keep costs
time, a false skip costs an event. The parser sees a Doc of the kept sentences
alone, made of the pre-filter's own tokens (the text is not tokenized twice),
with a line break between sentences that were not adjacent; each of its
characters knows its position in the text, so every offset of an event is
mapped back to the article as given.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from ..knowledge.actor_resolver import ActorMatcher
from ..knowledge.lexicon import Frames, TriggerIndex, TriggerPattern


@dataclass(frozen=True)
class Screen:
    """The pre-filter's verdict on one text."""

    ranges: list[tuple[int, int, bool]]  # (start, end, keep) per sentence
    skipped_mentions: list[Any]  # actor entries named in skipped sentences (they still count for context)
    too_long: list[tuple[int, int]] = ()  # (sentence index, tokens) of sentences over the limit: never parsed
    tokens: Doc | None = None  # the pre-filter's tokens of the text, reused for the parser's Doc
    bounds: list[tuple[int, int]] = ()  # (first, end) token of each sentence of `tokens`
    skipped_people: frozenset[str] = frozenset()  # surnames of people named in full in skipped sentences ("Joel Smithers")


BLANK_RUN = 64
WORD_CACHE = 1 << 16  # lower-case words whose inflection checks are remembered
MAX_SENTENCE_TOKENS = int(os.environ.get("TACITUS_MAX_SENTENCE_TOKENS", "300") or 300)
FRAME_LISTS = ("threaten", "request", "refuse", "crowd_verbs", "weapons")  # frames that are events themselves; others need a trigger inside


def screen_word(pattern: TriggerPattern) -> str:
    """The word a sentence must hold for a pattern to match: for "make peace", "end curfew" or
    "set off bomb" the object (rarer than the verb), else the head."""
    return next((word for word in reversed(pattern.others) if word not in STOP_WORDS), pattern.head)


class SentenceFilter:
    """Decides, from tokens alone, which sentences of a text the parser must see."""

    def __init__(self, nlp: Language, triggers: TriggerIndex, frames: Frames, actors: ActorMatcher,
                 max_tokens: int = MAX_SENTENCE_TOKENS) -> None:
        self.max_tokens = max_tokens
        self.tokenizer = nlp.tokenizer
        self.sentencizer = Sentencizer()
        words = {screen_word(pattern) for index in (triggers.verbs, triggers.nouns)
                 for patterns in index.values() for pattern in patterns}
        for name in FRAME_LISTS:
            words.update(w.lower() for w in getattr(frames, name, ()) or ())
        self.lemmas = frozenset(words)
        self.actors = actors
        self.pronouns = frames.person_pronouns | frames.group_pronouns | frames.first_person_pronouns
        self.actor_words = frozenset(w for term in actors.knowledge.sectors for w in term if w not in STOP_WORDS) | self.pronouns
        tables = nlp.get_pipe("lemmatizer").lookups if "lemmatizer" in nlp.component_names else None
        self.rules: list[tuple[str, str]] = []
        self.exceptions: dict[str, set[str]] = {}
        if tables is not None:
            for pos in ("verb", "noun"):
                self.rules += [tuple(rule) for rule in tables.get_table("lemma_rules").get(pos, [])]
                for form, lemmas in tables.get_table("lemma_exc").get(pos, {}).items():
                    self.exceptions.setdefault(form, set()).update(lemmas)
        self.rules = sorted(set(self.rules))
        # the same words recur in every article: each is undone once (bounded, so memory stays flat)
        self._trigger_words = lru_cache(maxsize=WORD_CACHE)(lambda word: self._inflects(word, self.lemmas))
        self._actor_words = lru_cache(maxsize=WORD_CACHE)(lambda word: self._inflects(word, self.actor_words))

    def could_trigger(self, word: str) -> bool:
        return self._trigger_words(word.lower())

    def could_name_actor(self, word: str) -> bool:
        return self._actor_words(word.lower())

    def _inflects(self, word: str, lemmas: frozenset[str]) -> bool:
        """Can `word` be a form of one of `lemmas`?"""
        if word in lemmas or self.exceptions.get(word, set()) & lemmas:
            return True
        for old, new in self.rules:
            if old and word.endswith(old):
                stem = word[: len(word) - len(old)] + new
                if stem in lemmas:
                    return True
                if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in lemmas:  # planned -> plan
                    return True
        return False

    def screen(self, text: str) -> Screen:
        """Which sentences of a text the parser must see, and the actors named in the others."""
        doc = self.sentencizer(self.tokenizer(text))
        mentions = self.actors.mentions(doc)
        named = {i for mention in mentions for i in range(mention.start, mention.end)}
        sentences = list(doc.sents)
        keep = []
        too_long = []
        for index, sent in enumerate(sentences):
            if len(sent) > self.max_tokens:  # the parser's time grows with sentence length; such "sentences" are not prose
                keep.append(False)
                too_long.append((index, len(sent)))
                continue
            words = [token for token in sent if token.is_alpha]
            keep.append(any(self.could_trigger(token.text) for token in words)
                        and any(token.i in named or self.could_name_actor(token.text) for token in words))
        # a pronoun's antecedent may sit in one of the two sentences before it: parse those too
        for i, sent in enumerate(sentences):
            if keep[i] and any(token.lower_ in self.pronouns for token in sent):
                for j in (i - 1, i - 2):
                    if j >= 0 and len(sentences[j]) <= self.max_tokens and any(t.i in named for t in sentences[j]):
                        keep[j] = True
        ranges = [(sent.start_char, sent.end_char, kept) for sent, kept in zip(sentences, keep, strict=True)]
        skipped = [m.entry for m in mentions
                   if not keep[next(i for i, sent in enumerate(sentences) if sent.start <= m.start < sent.end)]]
        people = frozenset(word for sent, kept in zip(sentences, keep, strict=True) if not kept
                           for word in self.actors.names.surnames_in(sent))
        return Screen(ranges, skipped, too_long, doc, [(sent.start, sent.end) for sent in sentences], people)

    @staticmethod
    def parser_doc(screen: Screen) -> tuple[Doc, list[int] | None]:
        """The Doc the parser sees: the kept sentences, of the pre-filter's tokens, a line break between runs
        that were not adjacent (so no sentence spans a gap); and the position in the text of each of its
        characters (None when it holds the whole text).

        A fresh Doc, not the pre-filter's: the sentencizer's boundaries would bind the parser.
        """
        doc = screen.tokens
        keep = [kept for _, _, kept in screen.ranges]
        if all(keep):
            return Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc]), None
        words: list[str] = []
        spaces: list[bool] = []
        positions: list[int] = []
        for index, (first, end) in enumerate(screen.bounds):
            if not keep[index]:
                continue
            if words and not keep[index - 1]:  # after a gap: the run before ends with a line break
                if spaces[-1]:  # in place of its last token's trailing space
                    spaces[-1] = False
                    positions.pop()
                words.append("\n")
                spaces.append(False)
                positions.append(positions[-1] + 1)
            for token in doc[first:end]:
                words.append(token.text)
                spaces.append(bool(token.whitespace_))
                positions.extend(range(token.idx, token.idx + len(token.text_with_ws)))
        return Doc(doc.vocab, words=words, spaces=spaces), positions

    def spans(self, text: str) -> list[tuple[int, int, bool]]:
        """(start, end, keep) character ranges of the sentences of a text."""
        return self.screen(text).ranges

    def reduce(self, text: str, ranges: list[tuple[int, int, bool]] | None = None) -> tuple[str, int, int]:
        """The text with skipped sentences blanked, and (kept, total) sentence counts."""
        ranges = self.spans(text) if ranges is None else ranges
        if all(keep for _, _, keep in ranges):
            return text, len(ranges), len(ranges)
        pieces, position = [], 0
        for start, end, keep in ranges:
            pieces.append(text[position:start])
            chunk = text[start:end]
            pieces.append(chunk if keep else blank(chunk))
            position = end
        pieces.append(text[position:])
        return "".join(pieces), sum(keep for _, _, keep in ranges), len(ranges)


def blank(chunk: str) -> str:
    """A skipped sentence as filler of the same length, mostly spaces.

    Every BLANK_RUN characters a line break and a full stop end the whitespace token: spaCy adds every
    distinct whitespace run to its vocabulary (line breaks included), so unbroken runs of every length
    would grow memory without bound over a long run.
    """
    def filler(i: int, c: str) -> str:
        if c in "\n\r":
            return c
        position = i % BLANK_RUN
        return "\n" if position == BLANK_RUN - 2 else "." if position == BLANK_RUN - 1 else " "

    return "".join(filler(i, c) for i, c in enumerate(chunk))


def kept_share(flt: SentenceFilter, texts: Iterable[str]) -> float:
    """The share of sentences the parser still sees (for benchmarks)."""
    kept = total = 0
    for text in texts:
        _, k, n = flt.reduce(text)
        kept, total = kept + k, total + n
    return kept / total if total else 1.0
