"""Split the synthetic sentences (training/synthetic/) into a read half and a scored-only half for `tacitus eval`.

The 5,055 synthetic sentences were written and labelled by hand under GUIDELINES.md for the learned layer and
never used to tune the rules, so they are a large proxy for PLOVER-style sentences nobody here has read. Even
lines go to `dev*.jsonl` (errors may be read), odd lines to `held*.jsonl` (scored only). Gold events the
scorer cannot match by design are dropped: negated ones (the coder's negated events are never predictions)
and hypothetical ones (GUIDELINES: not coded).

Run: python scripts/synthetic_proxy.py /tmp/syn && tacitus eval /tmp/syn/
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "training" / "synthetic"


def split(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for number, path in enumerate(sorted(SOURCE.glob("synthetic_*.jsonl")), start=1):
        with (open(path, encoding="utf-8") as lines, open(out / f"dev{number}.jsonl", "w", encoding="utf-8") as dev,
              open(out / f"held{number}.jsonl", "w", encoding="utf-8") as held):
            for index, line in enumerate(lines):
                record = json.loads(line)
                record["events"] = [e for e in record["events"]
                                    if e.get("polarity", "affirmed") == "affirmed" and e.get("modality") != "hypothetical"]
                (dev if index % 2 == 0 else held).write(json.dumps(record) + "\n")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1].startswith("-"):
        sys.exit(__doc__)  # "--help" is no output folder
    split(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("synthetic_proxy"))
