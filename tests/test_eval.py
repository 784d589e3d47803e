"""Accuracy floor on the shared PLOVER dev set, and the scoring itself."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tacitus.errors import GoldFileError
from tacitus.evaluation.events import Score, evaluate, matches, read_gold

# The figure reached when this floor was set, minus a small margin.
F1_FLOOR = 0.62  # 0.663 before the CAMEO-wide vocabulary (0.638 after), which buys recall on real news


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


ARTICLE = {
    "id": "a1", "date": "2023-09-19",
    "text": "France condemned Azerbaijan on Tuesday. The weather was mild. Russia sent aid to Armenia.",
    "sentences": [[0, 39], [40, 61], [62, 90]],
    "events": [
        {"sentence": 0, "source": [{"text": "France", "country": "FRA", "code": "FRA", "sector": "GOV"}],
         "target": [{"text": "Azerbaijan", "country": "AZE", "code": "AZE", "sector": "GOV"}], "code": "ACCUSE",
         "polarity": "affirmed"},
        {"sentence": 2, "source": [{"text": "Russia", "country": "RUS", "code": "RUS", "sector": "GOV"}],
         "target": [{"text": "Armenia", "country": "ARM", "code": "ARM", "sector": "GOV"}], "code": "AID",
         "polarity": "affirmed"},
        {"sentence": 2, "source": [{"text": "Russia", "country": "RUS", "code": "RUS", "sector": "GOV"}],
         "target": [], "code": "ASSAULT", "polarity": "negated"},
    ],
}


def test_article_level_gold_is_scored_per_sentence_with_relevance(tmp_path: Path, pipeline):
    from tacitus.evaluation.articles import evaluate_articles

    path = tmp_path / "news.jsonl"
    path.write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    score, relevance, details = evaluate_articles(path, pipeline)
    assert score.records == 3 and sum(score.all_gold.values()) == 2  # the negated event is left out
    assert score.recall() == 1.0 and score.precision() == 1.0, score.report()
    assert (relevance.gold, relevance.predicted, relevance.both) == (2, 2, 2)
    assert [record.id for record, _ in details] == ["a1#0", "a1#1", "a1#2"]


def test_eval_of_a_folder_scores_every_known_file(tmp_path: Path):
    from click.testing import CliRunner

    from tacitus.cli import main

    (tmp_path / "news.jsonl").write_text(json.dumps(ARTICLE) + "\n", encoding="utf-8")
    (tmp_path / "sentences.jsonl").write_text(json.dumps(
        {"id": "s1", "text": "Germany condemned Russia.", "events": [
            {"source": [{"code": "DEU"}], "target": [{"code": "RUS"}], "code": "ACCUSE"}]}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(tmp_path)])
    assert result.exit_code == 0, result.output
    summary = result.output.split("== summary")[1]
    assert "news.jsonl" in summary and "relevance recall=1.000" in summary
    assert "sentences.jsonl" in summary and "f1=1.000" in summary


@pytest.mark.parametrize("content", [b"", b"\n\n", b"\x00\xff\xfe binary", b'{"name": "not gold"}\n'])
def test_empty_binary_or_foreign_gold_is_a_clean_error(tmp_path: Path, content: bytes):
    path = tmp_path / "gold.jsonl"
    path.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "tacitus.cli", "eval", str(path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and "gold.jsonl" in result.stderr and "Traceback" not in result.stderr
