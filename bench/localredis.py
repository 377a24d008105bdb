"""A local redis-server for the tests and benchmarks of Redis mode: 127.0.0.1, a free port, its
own folder, append-only persistence with an fsync on every write (so it can be SIGKILLed and
started again with its data), or none at all (`persist=False`, for memory measurements)."""
from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    def __init__(self, folder: Path, port: int | None = None, persist: bool = True):
        self.binary = shutil.which("redis-server")
        self.persist = persist
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout: float = 30.0) -> "RedisServer":
        cmd = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder),
               "--appendonly", "yes" if self.persist else "no", "--appendfsync", "always", "--save", "",
               "--daemonize", "no",
               "--protected-mode", "no", "--loglevel", "warning",
               "--logfile", str(self.folder / "redis.log")]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        import redis

        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server exited {self.proc.returncode}: "
                                   + (self.folder / "redis.log").read_text(errors="replace")[-2000:])
            try:
                client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=1)
                if client.ping():
                    client.close()
                    return self
            except redis.exceptions.RedisError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not answer on port {self.port} within {timeout}s")

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
            self.proc.wait(timeout=30)
        self.proc = None

    def client(self):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port)
