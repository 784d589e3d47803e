"""Continuous ingest (`tacitus watch`): follow feeds, pages and folders and keep a store current."""

from .fetch import Fetcher, FetchError
from .runner import Watcher
from .sources import Source, SourceError, load_sources, parse_interval, sources_from_arguments
from .state import status

__all__ = ["FetchError", "Fetcher", "Source", "SourceError", "Watcher", "load_sources", "parse_interval",
           "sources_from_arguments", "status"]
