"""The table tagger gives every token the annotations spaCy's attribute_ruler and lemmatizer give it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, POS, TAG

from tacitus.coding.nlp import line_breaks, load_nlp
from tacitus.coding.tagging import TableTagger, folded
from tacitus.knowledge.lexicon import data_file
from tacitus.read.articles import read_articles

ODD = ("There is no deal, and there were never talks. I ain't gonna sign, he said; let's go, y'all. "
       "We gotta wait: c'mon, it's done. He'd have gone if they'd asked. That's what I'd do.\n\n"
       "Nothing was agreed. Somebody did it. She gets what she wants and he got nothing.  \n  Ca n't stop.")
ATTRS = [POS, TAG, DEP, MORPH, LEMMA, HEAD]
WIKINEWS = Path(__file__).resolve().parents[1] / "training" / "wikinews" / "annotated_a.jsonl"


def annotated_both_ways(texts: list[str]) -> list[tuple]:
    nlp = load_nlp()
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    tagger = TableTagger(ruler, lemmatizer)
    pairs = []
    for doc in nlp.pipe(texts, disable=["tacitus_tags"]):
        pairs.append((lemmatizer(ruler(doc.copy())), tagger(doc.copy())))
    return pairs


def test_same_annotations_as_the_spacy_components():
    texts = [a.text for a in read_articles([str(data_file("samples/articles.jsonl"))])] + [ODD]
    texts += [json.loads(line)["text"] for line in WIKINEWS.read_text(encoding="utf-8").splitlines()[:40]]  # real news
    pairs = annotated_both_ways(texts)
    assert sum(len(a) for a, _ in pairs) > 5000
    for spacy_doc, table_doc in pairs:
        assert numpy.array_equal(spacy_doc.to_array(ATTRS), table_doc.to_array(ATTRS))
        assert [t.lemma_ for t in spacy_doc] == [t.lemma_ for t in table_doc]
        assert [str(t.morph) for t in spacy_doc] == [str(t.morph) for t in table_doc]


def test_two_token_rules_and_their_order():
    (spacy_doc, table_doc), = annotated_both_ways(["There is a deal and there were talks. I ain't going; gonna win."])
    there = [t for t in table_doc if t.lower_ in ("is", "were")]
    assert [t.pos_ for t in there] == [t.pos_ for t in spacy_doc if t.lower_ in ("is", "were")] == ["VERB", "VERB"]
    assert [t.lemma_ for t in table_doc if t.lower_ in ("ai", "gon")] == ["be", "go"]


def test_the_pipeline_uses_the_tables():
    nlp = load_nlp()
    assert "tacitus_tags" in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    doc = nlp("Protesters were arrested. They had gathered outside parliament.")
    assert [t.lemma_ for t in doc][:3] == ["protester", "be", "arrest"] and doc[1].pos_ == "AUX"


def test_folded_rows_that_clash_are_not_merged():
    rows = numpy.array([[1, 2, 3], [1, 2, 3], [3, 2, 1]], dtype=numpy.uint64)
    keys = folded(rows)
    assert keys[0] == keys[1] and keys[0] != keys[2]


def test_line_breaks_start_sentences():
    nlp = load_nlp()
    text = "One line\nand another\n\n two more.  \nEnd \n"
    doc, reference = nlp.make_doc(text), nlp.make_doc(text)
    line_breaks(doc)
    for token in reference[:-1]:  # what every token's text says
        if "\n" in token.text:
            reference[token.i + 1].is_sent_start = True
    assert [t.is_sent_start for t in doc] == [t.is_sent_start for t in reference]
    assert [t.text for t in doc if t.is_sent_start] == ["One", "and", "two", "End"]
