"""Scoring the coder against gold files: events (PLOVER, real news) and actor resolution."""
