"""The learned layer beside the rules (issue 19): shipped, offline, deterministic, switchable, and visible in its events."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from dataclasses import replace

import pytest
from click.testing import CliRunner

from tacitus.cli import main
from tacitus.coding.learned import EVENT, MODEL_DIR, HybridLayer, load_model, model_enabled
from tacitus.coding.pipeline import Pipeline
from tacitus.knowledge.lexicon import PLOVER_TYPES

# Written for this test in the style of the synthetic training sentences (not from any eval file): an attack
# reported without an attack verb ("were behind the suicide bombing"), which the rules miss and the model knows.
MISSED = "Pakistani officials said Afghan militants had a hand in the suicide bombing in Peshawar."
MISSED_TYPE = "ASSAULT"
DATE = dt.date(2023, 5, 2)


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline.load(model=False)


@pytest.fixture(scope="module")
def hybrid(rules: Pipeline) -> Pipeline:
    return replace(rules, model=HybridLayer.load(rules.triggers))  # the shipped thresholds


def test_model_ships_small_and_loads_offline_with_numpy_alone():
    arrays, meta = MODEL_DIR / "event_types.npz", MODEL_DIR / "event_types.json"
    assert arrays.stat().st_size + meta.stat().st_size < 25_000_000
    code = ("import sys; sys.modules['sklearn'] = None; sys.modules['scipy'] = None\n"
            "from tacitus.coding.learned import load_model\n"
            "m = load_model(); print(len(m.labels), len(m.vocabulary))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"PATH": "", "HOME": "/nonexistent", "HF_HUB_OFFLINE": "1", "NO_PROXY": "*"})
    assert done.returncode == 0, done.stderr
    labels, features = map(int, done.stdout.split())
    assert labels == len(PLOVER_TYPES) + 1 and features > 1000
    model = load_model()
    assert model.labels == (*PLOVER_TYPES, EVENT)
    assert {"emit_threshold", "demote_threshold", "demote_factor", "default_on"} <= set(model.settings)


def test_probabilities_are_deterministic(rules: Pipeline):
    layer = HybridLayer.load(rules.triggers)
    doc = rules.nlp(MISSED)
    first = layer.probabilities(doc)
    load_model.cache_clear()
    again = HybridLayer.load(rules.triggers).probabilities(rules.nlp(MISSED))
    assert first == again
    assert set(first) == set(PLOVER_TYPES) | {EVENT}
    assert all(0.0 <= p <= 1.0 for p in first.values())


def test_setting_env_and_default(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TACITUS_MODEL", "0")
    assert model_enabled() is False and model_enabled(True) is True
    monkeypatch.setenv("TACITUS_MODEL", "1")
    assert model_enabled() is True and model_enabled(False) is False
    monkeypatch.delenv("TACITUS_MODEL")
    assert model_enabled() is bool(load_model().settings["default_on"])
    assert Pipeline.load(model=False).model is None
    assert Pipeline.load(model=True).model is not None


def test_no_model_is_exactly_the_rule_coder(rules: Pipeline, tmp_path, monkeypatch: pytest.MonkeyPatch):
    from tacitus.knowledge.lexicon import data_file

    samples = data_file("samples/articles.jsonl")
    text = "\n".join([samples.read_text(encoding="utf-8").strip(), json.dumps({"id": "missed", "text": MISSED, "date": DATE.isoformat()})])
    path = tmp_path / "articles.jsonl"
    path.write_text(text + "\n", encoding="utf-8")
    monkeypatch.setenv("TACITUS_MODEL", "1")  # the flag wins over the setting
    result = CliRunner().invoke(main, ["extract", str(path), "--no-model"], catch_exceptions=False)
    assert result.exit_code == 0
    from tacitus.read.articles import read_articles

    expected = [e for _, events in rules.extract_articles(read_articles([str(path)])) for e in events]
    got = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert [e["event_id"] for e in got] == [e.event_id for e in expected]
    assert [(e["confidence"], e["rule"]) for e in got] == [(e.confidence, e.rule) for e in expected]
    assert not any(e["rule"].startswith("model:") for e in got)
    monkeypatch.setenv("TACITUS_MODEL", "0")
    with_model = CliRunner().invoke(main, ["extract", str(path), "--model"], catch_exceptions=False)
    hybrid = [json.loads(line) for line in with_model.output.splitlines() if line.strip()]
    assert {e["event_id"] for e in got} <= {e["event_id"] for e in hybrid}  # the rules' events stay, confidences may fall
    assert all(e["rule"].startswith("model:") for e in hybrid if e["event_id"] not in {g["event_id"] for g in got})


def test_a_sentence_the_rules_miss_is_coded_by_the_model(rules: Pipeline, hybrid: Pipeline):
    assert not [e for e in rules.extract(MISSED, DATE) if e.event_type == MISSED_TYPE]
    added = [e for e in hybrid.extract(MISSED, DATE) if e.rule.startswith("model:")]
    assert [e.event_type for e in added] == [MISSED_TYPE]
    event = added[0]
    assert event.rule == f"model:{MISSED_TYPE}"
    assert (event.source.country, event.target.country) == ("AFG", "PAK")
    doc = hybrid.nlp(MISSED)
    probability = hybrid.model.probabilities(next(iter(doc.sents)))[MISSED_TYPE]
    assert probability >= hybrid.model.emit
    assert event.confidence == pytest.approx(round(probability, 3), abs=0.002)
