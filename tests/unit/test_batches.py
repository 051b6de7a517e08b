"""yuqing.commands.batches.batched: the batches reanalyze and `index copy` write."""

import pytest

from yuqing.commands.batches import batched


def test_cuts_into_full_batches_and_a_shorter_last_one():
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batched(range(6), 3)) == [[0, 1, 2], [3, 4, 5]]


def test_no_items_make_no_batches():
    assert list(batched([], 5)) == []


def test_reads_the_next_batch_only_when_asked():
    read: list[int] = []

    def source():
        for n in range(10):
            read.append(n)
            yield n

    batches = batched(source(), 4)
    assert next(batches) == [0, 1, 2, 3]
    assert read == [0, 1, 2, 3]


@pytest.mark.parametrize("size", [0, -1])
def test_refuses_a_size_below_one(size):
    with pytest.raises(ValueError, match="at least 1"):
        list(batched([1, 2], size))
