"""What the coder knows: actors, places, dates, the trigger and frame lexicon, importers, and the data files."""
