"""Only parse what can hold an event: a cheap pass before the full parse.

Most sentences of most articles hold no political event. The tokenizer and a
punctuation sentencizer cut the article into sentences; a sentence is kept
when it could complete a trigger and has a word that can name an actor, or
when it is context a later sentence's actors are read from.

- A trigger: every word of some pattern of the trigger files (the verb and the
  object of "make peace", the head alone of "condemn"), or a word that is an
  event by itself (a threaten, request, refuse, desire or commitment verb, a
  crowd verb, a weapon, "must", a performative, a warning), or the pairs the
  coder reads together (a verdict verb and a negative word, "ready" and "to").
- An actor: a match of the actor dictionaries, a sector word such as "police"
  or "rebels", a pronoun, or a capitalised word inside the sentence (a person
  the actor base does not know is resolved through the article's other
  mentions: "Carroll agreed").
- Context: one word of a trigger (the rarest word of a pattern, as "party" of
  "ban party") in a sentence that names someone: an actor of the dictionaries,
  a pronoun, or a capitalised name with a sector word. The coder's reading of
  such a sentence ("Mayor Pawel Adamowicz", "he was elected to Parliament")
  says whom later sentences mean; a sentence with neither is skipped.

Inflections are undone with the spaCy lemmatizer's own rule and exception
tables, generously: a false keep costs time, a false skip costs an event. The
parser sees a Doc of the kept sentences alone, made of the pre-filter's own
tokens (the text is not tokenized twice), with a line break between sentences
that were not adjacent; each of its characters knows its position in the
text, so every offset of an event is mapped back to the article as given.
"""

from __future__ import annotations

import bisect
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy
from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, SENT_START, SPACY
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from ..knowledge.actor_resolver import ActorMatcher
from ..knowledge.docs import TEXT, doc_text, doc_words
from ..knowledge.lexicon import Frames, TriggerIndex, TriggerPattern
from ..knowledge.verdicts import Verdicts, load_verdicts


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
SCREEN_LISTS = ("threaten", "request", "refuse", "crowd_verbs", "weapons")  # frames that are events themselves
# and the other words that make an event with no pattern of their own (the coder's frames, verdicts and obligations)
FRAME_LISTS = (*SCREEN_LISTS, "desire", "commitments", "obligation_modals", "performatives", "performative_frames")
VERDICT_LISTS = ("warnings", "displeasure")  # verdicts.yaml: words the verdict coder reads as events by themselves


def screen_word(pattern: TriggerPattern) -> str:
    """The rarest word of a pattern: for "make peace", "end curfew" or "set off bomb" the object, else the head."""
    return next((word for word in reversed(pattern.others) if word not in STOP_WORDS), pattern.head)


