"""Work shared with forked processes, so a build uses every core of the machine it runs on.

fork() gives the child everything already in memory — imported modules, the results, Pelican's
templates — without copying or pickling any of it; only the child's return value comes back,
pickled, through a pipe. Where fork() does not exist (Windows) or other threads run (a child
could inherit a lock one of them holds), the same work runs in this process instead, and its
outcome is the same: output never depends on how the work was shared.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import Any


class ChildFailed(Exception):
    """The work raised in a child process; the message is the child's exception's."""

    def __init__(self, message: str, child_traceback: str = ""):
        super().__init__(message)
        self.child_traceback = child_traceback


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def can_fork() -> bool:
    """fork() exists, and no other thread could be holding a lock the child would inherit."""
    return hasattr(os, "fork") and threading.active_count() == 1


class Background:
    """`fn(*args)` running in a forked child while this process goes on; `result()` waits.

    Use it as a context manager: leaving the block without asking for the result (because
    this process failed) kills the child rather than waiting for work nobody will use.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, fork: bool = True):
        self._pid = None
        self._read = None
        self._value: tuple = ("unset",)
        if not (fork and can_fork()):
            self._value = _outcome(fn, args)
            return
        _flush()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run, send the pickled outcome, never return into the caller
            os.close(read)
            _child(fn, args, write)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> Any:
        if self._read is not None:
            with os.fdopen(self._read, "rb") as pipe:
                self._read = None
                data = pipe.read()
            self._reap()
            self._value = pickle.loads(data) if data else ("error", "子进程意外退出")
        status, *rest = self._value
        if status == "oserror":  # a full disk, a folder refused: said as one in this process is
            raise OSError(*rest)
        if status == "error":
            raise ChildFailed(*rest)
        return rest[0]

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc) -> None:
        if self._read is not None:  # never asked (this process failed): stop the child now
            os.close(self._read)
            self._read = None
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
        self._reap()

    def _reap(self) -> None:
        if self._pid is not None:
            os.waitpid(self._pid, 0)
            self._pid = None


def map_split(
    work: Callable[[Sequence], list], items: Sequence, jobs: int, minimum: int = 1
) -> list:
    """`work(items)` shared by `jobs` processes, this one and forked children, in chunks.

    `work` returns one result per item; they come back in the items' order. The items are cut
    into CHUNKS_PER_JOB chunks per job: each process starts on one of its own, then takes the
    next unclaimed one whenever it is free (their numbers wait in a pipe), so no core sits idle
    at the end while another finishes a share that happened to be slow. With fewer than
    `minimum` items per job, fewer jobs are used (a fork costs a few milliseconds).
    """
    jobs = max(1, min(jobs, len(items) // max(minimum, 1)))
    if jobs == 1 or not can_fork():
        return list(work(items))
    size = -(-len(items) // min(jobs * CHUNKS_PER_JOB, MAX_CHUNKS))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    read, write = os.pipe()
    try:
        # Four bytes per number, all written before any process reads: a pipe hands each
        # read of four bytes to one reader, whole. At most MAX_CHUNKS: never a full pipe.
        os.write(write, b"".join(n.to_bytes(4, "little") for n in range(jobs, len(chunks))))
        os.close(write)
        children = [Background(_take_chunks, work, chunks, n, read) for n in range(1, jobs)]
        try:
            done = _take_chunks(work, chunks, 0, read)
            for child in children:
                done |= child.result()
        finally:
            for child in children:
                child.__exit__()
    finally:
        os.close(read)
    return [result for n in range(len(chunks)) for result in done[n]]


CHUNKS_PER_JOB = 40  # a county's pages: chunks of 0.1-0.3 s, against 5-6 s of work per job
MAX_CHUNKS = 4096  # 16 KB of numbers: a pipe holds 64 KB before a write would wait


def _take_chunks(work: Callable[[Sequence], list], chunks: list, first: int, read: int) -> dict:
    """Chunk `first` (when there is one), then each chunk whose number this process reads."""
    done = {first: list(work(chunks[first]))} if first < len(chunks) else {}
    while number := os.read(read, 4):
        n = int.from_bytes(number, "little")
        done[n] = list(work(chunks[n]))
    return done


def _outcome(fn: Callable[..., Any], args: tuple) -> tuple:
    try:
        return ("ok", fn(*args))
    except OSError as error:  # the machine's refusal: raised again as itself (result())
        return ("oserror", error.errno, error.strerror, error.filename, None, error.filename2)
    except Exception as error:  # carried to the parent, which raises ChildFailed
        return ("error", str(error) or type(error).__name__, traceback.format_exc())


def _child(fn: Callable[..., Any], args: tuple, write: int) -> None:
    code = 1
    try:
        outcome = _outcome(fn, args)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # an unpicklable result is a programming error: say which
            data = pickle.dumps(("error", f"结果无法传回主进程：{error}"))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(data)
        code = 0
    except BaseException:  # a closed pipe or an interrupt: the parent has given up on us
        pass
    finally:
        _flush()
        os._exit(code)


def _flush() -> None:
    """Buffered output would otherwise be written twice, once by each process."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
