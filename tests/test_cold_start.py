"""Cold start (issue 18): `tacitus extract` loads only what coding needs, and loads it fast and unchanged."""

from __future__ import annotations

import gc
import hashlib
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tacitus.cli.group import COMMAND_MODULES, MODULES, load_commands, main
from tacitus.knowledge.cache import cached, collector_paused, fingerprint
from tacitus.knowledge.lexicon import SAFE_LOADER, data_file
from tacitus.knowledge.token_index import TokenSequenceIndex

STORE_MODULES = ("sqlalchemy", "alembic", "pandas", "fastapi", "tacitus.store", "tacitus.web", "tacitus.watch")


def test_every_command_is_listed_with_the_module_that_registers_it() -> None:
    load_commands(*MODULES)
    assert set(main.commands) == set(COMMAND_MODULES)
    for name, command in main.commands.items():
        assert command.callback.__module__ == f"tacitus.cli.{COMMAND_MODULES[name]}", name


def test_extract_imports_no_store_web_or_watch_module(tmp_path: Path) -> None:
    text = tmp_path / "one.txt"
    text.write_text("Azerbaijan launched an offensive against Nagorno-Karabakh on Tuesday.\n", encoding="utf-8")
    code = ("import sys\nfrom click.testing import CliRunner\nfrom tacitus.cli import main\n"
            f"result = CliRunner().invoke(main, ['extract', {str(text)!r}, '--date', '2023-09-19'])\n"
            "assert result.exit_code == 0 and 'ASSAULT' in result.output, result.output\n"
            f"print(sorted(m for m in sys.modules if m.startswith({STORE_MODULES!r})))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_help_still_lists_every_command() -> None:
    from click.testing import CliRunner

    listed = CliRunner().invoke(main, ["--help"]).output
    assert all(f"  {name} " in listed for name in COMMAND_MODULES)


@pytest.mark.parametrize("enabled", [True, False])
def test_loading_or_building_leaves_the_collector_as_it_was(tmp_path: Path, monkeypatch, enabled: bool) -> None:
    monkeypatch.setenv("TACITUS_CACHE_DIR", str(tmp_path))
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        assert cached("thing", "k", lambda: {"built": gc.isenabled()}) == {"built": False}  # built, then stored
        assert cached("thing", "k", lambda: {}) == {"built": False}  # loaded
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError), collector_paused():
            raise ValueError
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_fingerprint_is_each_part_ended_by_a_nul() -> None:
    """The cache keys stay what they were: one hash over the joined parts is the same as one per part."""
    expected = hashlib.sha256(b"tacitus-cache-1" + "a\0é\0".encode() + b"\xff\0").hexdigest()[:32]
    assert fingerprint(["a", "é", b"\xff"]) == expected
    assert fingerprint([]) == hashlib.sha256(b"tacitus-cache-1").hexdigest()[:32]


@pytest.mark.parametrize("name", ["frames.yaml", "lexicon.yaml", "verdicts.yaml"])
def test_the_fast_yaml_loader_reads_the_shipped_files_alike(name: str) -> None:
    text = data_file(name).read_text(encoding="utf-8")
    assert yaml.load(text, Loader=SAFE_LOADER) == yaml.safe_load(text)


def test_a_pickled_index_finds_the_same_names_and_still_grows() -> None:
    index: TokenSequenceIndex[object] = TokenSequenceIndex()
    for tokens, value in [(("New", "York"), "NY"), (("New", "York", "City"), "NYC"), (("York",), "Y"),
                          (("A\x1fB",), "a separator in a word"), (("Z",), 5)]:
        index.add(tokens, value)
    loaded = pickle.loads(pickle.dumps(index))
    assert isinstance(loaded.by_first["New"], str) and not isinstance(loaded.by_first["Z"], str)  # packed when it can be
    words = "in New York City and York A\x1fB Z".split(" ")
    assert sorted(loaded.find(words)) == sorted(index.find(words))
    loaded.add(("New", "Delhi"), "ND")
    assert [value for _, _, value in loaded.find(["New", "Delhi"])] == ["ND"]
