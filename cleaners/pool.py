"""Worker processes that clean pages with a time limit per page.

Both `newsclean clean -j N` and the crawl's cleaning workers hand pages to this pool. Python
cannot stop a function that runs too long (a regular expression that backtracks, a parser that
loops), and `concurrent.futures.ProcessPoolExecutor` cannot kill one of its workers without
breaking the whole pool, so this pool keeps its own processes:

- each worker runs one task at a time, so a task's time is its own and a death is its own
  (no bystanders);
- a task that runs past `time_limit` has its worker killed (SIGKILL) and replaced, and its future
  raises `TaskTimeout`; the clock starts when a ready worker (initializer done) receives the task;
- a task whose worker dies (a crash in a C parser, the out-of-memory killer) is given once more to a
  new worker (`retries`), then its future raises `WorkerDied`;
- workers leave when their parent is gone, even a SIGKILLed one.

Tasks are module-level functions and picklable arguments (workers are started with spawn: the
parent may have threads, which fork does not copy safely).
"""
from __future__ import annotations

import collections
import logging
import multiprocessing
import os
import signal
import threading
import time
import traceback
from concurrent.futures import Future
from multiprocessing.connection import wait

log = logging.getLogger(__name__)

START_FAILURES_LIMIT = 3
"""Workers that die before they are ready, in a row, after which the pool gives up (an
initializer that cannot run would otherwise respawn workers forever)."""


class TaskTimeout(Exception):
    """The task ran past the pool's time limit; its worker was killed."""

    def __init__(self, seconds: float):
        super().__init__(f"cleaning took longer than the time limit of {seconds:g} s; the worker was killed")
        self.seconds = seconds


class WorkerDied(Exception):
    """The task's worker process died (each of its tries)."""


class _RemoteError(Exception):
    """An exception of a task that could not be sent back as itself (not picklable)."""


def _exit_with(parent_pid: int) -> None:
    while True:
        time.sleep(1.0)
        if os.getppid() != parent_pid:
            os._exit(0)


