"""The HTTP layer: JSON API, query parameters, server-rendered dashboard, world map and the write endpoints."""
