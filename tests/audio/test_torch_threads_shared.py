""":func:`~musicsage.audio.threads.torch_threads` from two threads at once (a graph
inference on one GUI worker while a training run or an embed job holds its own count).

Each block saved torch's process-wide count and put its own saving back: interleaved (A saves
3 and sets 1; B, entering meanwhile, saves A's 1; A puts 3 back; B puts 1 back), the process
was left on one thread for good — every later run, and every thread started after, ran
single-threaded. The count now comes back to what it was before the first block entered when
the last one leaves, whatever the order."""

from __future__ import annotations

import threading

import pytest

torch = pytest.importorskip("torch")

from musicsage.audio.threads import torch_threads  # noqa: E402

ORIGINAL = 3
"""The count before the blocks: not 1 and not the machine's, so a lost one shows."""


@pytest.fixture
def original_count():
    before = torch.get_num_threads()
    torch.set_num_threads(ORIGINAL)
    yield ORIGINAL
    torch.set_num_threads(before)


def _count_in_a_new_thread() -> int:
    """The count a thread started now gets (torch's process-wide one)."""
    seen = []
    thread = threading.Thread(target=lambda: seen.append(torch.get_num_threads()))
    thread.start()
    thread.join()
    return seen[0]


def _interleaved(first_n: int, second_n: int) -> list[int]:
    """A enters, then B; A leaves, then B: the order that lost the count. Returns the counts
    each saw inside its block once both were in."""
    both_in = threading.Barrier(2, timeout=30)
    a_in, a_left = threading.Event(), threading.Event()
    seen: list[int] = []

    def first() -> None:
        with torch_threads(first_n):
            a_in.set()
            both_in.wait()
        a_left.set()

    def second() -> None:
        assert a_in.wait(30)
        with torch_threads(second_n):
            both_in.wait()
            seen.append(torch.get_num_threads())
            assert a_left.wait(30)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    return seen


@pytest.mark.parametrize("first_n, second_n", [(1, 1), (1, 2), (2, 1)])
def test_two_threads_leave_the_count_as_it_was(original_count, first_n, second_n):
    seen = _interleaved(first_n, second_n)
    assert seen == [second_n]  # while both ran, the last one set won
    assert _count_in_a_new_thread() == original_count
    assert torch.get_num_threads() == original_count


def test_a_nested_block_gives_the_outer_one_its_count_back(original_count):
    with torch_threads(2):
        with torch_threads(1):
            assert torch.get_num_threads() == 1
        assert torch.get_num_threads() == 2
    assert torch.get_num_threads() == original_count
    assert _count_in_a_new_thread() == original_count


def test_a_failing_block_still_puts_the_count_back(original_count):
    with pytest.raises(RuntimeError):
        with torch_threads(1):
            raise RuntimeError("the model failed")
    assert torch.get_num_threads() == original_count
