"""One lock per dataset partition, between the crawl's writers and `newsclean compact`.

A writer holds the partition's lock *shared* while it has a part open there (from the temporary
file's creation to the rename and the state record); compaction takes it *exclusive* while it
swaps the partition's folder. So compaction never moves a folder under an open part, and
writers of other partitions (or of the same one, on other machines) are never held up except for
the swap itself.

The lock is `flock(2)` on a file under `_state/locks/`, outside the partition folder (the folder
itself is swapped). Local filesystems and NFS (Linux maps flock to NFS byte-range locks) honour it
across processes and machines; on object storage there is no such lock (see docs/cluster.md).
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_DIR = Path("_state") / "locks"


def lock_path(root: Path, folder: Path) -> Path:
    rel = Path(os.path.relpath(folder, root)).as_posix().replace("/", ",")
    return Path(root) / LOCK_DIR / f"{rel}.lock"


class PartitionLock:
    def __init__(self, path: Path, shared: bool, blocking: bool = True):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        flags = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
        if not blocking:
            flags |= fcntl.LOCK_NB
        try:
            fcntl.flock(self._fd, flags)
        except BlockingIOError:
            os.close(self._fd)
            self._fd = None
            raise

    def release(self) -> None:
        if self._fd is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            finally:
                os.close(self._fd)
                self._fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()


def partition_lock(root: Path, folder: Path, *, shared: bool, blocking: bool = True) -> PartitionLock:
    """The lock of the partition `folder` of the dataset `root`. Non-blocking: BlockingIOError
    when it is held (shared by a writer, or exclusive by a compaction)."""
    return PartitionLock(lock_path(Path(root), Path(folder)), shared, blocking)
