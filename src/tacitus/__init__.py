"""tacitus: political event data from news text, every event tied to its evidence."""

from .coding.pipeline import Pipeline, extract, extract_articles
from .models import Actor, Article, Event, Location, Span

__version__ = "0.1.0"
__all__ = ["Actor", "Article", "Event", "Location", "Pipeline", "Span", "extract", "extract_articles", "__version__"]
