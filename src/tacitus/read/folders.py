"""The files of a folder, walked with nothing skipped in silence.

Linked folders are followed once; a link back into its own ancestors (a loop),
a broken link, an unreadable subfolder and a compressed or archive file are
each reported as a Problem naming the path and what to do. Files of other
types (images, PDFs, notes) are left alone, as before.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

from .checks import Problem

ARCHIVE_SUFFIXES = frozenset({".zip", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".7z", ".rar", ".tar", ".lz4", ".lzma", ".z"})


def files_of(folder: Path, suffixes: frozenset[str]) -> Iterator[Path | Problem]:
    """Problems met while walking `folder`, then its files with one of `suffixes`, in sorted path order."""
    found: list[Path] = []
    problems: list[Problem] = []
    visited: dict[tuple[int, int], Path] = {}

    def walk(directory: Path, ancestors: tuple[tuple[int, int], ...]) -> None:
        try:
            info = directory.stat()
        except OSError as exc:
            problems.append(Problem(str(directory), f"cannot open folder ({exc.strerror or exc}); skipped"))
            return
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            problems.append(Problem(str(directory), "symbolic link loop (links to a folder that holds it); skipped, "
                                                    "remove the link or give the folder it points to"))
            return
        if key in visited:
            problems.append(Problem(str(directory), f"same folder as {visited[key]} (a link); read once, skipped here"))
            return
        visited[key] = directory
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as exc:
            problems.append(Problem(str(directory), f"cannot read folder ({exc.strerror or exc}); its files are "
                                                    "skipped, check its permissions"))
            return
        for entry in entries:
            path = Path(entry.path)
            try:
                is_dir, is_file = entry.is_dir(), entry.is_file()
            except OSError as exc:
                reason = _link_problem(path) if entry.is_symlink() else f"cannot read ({exc.strerror or exc}); skipped"
                problems.append(Problem(str(path), reason))
                continue
            if is_dir:
                walk(path, (*ancestors, key))
            elif is_file:
                suffix = path.suffix.lower()
                if suffix in suffixes:
                    found.append(path)
                elif suffix in ARCHIVE_SUFFIXES:
                    problems.append(Problem(str(path), "compressed or archive file, not read; unpack it and give "
                                                       "the files (or their folder)"))
            elif entry.is_symlink():
                problems.append(Problem(str(path), _link_problem(path)))

    walk(folder, ())
    yield from problems
    yield from sorted(found)


def _link_problem(path: Path) -> str:
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop; skipped, remove the link"
        return f"broken symbolic link ({exc.strerror or exc}); skipped, fix or remove the link"
    return "symbolic link to something that is not a file or folder; skipped"
