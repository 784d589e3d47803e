"""Per-doc helpers shared by the knowledge matchers and the coder."""

from __future__ import annotations

import bisect

import numpy
from spacy.attrs import IDX, IS_PUNCT, LEMMA, LENGTH, ORTH, POS, SPACY
from spacy.tokens import Doc, Span, Token


def sentence_of(token: Token) -> Span:
    """The sentence of a token, from a per-doc index (spaCy's `token.sent` scans the doc on every call).

    The index holds token offsets, not spans: a span on the doc's own `user_data`
    would make a reference cycle, and docs in cycles wait for the rare full
    garbage collection, so memory grew over long runs.
    """
    doc = token.doc
    index = doc.user_data.get("tacitus_sentences")
    if index is None:
        bounds = [(s.start, s.end) for s in doc.sents]
        index = doc.user_data["tacitus_sentences"] = ([start for start, _ in bounds], [end for _, end in bounds])
    starts, ends = index
    at = bisect.bisect_right(starts, token.i) - 1
    return doc[starts[at]:ends[at]]


TEXT = "tacitus_text"


def doc_text(doc: Doc) -> str:
    """The doc's text, kept once per doc (spaCy's `doc.text` joins every token on each call)."""
    text = doc.user_data.get(TEXT)
    if text is None:  # joined from the token strings: spaCy's own join makes a Token object for every token
        rows, strings = doc.to_array([ORTH, SPACY]), doc.vocab.strings
        text = doc.user_data[TEXT] = "".join([strings[orth] + " " if space else strings[orth] for orth, space in zip(
            rows[:, 0].tolist(), rows[:, 1].tolist(), strict=True)])
    return text


def doc_words(doc: Doc | Span) -> list[str]:
    """The texts of the doc's (or span's) tokens, kept once per doc: cut from its text by offsets, not read
    token by token (each token read from a Doc is an object made on the spot)."""
    whole = doc.doc if isinstance(doc, Span) else doc
    words = whole.user_data.get("tacitus_words")
    if words is None:
        text = doc_text(whole)
        bounds = whole.to_array([IDX, LENGTH])  # read as two flat lists: a list per row cost five times more
        words = whole.user_data["tacitus_words"] = [text[start:end] for start, end in zip(
            bounds[:, 0].tolist(), (bounds[:, 0] + bounds[:, 1]).tolist(), strict=True)]
    return words[doc.start:doc.end] if isinstance(doc, Span) else words


def word_count(doc: Doc | Span) -> int:
    """How many tokens of the doc (or span) are no punctuation: one array read, not a token object each."""
    whole = doc.doc if isinstance(doc, Span) else doc
    punct = whole.to_array([IS_PUNCT])
    if isinstance(doc, Span):
        punct = punct[doc.start:doc.end]
    return len(punct) - int(punct.sum())


def token_labels(doc: Doc, attr: int) -> list[str]:
    """Each token's POS, TAG or DEP label as `token.pos_` (`tag_`, `dep_`) gives it, read once per doc as an array:
    a loop that wants a few tokens of a sentence makes Token objects of those alone (each is made on the spot)."""
    key = f"tacitus_labels_{attr}"
    labels = doc.user_data.get(key)
    if labels is None:
        unique, inverse = numpy.unique(doc.to_array(attr), return_inverse=True)
        names = [doc.vocab.strings[value] for value in unique.tolist()]
        labels = doc.user_data[key] = [names[n] for n in inverse.reshape(-1).tolist()]
    return labels


def token_words(doc: Doc) -> tuple[list[str], list[str], list[str]]:
    """Each token's lemma in lower case, its lower case and its part of speech (`token.lemma_.lower()`,
    `lower_`, `pos_`), read once per doc as one array: a Token looks its strings up on every read."""
    words = doc.user_data.get("tacitus_token_words")
    if words is None:  # the lower case is the token's text lowered, as spaCy's is; the labels are `token_labels`'
        strings = doc.vocab.strings
        words = doc.user_data["tacitus_token_words"] = ([strings[h].lower() for h in doc.to_array(LEMMA).tolist()],
                                                        [word.lower() for word in doc_words(doc)], token_labels(doc, POS))
    return words
