"""The model's attribute_ruler and lemmatizer as lookups: the same POS, morphology and lemmas, for less.

On real news the two took a fifth of the pipeline's time, nearly all of it spaCy's per-token work
(a Matcher of 179 rules over every token, a Python call per token to lemmatize), though what they
give a token depends on little: the ruler's one-token rules read its tag, lower-case form and
dependency label, the lemmatizer its text, POS and morphology. Each distinct key is worked out
once by the components themselves (on a one-token Doc for the ruler) and remembered; a Doc's
tokens are then read and written as arrays. The ruler's few rules over two tokens ("there is",
"gon na") run as a Matcher of their own, and the tokens they touch are redone by the ruler's own
code with every rule that matches them, in its order. Tests compare every token's annotations
with the spaCy components' on real text.
"""

from __future__ import annotations

import re

import numpy
from spacy.attrs import DEP, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

TOKEN_KEYS = frozenset({"TAG", "LOWER", "DEP", "IS_SPACE"})  # what one-token rules may read (IS_SPACE: of the lower form)
MEMORY = 1 << 19  # keys remembered per table; cleared when full, so memory stays flat over a long run


class TableTagger:
    """attribute_ruler then lemmatizer, answered from tables filled by the components themselves."""

    def __init__(self, ruler: AttributeRuler, lemmatizer: Lemmatizer) -> None:
        self.ruler = ruler
        self.lemmatizer = lemmatizer
        self.vocab = ruler.vocab
        self.lookups = lemmatizer.lookups  # the lemmatizer's tables, for readers of word forms (pre-filter, matcher)
        self.pairs: list[int] = []  # the rule of each two-token pattern
        self.firsts, self.seconds = Matcher(self.vocab), Matcher(self.vocab)  # each token of those patterns, alone
        for rule, entry in enumerate(ruler.patterns):
            for pattern in entry["patterns"]:
                if len(pattern) > 2 or not all(set(spec) <= TOKEN_KEYS for spec in pattern):
                    raise ValueError(f"attribute_ruler rule {rule} is no one- or two-token rule on {sorted(TOKEN_KEYS)}")
                if len(pattern) == 2:
                    self.firsts.add(str(len(self.pairs)), [pattern[:1]])
                    self.seconds.add(str(len(self.pairs)), [pattern[1:]])
                    self.pairs.append(rule)
        self.named, self.shapes = rule_words(ruler.patterns)
        self.kinds: dict[int, int] = {}  # lower form -> itself when a rule can tell it apart, else 0
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            raise ValueError("only a rule lemmatizer that keeps the ruler's lemmas can be looked up")
        index = lemmatizer.lookups.get_table("lemma_index", {})
        for pos, words in list(index.items()):
            if isinstance(words, list) and not isinstance(words, IndexedWords):
                index[pos] = IndexedWords(words)
        self.tags: dict[tuple[int, int, int], tuple] = {}
        self.lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        keys = doc.to_array([TAG, LOWER, DEP, POS, MORPH, LEMMA])
        if keys[:, 3:].any():  # set before the ruler: the tables assume nothing was
            return self.lemmatizer(self.ruler(doc))
        keys[:, 1] = self._kinds(keys[:, 1])  # a word no rule names reads like any other such word
        _, first, inverse = numpy.unique(folded(keys[:, :3]), return_index=True, return_inverse=True)
        if not (keys[first[inverse], :3] == keys[:, :3]).all():  # two keys folded alike: no shortcut for this doc
            return self.lemmatizer(self.ruler(doc))
        rows = [self._tags(doc, i, tuple(key)) for i, key in zip(first.tolist(), keys[first, :3].tolist(), strict=True)]
        values = numpy.array([row[3:] for row in rows], dtype=numpy.uint64)[inverse]  # POS, MORPH, LEMMA, TAG, DEP
        changed = [(attr, col) for attr, col, given in ((TAG, 3, 0), (DEP, 4, 2)) if (values[:, col] != keys[:, given]).any()]
        doc.from_array([POS, MORPH, LEMMA] + [attr for attr, _ in changed], values[:, [0, 1, 2] + [col for _, col in changed]])
        self._two_token_rules(doc, rows, inverse, keys)
        self._lemmatize(doc)
        return doc

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    def _kinds(self, lowers: numpy.ndarray) -> numpy.ndarray:
        """Each lower form, or 0 for a word no rule can tell from another (not named, no pattern's shape, no space)."""
        unique, inverse = numpy.unique(lowers, return_inverse=True)
        kinds = []
        for lower in unique.tolist():
            kind = self.kinds.get(lower)
            if kind is None:
                text = self.vocab.strings[lower]
                kind = lower if text in self.named or text.isspace() or any(p.search(text) for p in self.shapes) else 0
                if len(self.kinds) >= MEMORY:
                    self.kinds.clear()
                self.kinds[lower] = kind
            kinds.append(kind)
        return numpy.array(kinds, dtype=numpy.uint64)[inverse.reshape(-1)]

    def _tags(self, doc: Doc, i: int, key: tuple[int, int, int]) -> tuple:
        """(one-token rules that match, two-token patterns it can start, and end; then POS, MORPH, LEMMA, TAG, DEP)
        of a token whose tag, kind of lower form and dependency are `key` (token `i` of `doc` is one)."""
        found = self.tags.get(key)
        if found is None:
            token = doc[i]
            alone = Doc(self.vocab, words=[token.text])
            alone[0].tag, alone[0].dep = token.tag, token.dep
            starts = frozenset(int(self.vocab.strings[m]) for m, _, _ in self.firsts(alone, allow_missing=True, as_spans=False))
            ends = frozenset(int(self.vocab.strings[m]) for m, _, _ in self.seconds(alone, allow_missing=True, as_spans=False))
            matches = sorted((int(self.vocab.strings[m]), m, s, e) for m, s, e in
                             self.ruler.matcher(alone, allow_missing=True, as_spans=False))
            self.ruler.set_annotations(alone, matches)
            t = alone[0]
            found = (tuple(m[0] for m in matches), starts, ends, t.pos, t.morph.key, t.lemma, t.tag, t.dep)
            if len(self.tags) >= MEMORY:
                self.tags.clear()
            self.tags[key] = found
        return found

    def _two_token_rules(self, doc: Doc, rows: list[tuple], inverse: numpy.ndarray, keys: numpy.ndarray) -> None:
        """Tokens a two-token rule touches: reset, then every rule that matches them, in the ruler's order."""
        starting = [n for n, row in enumerate(rows) if row[1]]
        if not starting:
            return
        touched: dict[int, list] = {}
        for i in numpy.nonzero(numpy.isin(inverse[:-1], starting))[0].tolist():
            for pair in rows[inverse[i]][1] & rows[inverse[i + 1]][2]:
                rule = self.pairs[pair]
                index = self.ruler.indices[rule]
                target = (i if index >= 0 else i + 2) + index
                touched.setdefault(target, []).append((rule, self.vocab.strings[str(rule)], i, i + 2))
        for i, matches in touched.items():
            token = doc[i]
            token.pos, token.lemma, token.tag, token.dep = 0, 0, int(keys[i, 0]), int(keys[i, 2])
            token.set_morph(None)
            single = [(rule, self.vocab.strings[str(rule)], i, i + 1) for rule in rows[inverse[i]][0]]
            self.ruler.set_annotations(doc, sorted(single + matches))

    def _lemmatize(self, doc: Doc) -> None:
        """The lemmatizer's lemma for every token the ruler gave none."""
        keys = doc.to_array([ORTH, POS, MORPH, LEMMA])
        missing = keys[:, 3] == 0
        if not missing.any():
            return
        where = numpy.nonzero(missing)[0]
        _, first, inverse = numpy.unique(folded(keys[where, :3]), return_index=True, return_inverse=True)
        if not (keys[where[first[inverse]], :3] == keys[where, :3]).all():
            self.lemmatizer(doc)
            return
        found = []
        for i, key in zip(first.tolist(), keys[where[first], :3].tolist(), strict=True):
            key = tuple(key)
            lemma = self.lemmas.get(key)
            if lemma is None:
                lemma = self.vocab.strings.add(self.lemmatizer.lemmatize(doc[int(where[i])])[0])
                if len(self.lemmas) >= MEMORY:
                    self.lemmas.clear()
                self.lemmas[key] = lemma
            found.append(lemma)
        lemmas = keys[:, 3].copy()
        lemmas[where] = numpy.array(found, dtype=numpy.uint64)[inverse]
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))


