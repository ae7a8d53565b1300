"""Work shared with forked processes: same results, same order, failures carried back."""

from __future__ import annotations

import errno
import os
import threading
import time

import pytest

from generator import forked


def _pids_and_squares(items):
    return [(os.getpid(), n * n) for n in items]


def _fails_in_child(items):
    if os.getpid() != PARENT:
        raise ValueError("第3页模板出错")
    return list(items)


PARENT = os.getpid()


@pytest.mark.parametrize("jobs", [1, 2, 3, 5])
def test_map_split_keeps_the_items_order_and_uses_that_many_processes(jobs):
    items = list(range(23))
    found = forked.map_split(_pids_and_squares, items, jobs)
    assert [square for _, square in found] == [n * n for n in items]
    assert len({pid for pid, _ in found}) == jobs
    assert found[0][0] == os.getpid()  # this process does a share too


def test_map_split_uses_fewer_jobs_when_there_is_little_work():
    found = forked.map_split(_pids_and_squares, list(range(10)), 4, minimum=4)
    assert len({pid for pid, _ in found}) == 2
    assert forked.map_split(_pids_and_squares, [], 4) == []


def _slow_for_this_process(items):
    if os.getpid() == PARENT:
        time.sleep(0.05)
    return _pids_and_squares(items)


def test_a_free_process_takes_the_chunks_a_busy_one_has_not_reached():
    """Shares are not fixed in advance: here this process is slow, so the child does most."""
    items = list(range(200))
    found = forked.map_split(_slow_for_this_process, items, 2)
    assert [square for _, square in found] == [n * n for n in items]
    mine = sum(pid == os.getpid() for pid, _ in found)
    assert 0 < mine < len(items) // 4


def test_a_failure_in_a_child_is_raised_here_with_its_message():
    with pytest.raises(forked.ChildFailed, match="第3页模板出错") as raised:
        forked.map_split(_fails_in_child, list(range(6)), 2)
    assert "ValueError" in raised.value.child_traceback
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind


def test_a_failure_here_still_reaps_the_children():
    def work(items):
        if os.getpid() == PARENT:
            raise KeyError("parent")
        return list(items)

    with pytest.raises(KeyError):
        forked.map_split(work, list(range(6)), 3)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.mark.parametrize("fork", [True, False])
def test_background_returns_the_value_or_raises_the_same_way_either_way(fork):
    with forked.Background(lambda n: {"村": n, "pid": os.getpid()}, 7, fork=fork) as job:
        value = job.result()
    assert value["村"] == 7
    assert (value["pid"] != os.getpid()) == fork
    with (
        forked.Background(lambda: 1 / 0, fork=fork) as job,
        pytest.raises(forked.ChildFailed, match="division by zero"),
    ):
        job.result()


@pytest.mark.parametrize("fork", [True, False])
def test_an_os_error_is_raised_as_itself_with_its_number_and_file(fork, tmp_path):
    """A full disk or a refused folder in the work is the caller's OSError, as it would be in
    this process, so that it is said in Chinese with its path (catalogue.os_reason)."""
    missing = tmp_path / "missing" / "results.json"
    with forked.Background(missing.write_bytes, b"x", fork=fork) as job:
        with pytest.raises(FileNotFoundError) as raised:
            job.result()
    assert raised.value.errno == errno.ENOENT and raised.value.filename == str(missing)
    moved = forked.Background(os.rename, tmp_path / "a", tmp_path / "b", fork=fork)
    with moved, pytest.raises(FileNotFoundError) as raised:
        moved.result()
    assert raised.value.filename2 == str(tmp_path / "b")


def test_leaving_without_asking_stops_the_child_at_once():
    started = time.perf_counter()
    with forked.Background(time.sleep, 30):
        pass  # e.g. validation failed: the history being read is not wanted any more
    assert time.perf_counter() - started < 5
    with forked.Background(lambda: b"x" * 5_000_000):
        time.sleep(0.2)  # the child is blocked writing to a full pipe
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_no_fork_while_other_threads_run():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork()
        found = forked.map_split(_pids_and_squares, list(range(8)), 2)
        assert {pid for pid, _ in found} == {os.getpid()}
    finally:
        stop.set()
        thread.join()
    assert forked.can_fork()
