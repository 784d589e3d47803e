"""Knowledge loads fast and right: the token index, its cache, misspelt demonyms, titles and undated text."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tacitus.coding.nlp import load_nlp
from tacitus.knowledge.phrases import resolve_phrases
from tacitus.knowledge.spelling import NearMisses, within_one_edit
from tacitus.knowledge.token_index import TokenSequenceIndex, cached, phrase_index


def test_index_finds_every_occurrence_like_a_phrase_matcher() -> None:
    index: TokenSequenceIndex[str] = TokenSequenceIndex()
    index.add(("New", "York"), "NY")
    index.add(("New", "York", "City"), "NYC")
    index.add(("York",), "Y")
    words = "in New York City and York".split()
    assert sorted(index.find(words)) == [(1, 3, "NY"), (1, 4, "NYC"), (2, 3, "Y"), (5, 6, "Y")]


def test_forms_are_split_as_the_model_splits_running_text(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TACITUS_CACHE_DIR", str(tmp_path))
    nlp = load_nlp()
    index = phrase_index("test-index", nlp, ["al-Qaeda", "U.S.", "Côte d'Ivoire"])
    doc = nlp.make_doc("Al-Qaeda fighters, U.S. envoys and Côte d'Ivoire's army")
    found = {value for _, _, value in index.find([t.text for t in doc])}
    assert found == {"U.S.", "Côte d'Ivoire"}  # case-sensitive: "Al-Qaeda" is a variant the actor matcher adds


def test_cache_is_keyed_by_the_forms_so_a_changed_file_is_never_stale(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TACITUS_CACHE_DIR", str(tmp_path))
    nlp = load_nlp()
    first = phrase_index("test-index", nlp, ["Aleppo", "Idlib"])
    again = phrase_index("test-index", nlp, ["Aleppo", "Idlib"])
    changed = phrase_index("test-index", nlp, ["Aleppo", "Idlib", "Raqqa"])
    assert set(first.by_first) == set(again.by_first) == {"Aleppo", "Idlib"}
    assert "Raqqa" in changed.by_first
    assert len(list(tmp_path.glob("test-index-*.pickle"))) == 2


def test_a_damaged_or_unwritable_cache_only_costs_the_build(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TACITUS_CACHE_DIR", str(tmp_path))
    assert cached("thing", "k1", lambda: [1, 2]) == [1, 2]
    (tmp_path / "thing-k1.pickle").write_bytes(b"not a pickle")
    assert cached("thing", "k1", lambda: [3]) == [3]
    read_only = tmp_path / "ro"
    read_only.mkdir()
    read_only.chmod(0o500)
    monkeypatch.setenv("TACITUS_CACHE_DIR", str(read_only / "sub"))
    try:
        assert cached("thing", "k2", lambda: "built in memory") == "built in memory"
    finally:
        read_only.chmod(0o700)


def test_a_fresh_process_with_a_cold_cache_codes_the_same(tmp_path: Path) -> None:
    """A worker that finds no cache (or cannot write one) builds the knowledge in memory and codes alike."""
    text = tmp_path / "a.txt"
    text.write_text("Azerbaijani forces shelled Stepanakert. The EU condemned Azerbaijan.\n", encoding="utf-8")
    outputs = []
    for cache in (str(tmp_path / "cache"), str(tmp_path / "cache"), ""):
        env = {**os.environ, "TACITUS_CACHE_DIR": cache}
        result = subprocess.run([sys.executable, "-m", "tacitus.cli", "extract", str(text), "--date", "2023-09-19"],
                                capture_output=True, text=True, timeout=300, env=env)
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] == outputs[2] and "ACCUSE" in outputs[0]
    assert list((tmp_path / "cache").glob("actor-index-*.pickle"))


@pytest.mark.parametrize(("word", "form"), [("Columbian", "Colombian"), ("Afghanstan", "Afghanistan"),
                                            ("Ukrainain", "Ukrainian"), ("Kenyian", None), ("Colombian", None)])
def test_misspelt_long_names_are_one_edit_from_one_form(word: str, form: str | None) -> None:
    misses = NearMisses(["Colombian", "Afghanistan", "Ukrainian", "Kenyan"])
    assert misses.lookup(word) == form


def test_edit_distance_counts_swaps_as_one() -> None:
    assert within_one_edit("Ukrainain", "Ukrainian") and not within_one_edit("Austrian", "Australian")


def resolve(text: str, date: dt.date | None):
    actor = resolve_phrases(load_nlp(), [(text, date)])[0]
    return (actor.country, actor.sector) if actor else None


def test_a_title_in_the_phrase_outranks_the_dictionary_role() -> None:
    assert resolve("Senator Marco Rubio", None) == ("USA", "LEG")
    assert resolve("Marco Rubio", dt.date(2025, 6, 1)) == ("USA", "GOV")
    assert resolve("Columbian soldiers", None) == ("COL", "MIL")
    # a lower-case title of two words, as news writes them; "former" still makes an elite
    assert resolve("Venezuelan opposition leader Juan Guaido", dt.date(2024, 6, 1)) == ("VEN", "OPP")
    assert resolve("former opposition leader Juan Guaido", dt.date(2024, 6, 1)) == ("VEN", "ELI")
    assert resolve("Hamas leader Yahya Sinwar", dt.date(2024, 6, 1)) == ("PSE", "REB")  # a group, not a title
    assert resolve("incoming president Donald Trump", dt.date(2024, 12, 1)) == ("USA", "ELI")  # not yet in office
    assert resolve("party leader Rishi Sunak", dt.date(2023, 6, 1)) == ("GBR", "GOV")  # a party post unseats no office


def test_an_undated_article_is_read_as_of_today(pipeline) -> None:
    events = pipeline.extract("Boris Johnson condemned Russia.")
    assert events and events[0].source.sector == "ELI"
    dated = pipeline.extract("Boris Johnson condemned Russia.", dt.date(2020, 5, 1))
    assert dated[0].source.sector == "GOV"


def test_an_edited_user_dictionary_is_read_again(tmp_path: Path) -> None:
    """The cached knowledge is keyed by the dictionary's content: editing it changes the answer at once."""
    dictionary = tmp_path / "mine.tsv"
    env = {**os.environ, "TACITUS_CACHE_DIR": str(tmp_path / "cache")}

    def resolve_cli() -> str:
        result = subprocess.run([sys.executable, "-m", "tacitus.cli", "resolve", "Zorblax Front", "--dictionary", str(dictionary)],
                                capture_output=True, text=True, timeout=300, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    dictionary.write_text("names\tcode\tcountry\tsector\nZorblax Front\tMLIREBZOR\tMLI\tREB\n", encoding="utf-8")
    assert '"code": "MLIREBZOR"' in resolve_cli()
    dictionary.write_text("names\tcode\tcountry\tsector\nZorblax Front\tNERREBZOR\tNER\tREB\n", encoding="utf-8")
    assert '"code": "NERREBZOR"' in resolve_cli()


def test_a_town_named_as_an_actor_stands_for_its_country() -> None:
    assert resolve("Port Harcourt", dt.date(2023, 1, 1)) == ("NGA", None)
    assert resolve("Iraqi Kurds", None)[0] == "IRQ"
    assert resolve("U.N. mediator Diego Cordovez", dt.date(1988, 4, 14))[1] == "IGO"