class IndexedWords(list):
    """A list of the lemmatizer's known words that answers `in` as a set does: its rule lemmatizer asks
    `form in index` of lists of up to 57,000 nouns, a scan per candidate form of every word not yet met
    (1.5 s of the first pass over 293 real articles). Same words, same order, same lemmas."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(words)
        self.members = frozenset(self)

    def __contains__(self, word: object) -> bool:
        return word in self.members


def rule_words(patterns: list[dict]) -> tuple[frozenset[str], tuple[re.Pattern, ...]]:
    """The lower forms the ruler's patterns name, and the shapes (regular expressions) they match."""
    named: set[str] = set()
    shapes: list[re.Pattern] = []
    for entry in patterns:
        for pattern in entry["patterns"]:
            for spec in pattern:
                value = spec.get("LOWER")
                if value is None:
                    continue
                if isinstance(value, str):
                    named.add(value)
                elif set(value) <= {"IN", "NOT_IN", "REGEX"}:
                    named.update(value.get("IN", ()), value.get("NOT_IN", ()))
                    if "REGEX" in value:
                        shapes.append(re.compile(value["REGEX"]))
                else:
                    raise ValueError(f"attribute_ruler pattern reads LOWER with {sorted(value)}: no lookup can stand for it")
    return frozenset(named), tuple(shapes)


def folded(columns: numpy.ndarray) -> numpy.ndarray:
    """One number per row of hashes, to group equal rows fast. Rows that fold alike are still told apart by
    the tables (keyed by the whole row): a clash would put two keys in one group, and so is checked."""
    with numpy.errstate(over="ignore"):
        folded = columns[:, 0] * numpy.uint64(0x9E3779B97F4A7C15)
        for n in range(1, columns.shape[1]):
            folded = (folded ^ columns[:, n]) * numpy.uint64(0xBF58476D1CE4E5B9)
    return folded


@Language.factory("tacitus_tags")
def make_table_tagger(nlp: Language, name: str) -> TableTagger:
    return TableTagger(nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer"))
