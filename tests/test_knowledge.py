"""The data files: complete, consistent, and errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tacitus.errors import DataFileError
from tacitus.knowledge.lexicon import PLOVER_TYPES, cameo_entry, cameo_table, default_triggers, load_triggers


def test_triggers_cover_all_plover_types_with_verbs_and_nouns():
    index = default_triggers()
    verb_types = {p.event_type for patterns in index.verbs.values() for p in patterns}
    noun_types = {p.event_type for patterns in index.nouns.values() for p in patterns}
    assert set(PLOVER_TYPES) <= verb_types
    assert len(noun_types) >= 14


def test_cameo_table_is_consistent():
    table = cameo_table()
    for code, entry in table.items():
        assert len(code) in (3, 4) and code.isdigit()
        root = int(code[:2])
        expected = 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4
        assert entry.quad_class == expected, code
        assert -10 <= entry.goldstein <= 10
    assert cameo_entry("0256").code == "0256"
    assert cameo_entry("0259").code == "025"  # codes the table lacks fall back to their parent
    assert len(table) >= 290 and {code[:2] for code in table} == {f"{n:02d}" for n in range(1, 21)}


def test_every_trigger_code_maps_to_its_type():
    index = default_triggers()
    for patterns in [*index.verbs.values(), *index.nouns.values()]:
        for pattern in patterns:
            assert cameo_entry(pattern.cameo).plover in (pattern.event_type, ""), pattern


def test_broken_trigger_line_is_reported(tmp_path: Path):
    path = tmp_path / "triggers.tsv"
    path.write_text("kind\tpattern\ttype\tmode\tcameo\tconfidence\nverb\tbless\tBLESS\t\t051\t0.5\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"triggers.tsv:2: unknown PLOVER type 'BLESS'"):
        load_triggers(path)
