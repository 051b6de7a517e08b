"""Cutting a stream of documents into store-sized batches, one batch in memory at a time."""

from __future__ import annotations

from itertools import islice
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last one shorter); nothing for no items.

    The next batch is read only when asked for, so a caller may write each batch back to
    the store it is reading from. (``itertools.batched`` arrives with Python 3.12.)"""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
