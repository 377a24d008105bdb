"""cleaners.pool.WorkerPool with real worker processes: results and errors come back, a task past
the time limit has its worker killed and replaced, a dead worker's task is tried once more, and the
workers leave with a SIGKILLed parent."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from cleaners.pool import TaskTimeout, WorkerDied, WorkerPool

PROJECT = Path(__file__).resolve().parents[1]


def square(x):
    return x * x


def pid_and_value(x):
    return os.getpid(), x


def fail(message):
    raise ValueError(message)


def sleep_then(seconds, value):
    time.sleep(seconds)
    return value


def die():
    os._exit(7)


def die_once(marker):
    """Dies the first time (the marker file does not exist yet), returns its pid the second."""
    path = Path(marker)
    if not path.exists():
        path.write_text("died once")
        os._exit(9)
    return os.getpid()


def unpicklable():
    return lambda: None


def test_results_in_order_of_submission():
    pool = WorkerPool(2)
    try:
        futures = [pool.submit(square, i) for i in range(40)]
        assert [f.result(timeout=120) for f in futures] == [i * i for i in range(40)]
    finally:
        pool.shutdown()


def test_a_task_error_comes_back_and_the_worker_goes_on():
    pool = WorkerPool(1)
    try:
        with pytest.raises(ValueError, match="bad page"):
            pool.submit(fail, "bad page").result(timeout=120)
        with pytest.raises(Exception, match="pickle"):
            pool.submit(unpicklable).result(timeout=120)
        assert pool.submit(square, 3).result(timeout=120) == 9
        assert pool.restarts == 0
    finally:
        pool.shutdown()


def test_a_task_past_the_time_limit_is_killed_and_its_worker_replaced():
    pool = WorkerPool(1, time_limit=1.0)
    try:
        first_pid, _ = pool.submit(pid_and_value, 1).result(timeout=120)
        slow = pool.submit(sleep_then, 600, "never")
        after = pool.submit(pid_and_value, 2)
        with pytest.raises(TaskTimeout):
            slow.result(timeout=120)
        second_pid, value = after.result(timeout=120)
        assert value == 2 and second_pid != first_pid
        assert not psutil.pid_exists(first_pid) or psutil.Process(first_pid).status() == psutil.STATUS_ZOMBIE
        assert pool.timeouts == 1
    finally:
        pool.shutdown()


def test_a_dead_worker_s_task_is_tried_once_more_then_fails(tmp_path):
    pool = WorkerPool(1)
    try:
        pid = pool.submit(die_once, str(tmp_path / "marker")).result(timeout=120)
        assert pid > 0 and pool.restarts == 1
        with pytest.raises(WorkerDied, match="died 2 times"):
            pool.submit(die).result(timeout=120)
        assert pool.submit(square, 5).result(timeout=120) == 25
    finally:
        pool.shutdown()


def test_shutdown_without_waiting_fails_running_tasks():
    pool = WorkerPool(1)
    running = pool.submit(sleep_then, 600, "never")
    queued = pool.submit(square, 2)
    deadline = time.monotonic() + 120
    while not running.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    pool.shutdown(wait=False)
    with pytest.raises(WorkerDied):
        running.result(timeout=60)
    assert queued.cancelled()


PARENT = """
import sys, time
from cleaners.pool import WorkerPool
from tests.test_pool import square
pool = WorkerPool(2)
assert pool.submit(square, 2).result(timeout=120) == 4
print(" ".join(str(p) for p in pool.worker_pids()), flush=True)
time.sleep(600)
"""


def test_workers_leave_with_a_sigkilled_parent():
    parent = subprocess.Popen([sys.executable, "-c", PARENT], cwd=PROJECT, stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in parent.stdout.readline().split()]
        assert len(pids) == 2 and all(psutil.pid_exists(p) for p in pids)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    workers = [psutil.Process(p) for p in pids if psutil.pid_exists(p)]
    gone, alive = psutil.wait_procs(workers, timeout=60)
    assert not alive, f"workers still running after their parent was killed: {alive}"
