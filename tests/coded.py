"""What the pipeline codes from a text, as the tests compare it: (source country, type, target country) triples."""

from __future__ import annotations

import datetime as dt

DAY = dt.date(2024, 1, 10)  # the date invented examples are read on


def triples(pipeline, text: str, modality: bool = False, min_confidence: float = 0.0, day: dt.date = DAY) -> set[tuple]:
    """The affirmed events of `text` (at `min_confidence` or above), with their modality when `modality`."""
    return {(e.source.country if e.source else None, e.event_type, e.target.country if e.target else None)
            + ((e.modality,) if modality else ())
            for e in pipeline.extract(text, day) if e.polarity == "affirmed" and e.confidence >= min_confidence}
