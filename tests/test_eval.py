"""Accuracy floor on the shared PLOVER dev set, and the scoring itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tacitus.errors import GoldFileError
from tacitus.evaluation.events import Score, evaluate, matches, read_gold

# The figure reached when this floor was set, minus a small margin.
F1_FLOOR = 0.64


def test_dev_set_f1_floor(pipeline, gsr_dev):
    score, details = evaluate(gsr_dev, pipeline)
    assert score.records == 164
    assert score.f1() >= F1_FLOOR, score.report()
    assert score.report().splitlines()[-1].startswith("precision=")


def test_scoring_rules():
    assert matches(("USA", "ACCUSE", "AZE"), ("USA", "ACCUSE", None))
    assert not matches(("USA", "ACCUSE", None), ("USA", "ACCUSE", "AZE"))
    assert not matches(("USA", "ACCUSE", "AZE"), ("USA", "SUPPORT", "AZE"))
    score = Score()
    score.add({("USA", "ACCUSE", "AZE"), ("RUS", "ACCUSE", "AZE")}, (("USA", "ACCUSE", None),))
    assert score.precision() == 0.5 and score.recall() == 1.0


def test_bad_gold_line_names_the_line(tmp_path: Path):
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps({"id": "a", "text": "x", "events": []}) + "\n{broken\n", encoding="utf-8")
    with pytest.raises(GoldFileError, match="gold.jsonl:2"):
        list(read_gold(path))
