"""From text to events: the spaCy pipeline, the pre-filter, and the coder's stages (triggers, arguments, frames)."""
