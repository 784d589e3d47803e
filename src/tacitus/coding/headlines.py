"""Headlines and title-case lines ("Iran Downs US Drone") are parsed in sentence case.

The English model reads a title-case line as one long proper name. Words that are not names the
knowledge base knows are lower-cased (same length, so offsets are unchanged); the evidence is
taken from the text as given.
"""

from __future__ import annotations

import re
from collections.abc import Callable

WORD = re.compile(r"[A-Za-z][\w'’]*")
SENTENCE_END = (".", "?", "!", ".\"", ".”", ":")


def title_case(line: str) -> bool:
    """A line most of whose longer words are capitalised and that does not end like a sentence."""
    words = [w for w in WORD.findall(line) if len(w) > 3]
    if len(words) < 3 or line.rstrip().endswith(SENTENCE_END):
        return False
    return sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def sentence_case(text: str, is_name: Callable[[str], bool]) -> str:
    """The text with title-case lines in sentence case, names (and acronyms) kept as written."""
    if not any(title_case(line) for line in text.splitlines()):
        return text
    out = list(text)
    for line in re.finditer(r"[^\n]+", text):
        if not title_case(line.group()):
            continue
        words = [(m.start() + line.start(), m.group()) for m in WORD.finditer(line.group())]
        keep: set[int] = set()
        for i in range(len(words)):
            for j in range(i + 1, min(i + 4, len(words)) + 1):
                start, end = words[i][0], words[j - 1][0] + len(words[j - 1][1])
                if is_name(text[start:end]):
                    keep.update(range(i, j))
        for index, (start, word) in enumerate(words):
            if index in keep or word.isupper() or not word[0].isupper():
                continue
            out[start:start + len(word)] = word.lower()
    return "".join(out)
