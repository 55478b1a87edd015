"""Durable file writes: whole or absent, even across a crash."""
from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path


def fsync_path(path: Path) -> None:
    """Flush a file's data, or a directory's entries (so a rename in it survives a crash)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield a temporary sibling to write; on success it is fsynced and renamed onto `path`,
    on failure removed, so `path` keeps its old content until the new one is complete."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        yield tmp
        fsync_path(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@contextlib.contextmanager
def replacing_all(paths: list[Path]) -> Iterator[list[Path]]:
    """`replacing` for several files at once: their temporaries are fsynced in parallel (fsync
    waits on the disk, not the CPU, so a batch waits about once), then renamed in the order given."""
    from concurrent.futures import ThreadPoolExecutor

    temporaries = []
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporaries.append(path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp"))
    try:
        yield temporaries
        with ThreadPoolExecutor(max_workers=max(len(temporaries), 1)) as pool:
            list(pool.map(fsync_path, temporaries))
        for tmp, path in zip(temporaries, paths):
            os.replace(tmp, path)
    finally:
        for tmp in temporaries:
            tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    with replacing(path) as tmp:
        tmp.write_bytes(data)
