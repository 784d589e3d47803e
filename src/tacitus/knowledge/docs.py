"""Per-doc helpers shared by the knowledge matchers and the coder."""

from __future__ import annotations

import bisect
from itertools import accumulate

from spacy.attrs import IS_PUNCT, LEMMA, LOWER, ORTH, POS, SPACY
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


TEXT, WORDS, STARTS = "tacitus_text", "tacitus_words", "tacitus_starts"


def doc_text(doc: Doc) -> str:
    """The doc's text, kept once per doc (spaCy's `doc.text` joins every token on each call)."""
    return _kept(doc, TEXT)


def doc_words(doc: Doc | Span) -> list[str]:
    """The texts of the doc's (or span's) tokens, kept once per doc: read from the string store by the token
    array, not token by token (each token read from a Doc is an object made on the spot)."""
    whole = doc.doc if isinstance(doc, Span) else doc
    words = _kept(whole, WORDS)
    return words[doc.start:doc.end] if isinstance(doc, Span) else words


def _read_words(doc: Doc) -> None:
    """The token texts, the text they join to (a token's trailing space is one space or none) and each token's
    offset in it, kept on the doc."""
    rows = doc.to_array([ORTH, SPACY])  # read as two flat lists: a list per row cost five times more
    words = doc.user_data[WORDS] = strings_of(doc, rows[:, 0].tolist())
    pieces = [word + " " if space else word for word, space in zip(words, rows[:, 1].tolist(), strict=True)]
    doc.user_data[TEXT] = "".join(pieces)
    doc.user_data[STARTS] = list(accumulate(map(len, pieces[:-1]), initial=0)) if pieces else []


def token_starts(doc: Doc) -> list[int]:
    """Each token's character offset in the doc's text (`token.idx`), kept once per doc."""
    return _kept(doc, STARTS)


def _kept(doc: Doc, key: str):
    """The doc's token texts, text or token offsets (`key`), read together once per doc by `_read_words`."""
    if key not in doc.user_data:
        _read_words(doc)
    return doc.user_data[key]


KNOWN_STRINGS: dict[int, str] = {}  # string-store hash -> string, across docs: the words of news recur
KNOWN_LOWER: dict[int, str] = {}  # the same, lower-cased
MAX_KNOWN = 500_000  # strings each keeps before it starts afresh


def strings_of(doc: Doc, hashes: list[int], lower: bool = False) -> list[str]:
    """The strings of string-store hashes (`lower`: in lower case), each looked up in the store once: a lookup
    decodes a new string."""
    known = KNOWN_LOWER if lower else KNOWN_STRINGS
    try:
        return list(map(known.__getitem__, hashes))  # labels and most words are known already
    except KeyError:
        pass
    missing = set(hashes).difference(known)
    if missing:
        if len(known) + len(missing) > MAX_KNOWN:
            known.clear()
            missing = set(hashes)
        strings = doc.vocab.strings
        known.update((h, strings[h].lower() if lower else strings[h]) for h in missing)
    try:
        return list(map(known.__getitem__, hashes))
    except KeyError:  # cleared by another thread meanwhile: read from the store itself
        return [doc.vocab.strings[h].lower() if lower else doc.vocab.strings[h] for h in hashes]


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
        labels = doc.user_data[key] = strings_of(doc, doc.to_array(attr).tolist())
    return labels


def token_words(doc: Doc) -> tuple[list[str], list[str], list[str]]:
    """Each token's lemma in lower case, its lower case and its part of speech (`token.lemma_.lower()`,
    `lower_`, `pos_`), read once per doc as one array: a Token looks its strings up on every read."""
    words = doc.user_data.get("tacitus_token_words")
    if words is None:  # the lower case is the token's text lowered, as spaCy's is; the labels are `token_labels`'
        rows = doc.to_array([LEMMA, LOWER])
        words = doc.user_data["tacitus_token_words"] = (strings_of(doc, rows[:, 0].tolist(), lower=True),
                                                        strings_of(doc, rows[:, 1].tolist()), token_labels(doc, POS))
    return words
