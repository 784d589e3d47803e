"""Shared fixtures: the pipeline is loaded once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tacitus.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "samples" / "seed-nagorno-karabakh.txt"
GSR_DEV = SHARED / "eval" / "plover_gsr_dev.jsonl"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline.load()


@pytest.fixture(scope="session")
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"shared sample not found at {SEED}; clone the project beside ../shared")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def gsr_dev() -> Path:
    if not GSR_DEV.exists():
        pytest.skip(f"gold file not found at {GSR_DEV}; clone the project beside ../shared")
    return GSR_DEV
