"""Reading input: files, folders, feeds, HTML, JSONL and CSV into `Article`s, with limits and a language check."""