class WordSentencizer(Sentencizer):
    """spaCy's sentencizer, its rule read over a list of the token texts and an array of punctuation flags
    (spaCy's asks every token for its text, a Token object made for each): the same sentence starts."""

    def predict(self, docs: Iterable[Doc]) -> list[list[bool]]:
        guesses = []
        for doc in docs:
            words, punct = doc_words(doc), doc.to_array(IS_PUNCT).tolist()
            starts = [False] * len(words)
            if words:
                start, seen_period = 0, False
                starts[0] = True
                for i, word in enumerate(words):
                    marks = word in self.punct_chars
                    if seen_period and not punct[i] and not marks:
                        starts[start] = True
                        start, seen_period = i, False
                    elif marks:
                        seen_period = True
                starts[start] = True
            guesses.append(starts)
        return guesses


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(first, end) token of each sentence, as `doc.sents` gives them, read from one array."""
    if not len(doc):
        return []
    starts = [0] + [int(i) for i in numpy.flatnonzero(doc.to_array(SENT_START)[1:] == 1) + 1]
    return list(zip(starts, starts[1:] + [len(doc)], strict=True))


class TriggerWords:
    """Which words of a sentence could complete a trigger: the words of every pattern, the event words, and
    the pairs the coder only reads together; and which are one word of a trigger (a pattern's rarest word)."""

    def __init__(self, triggers: TriggerIndex, frames: Frames, verdicts: Verdicts) -> None:
        self.completions: dict[str, set[frozenset[str]]] = {}  # head -> the other words of each of its patterns
        single: set[str] = set()
        for index in (triggers.verbs, triggers.nouns):
            for patterns in index.values():
                for pattern in patterns:
                    self.completions.setdefault(pattern.head, set()).add(frozenset(pattern.others))
                    single.add(screen_word(pattern))
        single.update(w.lower() for name in SCREEN_LISTS for w in getattr(frames, name, ()) or ())
        self.single = frozenset(single)
        lists = [getattr(frames, name, ()) or () for name in FRAME_LISTS] + [getattr(verdicts, name) for name in VERDICT_LISTS]
        self.events = frozenset(w.lower() for words in lists for w in words)
        self.pairs = (  # "called the decision illegal", "ruled the decree violated the constitution", "ready to"
            (frozenset(verdicts.negative) | verdicts.wrongdoing | {phrase.split()[0] for phrase in verdicts.norm_breaking},
             frozenset(verdicts.labelling | verdicts.judging)),
            (frozenset(verdicts.positive), frozenset(verdicts.labelling | verdicts.judging)),  # "said Putin was a dear friend"
            (frozenset(w.lower() for w in frames.intent_adjectives), frozenset({"to"})),
            (frames.sympathy_subjects, frozenset({"with", "go"})),  # "our thoughts are with", "hearts go out to"
        )
        words = set(self.completions) | {w for others in self.completions.values() for o in others for w in o} | self.events
        self.words = frozenset(words | {w for pair in self.pairs for side in pair for w in side})

    def complete(self, found: set[str]) -> bool:
        """Do these words (lemmas of one sentence's words) complete a trigger?"""
        if found & self.events:
            return True
        for head in found:
            if any(others <= found for others in self.completions.get(head, ())):
                return True
        return any(found & first and found & second for first, second in self.pairs)


class SentenceFilter:
    """Decides, from tokens alone, which sentences of a text the parser must see."""

    def __init__(self, nlp: Language, triggers: TriggerIndex, frames: Frames, actors: ActorMatcher,
                 max_tokens: int = MAX_SENTENCE_TOKENS) -> None:
        self.max_tokens = max_tokens
        self.tokenizer = nlp.tokenizer
        self.sentencizer = WordSentencizer()
        self.triggers = TriggerWords(triggers, frames, load_verdicts())
        self.actors = actors
        self.pronouns = frames.person_pronouns | frames.group_pronouns | frames.first_person_pronouns
        self.actor_words = frozenset(w for term in actors.knowledge.sectors for w in term if w not in STOP_WORDS) | self.pronouns \
            | frames.state_instruments  # "the bill was suspended": the state's act, its doer implied (story.home_source)
        tables = nlp.get_pipe("lemmatizer").lookups if "lemmatizer" in nlp.component_names else None
        self.rules: list[tuple[str, str]] = []
        self.exceptions: dict[str, set[str]] = {}
        if tables is not None:
            for pos in ("verb", "noun"):
                self.rules += [tuple(rule) for rule in tables.get_table("lemma_rules").get(pos, [])]
                for form, lemmas in tables.get_table("lemma_exc").get(pos, {}).items():
                    self.exceptions.setdefault(form, set()).update(lemmas)
        self.rules = sorted(set(self.rules))
        self.lemma_fixes = frames.lemma_fixes  # forms the model leaves as their own lemma ("retook")
        # the same words recur in every article: each is undone once (bounded, so memory stays flat)
        self._trigger_words = lru_cache(maxsize=WORD_CACHE)(lambda word: self._forms_of(word, self.triggers.words))
        self._actor_words = lru_cache(maxsize=WORD_CACHE)(lambda word: bool(self._forms_of(word, self.actor_words)))

    def could_trigger(self, word: str) -> bool:
        """Can the word be a form of a word of some trigger?"""
        return bool(self._trigger_words(word.lower()))

    def could_name_actor(self, word: str) -> bool:
        return self._actor_words(word.lower())

    def _forms_of(self, word: str, lemmas: frozenset[str]) -> frozenset[str]:
        """The `lemmas` that `word` can be a form of."""
        found = ({word, self.lemma_fixes.get(word, word)} | self.exceptions.get(word, set())) & lemmas  # "retook"
        for old, new in self.rules:
            if old and word.endswith(old):
                stem = word[: len(word) - len(old)] + new
                if stem in lemmas:
                    found.add(stem)
                if len(stem) > 2 and stem[-1] == stem[-2] and stem[:-1] in lemmas:  # planned -> plan
                    found.add(stem[:-1])
        return frozenset(found)

    def keeps(self, words: list[str], lowers: list[str], alpha: list[int], first: int, end: int, named: set[int]) -> bool:
        """A whole trigger and a word that can name an actor; or one word of a trigger in a sentence that names
        someone (an actor of the dictionaries, a pronoun, a capitalised name with a sector word): such a sentence
        is context, the coder's reading of it says whom later sentences mean ("Mayor Pawel Adamowicz").

        The sentence is tokens `first` to `end` of the text's `words` (their lower case forms, their IS_ALPHA)."""
        found: set[str] = set()
        names = pronoun = sector = capital = False
        for i in range(first, end):
            lower = lowers[i]
            found |= self._trigger_words(lower)
            names = names or i in named
            if alpha[i]:
                pronoun = pronoun or lower in self.pronouns
                sector = sector or self._actor_words(lower)
                capital = capital or (i > first and words[i][0].isupper())
        if self.triggers.complete(found):
            return names or sector or capital
        return bool(found & self.triggers.single) and (names or pronoun or (capital and sector))

    def screen(self, text: str) -> Screen:
        """Which sentences of a text the parser must see, and the actors named in the others.

        Tokens are read as lists of their texts and arrays of their flags: a Token object each cost more
        than the reading."""
        doc = self.tokenizer(text)
        doc.user_data[TEXT] = text  # the tokenizer loses no character: the doc's text is the text
        doc = self.sentencizer(doc)
        words = doc_words(doc)
        lowers = [word.lower() for word in words]  # a lexeme's lower form, as the tokenizer's language makes it
        alpha = doc.to_array(IS_ALPHA).tolist()
        mentions = self.actors.mentions(doc)
        named = {i for mention in mentions for i in range(mention.start, mention.end)}
        bounds = sentence_bounds(doc)
        keep = []
        too_long = []
        for index, (first, end) in enumerate(bounds):
            if end - first > self.max_tokens:  # the parser's time grows with sentence length; such "sentences" are not prose
                keep.append(False)
                too_long.append((index, end - first))
                continue
            keep.append(self.keeps(words, lowers, alpha, first, end, named))
        # a pronoun's antecedent may sit in one of the two sentences before it: parse those too
        for i, (first, end) in enumerate(bounds):
            if keep[i] and any(lowers[n] in self.pronouns for n in range(first, end)):
                for j in (i - 1, i - 2):
                    if j >= 0 and bounds[j][1] - bounds[j][0] <= self.max_tokens and any(
                            n in named for n in range(*bounds[j])):
                        keep[j] = True
        idx = doc.to_array(IDX).tolist()
        ranges = [(idx[first], idx[end - 1] + len(words[end - 1]), kept) for (first, end), kept in zip(bounds, keep, strict=True)]
        starts = [first for first, _ in bounds]
        skipped = [m.entry for m in mentions if not keep[bisect.bisect_right(starts, m.start) - 1]]
        people = frozenset(word for (first, end), kept in zip(bounds, keep, strict=True) if not kept
                           for word in self.actors.names.surnames_in(doc[first:end]))
        return Screen(ranges, skipped, too_long, doc, bounds, people)

    @staticmethod
    def parser_doc(screen: Screen) -> tuple[Doc, list[int] | None]:
        """The Doc the parser sees: the kept sentences, of the pre-filter's tokens, a line break between runs
        that were not adjacent (so no sentence spans a gap); and the position in the text of each of its
        characters (None when it holds the whole text).

        A fresh Doc, not the pre-filter's: the sentencizer's boundaries would bind the parser.
        """
        doc = screen.tokens
        keep = [kept for _, _, kept in screen.ranges]
        words, spaces = doc_words(doc), [bool(space) for space in doc.to_array(SPACY).tolist()]
        if all(keep):
            whole = Doc(doc.vocab, words=words, spaces=spaces)
            whole.user_data[TEXT] = doc_text(doc)  # its text is the text (spaCy's doc.text joins every token)
            return whole, None
        idx = doc.to_array(IDX).tolist()
        kept_words: list[str] = []
        kept_spaces: list[bool] = []
        positions: list[int] = []
        for index, (first, end) in enumerate(screen.bounds):
            if not keep[index]:
                continue
            if kept_words and not keep[index - 1]:  # after a gap: the run before ends with a line break
                if kept_spaces[-1]:  # in place of its last token's trailing space
                    kept_spaces[-1] = False
                    positions.pop()
                kept_words.append("\n")
                kept_spaces.append(False)
                positions.append(positions[-1] + 1)
            for i in range(first, end):
                kept_words.append(words[i])
                kept_spaces.append(spaces[i])
                positions.extend(range(idx[i], idx[i] + len(words[i]) + spaces[i]))
        parsed = Doc(doc.vocab, words=kept_words, spaces=kept_spaces)
        parsed.user_data[TEXT] = "".join(word + " " * space for word, space in zip(kept_words, kept_spaces, strict=True))
        return parsed, positions

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
