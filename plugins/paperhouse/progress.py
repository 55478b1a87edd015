"""Progress bars for long work, on stderr, only when asked (the CLI) and only on a terminal."""
from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def progress_bar(label: str, total: int | None, enabled: bool = True) -> Iterator[Callable[[str], None]]:
    if not enabled or not sys.stderr.isatty():
        yield lambda _item="": None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.fields[item]}"), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total, item="")
        yield lambda item="": bar.update(task, advance=1, item=item)