def _worker_main(conn, parent_pid: int, initializer, initargs) -> None:
    """A worker: run the initializer, say ready, then run tasks until told to stop or orphaned."""
    threading.Thread(target=_exit_with, args=(parent_pid,), name="exit-with-parent", daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the parent, which shuts us down
    if initializer is not None:
        initializer(*initargs)
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        fn, args = message
        try:
            reply = ("ok", fn(*args))
        except BaseException as exc:  # noqa: BLE001 (sent back to the caller, who decides)
            reply = ("error", exc)
        try:
            conn.send(reply)
        except Exception:  # the result or the exception does not pickle
            conn.send(("error", _RemoteError("".join(traceback.format_exception(reply[1]))
                                             if reply[0] == "error" else "the task's result could not be pickled")))


class _Task:
    __slots__ = ("fn", "args", "future", "tries")

    def __init__(self, fn, args, future):
        self.fn, self.args, self.future, self.tries = fn, args, future, 0

    def fail(self, exc: BaseException) -> None:
        """Settle the future with an error, whether it was queued (and not cancelled) or running."""
        if self.future.done():
            return
        if self.future.running() or self.future.set_running_or_notify_cancel():
            self.future.set_exception(exc)


class _Worker:
    __slots__ = ("process", "conn", "ready", "task", "started")

    def __init__(self, process, conn):
        self.process, self.conn = process, conn
        self.ready = False
        self.task: _Task | None = None
        self.started = 0.0


class WorkerPool:
    """N worker processes, one task each at a time, with an optional time limit per task."""

    def __init__(self, workers: int, *, initializer=None, initargs=(), time_limit: float | None = None,
                 retries: int = 1, context: str = "spawn"):
        if workers < 1:
            raise ValueError(f"a worker pool needs at least one worker, not {workers}")
        self.workers = workers
        self.time_limit = time_limit if time_limit and time_limit > 0 else None
        self.retries = retries
        self.restarts = 0
        self.timeouts = 0
        self._initializer, self._initargs = initializer, initargs
        self._mp = multiprocessing.get_context(context)
        self._lock = threading.Lock()
        self._pending: collections.deque[_Task] = collections.deque()
        self._closing = False
        self._abort: str | None = None
        self._broken: str | None = None
        self._start_failures = 0
        self._wake_r, self._wake_w = os.pipe()
        os.set_blocking(self._wake_w, False)
        self._pool: list[_Worker] = [self._spawn() for _ in range(workers)]
        self._thread = threading.Thread(target=self._run, name="worker-pool", daemon=True)
        self._thread.start()

    # -- the caller's side ------------------------------------------------------------------
    def submit(self, fn, *args) -> Future:
        future: Future = Future()
        with self._lock:
            if self._broken:
                future.set_exception(WorkerDied(self._broken))
                return future
            if self._closing:
                raise RuntimeError("the worker pool is shut down")
            self._pending.append(_Task(fn, args, future))
        self._wake()
        return future

    def worker_pids(self) -> list[int]:
        with self._lock:
            return [w.process.pid for w in self._pool]

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        """Stop the workers: after the queued tasks when `wait`, at once otherwise (tasks that
        are running or queued then fail with WorkerDied, or are cancelled)."""
        with self._lock:
            self._closing = True
            if cancel_futures or not wait:
                while self._pending:
                    self._pending.popleft().future.cancel()
            if not wait:
                self._abort = "the worker pool was shut down"
        self._wake()
        self._thread.join()
        with self._lock:
            if self._wake_w is not None:
                os.close(self._wake_r)
                os.close(self._wake_w)
                self._wake_r = self._wake_w = None

    # -- the dispatcher thread ----------------------------------------------------------------
    def _wake(self) -> None:
        if self._wake_w is not None:
            try:
                os.write(self._wake_w, b"x")
            except BlockingIOError:
                pass  # the pipe is full: the dispatcher has wake-ups enough to read

    def _spawn(self) -> _Worker:
        parent_conn, child_conn = self._mp.Pipe()
        process = self._mp.Process(target=_worker_main, name="newsclean-worker", daemon=True,
                                   args=(child_conn, os.getpid(), self._initializer, self._initargs))
        process.start()
        child_conn.close()
        return _Worker(process, parent_conn)

    def _run(self) -> None:
        try:
            self._loop()
        except Exception:  # never leave callers waiting on futures that nobody will settle
            log.exception("the worker pool's dispatcher failed")
            self._abort = "the worker pool's dispatcher failed"
        finally:
            if self._abort:
                self._kill_all(self._abort)
            for worker in self._pool:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
            for worker in self._pool:
                worker.process.join(5)
                if worker.process.is_alive():
                    worker.process.kill()
                    worker.process.join()
                worker.conn.close()

    def _loop(self) -> None:
        while True:
            with self._lock:
                if self._abort:
                    return
                busy = any(w.task for w in self._pool)
                if self._closing and not self._pending and not busy:
                    return
                for worker in self._pool:
                    if worker.ready and worker.task is None and self._pending:
                        self._dispatch(worker, self._pending.popleft())
            objects = [self._wake_r] + [w.conn for w in self._pool] + [w.process.sentinel for w in self._pool]
            ready = set(wait(objects, timeout=self._next_deadline()))
            if self._wake_r in ready:
                os.read(self._wake_r, 4096)
            for worker in list(self._pool):
                if worker.conn in ready or worker.process.sentinel in ready:
                    self._serve(worker)
            self._enforce_time_limit()

    def _dispatch(self, worker: _Worker, task: _Task) -> None:
        if not (task.future.running() or task.future.set_running_or_notify_cancel()):
            return  # cancelled while queued
        try:
            worker.conn.send((task.fn, task.args))
        except Exception as exc:  # the arguments do not pickle: the caller's error, not the worker's
            if isinstance(exc, (BrokenPipeError, EOFError, ConnectionError)):
                self._pending.appendleft(task)  # the worker is dying: its sentinel will tell
                return
            task.future.set_exception(exc)
            return
        worker.task, worker.started = task, time.monotonic()

    def _serve(self, worker: _Worker) -> None:
        """Read what a worker sent, or notice that it died."""
        try:
            while worker.conn.poll():
                kind, value = worker.conn.recv()
                if kind == "ready":
                    worker.ready = True
                    self._start_failures = 0
                    continue
                task, worker.task = worker.task, None
                if task is not None:
                    if kind == "ok":
                        task.future.set_result(value)
                    else:
                        task.future.set_exception(value)
        except (EOFError, OSError):
            pass
        if not worker.process.is_alive():
            self._replace(worker, died=True)

    def _enforce_time_limit(self) -> None:
        if self.time_limit is None:
            return
        now = time.monotonic()
        for worker in list(self._pool):
            if worker.task is not None and now - worker.started > self.time_limit:
                task, worker.task = worker.task, None
                worker.process.kill()
                worker.process.join()
                self.timeouts += 1
                task.future.set_exception(TaskTimeout(self.time_limit))
                self._replace(worker, died=False)

    def _next_deadline(self) -> float | None:
        if self.time_limit is None:
            return None
        starts = [w.started for w in self._pool if w.task is not None]
        if not starts:
            return None
        return max(0.0, min(starts) + self.time_limit - time.monotonic()) + 0.01

    def _replace(self, worker: _Worker, *, died: bool) -> None:
        worker.process.join()
        worker.conn.close()
        self._pool.remove(worker)
        task, worker.task = worker.task, None
        if died:
            if not worker.ready:
                self._start_failures += 1
            log.warning("a cleaning worker died (exit code %s); starting a new one", worker.process.exitcode)
            if task is not None:
                task.tries += 1
                if task.tries > self.retries:
                    task.future.set_exception(WorkerDied(
                        f"the worker process died {task.tries} times while cleaning this page "
                        f"(exit code {worker.process.exitcode}: a crash in a parser or out of memory)"))
                else:
                    with self._lock:
                        self._pending.appendleft(task)
        if self._start_failures >= START_FAILURES_LIMIT:
            self._broken = f"worker processes die before they are ready ({self._start_failures} in a row)"
            log.error("%s; the pool gives up", self._broken)
            with self._lock:
                broken = list(self._pending)
                self._pending.clear()
            for task in broken:
                task.fail(WorkerDied(self._broken))
            if not self._pool:
                self._closing = True
            return
        self.restarts += 1
        if not self._closing or self._pending or any(w.task for w in self._pool):
            self._pool.append(self._spawn())

    def _kill_all(self, reason: str) -> None:
        """Kill every worker and fail every task not done (runs in the dispatcher thread)."""
        with self._lock:
            pending = list(self._pending)
            self._pending.clear()
        for worker in self._pool:
            if worker.process.is_alive():
                worker.process.kill()
            task, worker.task = worker.task, None
            if task is not None:
                pending.append(task)
        for task in pending:
            task.fail(WorkerDied(reason))
