"""Old import path: the pipeline lives in `tacitus.coding.pipeline` now."""

from .coding.pipeline import Pipeline, default_pipeline, extract, extract_articles

__all__ = ["Pipeline", "default_pipeline", "extract", "extract_articles"]
