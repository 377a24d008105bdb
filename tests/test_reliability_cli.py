"""`newsclean clean` on hostile inputs, run as a user runs it (a real subprocess, real files,
FIFOs, symlinks, WARCs, signals): no input ends the run or costs the rows of the others."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from io import BytesIO

import psutil
import pyarrow.parquet as pq
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from test_reliability_clean import SENTENCES, article_page, poison_json_ld


def newsclean(*args, timeout=300, env=None):
    return subprocess.run([sys.executable, "-m", "cleaners.cli", *args], capture_output=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def good_pages(folder, count):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (folder / f"page{i:03d}.html").write_text(article_page(title=f"Ferry line {i} opens"), encoding="utf-8")


def read_rows(out):
    if out.suffix == ".jsonl":
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    return pq.read_table(out).to_pylist()


def no_traceback(result):
    assert b"Traceback" not in result.stderr, result.stderr.decode(errors="replace")


@pytest.mark.parametrize("jobs,suffix", [("1", ".parquet"), ("2", ".parquet"), ("1", ".jsonl"), ("2", ".jsonl")])
def test_a_lone_surrogate_page_costs_no_row(tmp_path, jobs, suffix):
    good_pages(tmp_path / "in", 12)
    (tmp_path / "in" / "poison.html").write_text(article_page(head=poison_json_ld()), encoding="utf-8")
    out = tmp_path / f"out{suffix}"
    result = newsclean("clean", str(tmp_path / "in"), "-o", str(out), "-j", jobs)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    no_traceback(result)
    rows = read_rows(out)
    assert len(rows) == 13 and all(r["status"] == "ok" for r in rows)
    poison = next(r for r in rows if r["source_path"].endswith("poison.html"))
    assert poison["title"] == "Ferry \ufffd line" and poison["authors"] == ["Ana \ufffd Ruiz"]


def test_undecodable_file_name_fifo_symlink_loop_and_broken_link(tmp_path):
    folder = tmp_path / "in"
    good_pages(folder, 3)
    odd = os.path.join(os.fsencode(folder), b"caf\xe9-\xff.html")
    with open(odd, "wb") as handle:
        handle.write(article_page(title="Odd name").encode())
    fifo = folder / "pipe.html"
    os.mkfifo(fifo)
    (folder / "loop.html").symlink_to(folder / "loop.html")
    (folder / "gone.html").symlink_to(folder / "nowhere.html")
    out = tmp_path / "out.parquet"
    # the FIFO named as an argument too (it must not be opened: nobody writes to it)
    result = newsclean("clean", str(folder), str(fifo), str(folder / "loop.html"), "-o", str(out), timeout=120)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    no_traceback(result)
    rows = {os.path.basename(r["source_path"]): r for r in read_rows(out)}
    assert rows["caf\ufffd-\ufffd.html"]["status"] == "ok" and rows["caf\ufffd-\ufffd.html"]["title"] == "Odd name"
    assert rows["pipe.html"]["status"] == "read_error" and "FIFO" in rows["pipe.html"]["error"]
    assert rows["loop.html"]["status"] == "read_error" and "symbolic links" in rows["loop.html"]["error"]
    assert rows["gone.html"]["status"] == "read_error"
    assert sum(r["status"] == "ok" for r in rows.values()) == 4 and len(rows) == 7


def warc_bytes(records, gzip=True):
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for uri, status_line, body in records:
        headers = StatusAndHeaders(status_line, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=headers))
    return buffer.getvalue()


def test_warc_with_out_of_range_and_garbage_http_status(tmp_path):
    page = article_page().encode()
    data = warc_bytes([("https://example.org/a", "99999 Odd", page), ("https://example.org/b", "200 OK", page),
                       ("https://example.org/c", "-5 Negative", page)])
    (tmp_path / "odd.warc.gz").write_bytes(data)
    out = tmp_path / "out.parquet"
    result = newsclean("clean", str(tmp_path / "odd.warc.gz"), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    rows = read_rows(out)
    assert [(r["url"], r["status"], r["http_status"]) for r in rows] == [
        ("https://example.org/a", "ok", None), ("https://example.org/b", "ok", 200), ("https://example.org/c", "ok", None)]
    assert "http_status 99999 is out of range" in rows[0]["error"]


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_cut_short_gives_its_records_and_a_read_error_row(tmp_path, gzip):
    body = article_page().encode()
    data = warc_bytes([(f"https://example.org/{i}", "200 OK", body) for i in range(3)], gzip=gzip)
    name = "cut.warc.gz" if gzip else "cut.warc"
    (tmp_path / name).write_bytes(data[: int(len(data) * 0.8)])
    (tmp_path / "whole.warc.gz").write_bytes(warc_bytes([("https://example.org/w", "200 OK", body)]))
    out = tmp_path / "out.parquet"
    result = newsclean("clean", str(tmp_path / name), str(tmp_path / "whole.warc.gz"), "-o", str(out))
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    rows = read_rows(out)
    assert [r["status"] for r in rows] == ["ok", "ok", "read_error", "ok"]
    assert "cut short" in rows[2]["error"] and rows[3]["url"] == "https://example.org/w"


def test_output_paths_that_cannot_be_files_get_one_clear_line(tmp_path):
    good_pages(tmp_path / "in", 1)
    (tmp_path / "a_file").write_text("x")
    (tmp_path / "a_folder").mkdir()
    for output in (tmp_path / "a_file" / "out.parquet", tmp_path / "a_folder", tmp_path / "a_file" / "x" / "o.jsonl"):
        result = newsclean("clean", str(tmp_path / "in"), "-o", str(output))
        assert result.returncode == 2, result.stderr.decode(errors="replace")
        no_traceback(result)
        message = [line for line in result.stderr.decode().splitlines() if line.startswith("Error:")]
        assert len(message) == 1 and str(output) in message[0]
    assert (tmp_path / "a_file").read_text() == "x"


def slow_page() -> str:
    """A page that takes seconds to clean by its sheer size (9 MB of real paragraphs), not by a
    pathology: with a time limit of 1 s it cannot finish whatever the machine's load."""
    paragraphs = "".join(f"<p>{SENTENCES[i % 4]} Item {i}.</p>" for i in range(90_000))
    return article_page(body=paragraphs)


def test_time_limit_kills_the_page_writes_a_timeout_row_and_goes_on(tmp_path):
    folder = tmp_path / "in"
    good_pages(folder, 3)
    (folder / "page001.html").write_text(slow_page(), encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = newsclean("clean", str(folder), "-o", str(out), "--time-limit", "1", timeout=600)
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    rows = read_rows(out)
    assert [os.path.basename(r["source_path"]) for r in rows] == ["page000.html", "page001.html", "page002.html"]
    assert rows[1]["status"] == "timeout" and "time limit of 1 s" in rows[1]["error"]
    assert rows[2]["status"] == "ok"  # cleaned by the replacement worker
    assert "timeout 1" in result.stderr.decode()


def test_time_limit_from_the_environment_and_zero_disables(tmp_path):
    good_pages(tmp_path / "in", 2)
    bad = newsclean("clean", str(tmp_path / "in"), "-o", str(tmp_path / "o.jsonl"), env={"NEWSCLEAN_TIME_LIMIT": "soon"})
    assert bad.returncode == 2 and b"--time-limit" in bad.stderr and b"Traceback" not in bad.stderr
    ok = newsclean("clean", str(tmp_path / "in"), "-o", str(tmp_path / "o.jsonl"), env={"NEWSCLEAN_TIME_LIMIT": "0"})
    assert ok.returncode == 0 and len(read_rows(tmp_path / "o.jsonl")) == 2


def test_sigkilled_run_leaves_no_worker_running(tmp_path):
    good_pages(tmp_path / "in", 400)
    process = subprocess.Popen([sys.executable, "-m", "cleaners.cli", "clean", str(tmp_path / "in"), "-o",
                                str(tmp_path / "out.parquet"), "-j", "2", "--no-progress"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(process.pid)
    deadline = time.monotonic() + 240
    workers = []
    while time.monotonic() < deadline and process.poll() is None:
        workers = [c for c in parent.children(recursive=True) if "newsclean-worker" in " ".join(_cmdline(c))
                   or "multiprocessing" in " ".join(_cmdline(c))]
        if len(workers) >= 2:
            break
        time.sleep(0.1)
    assert process.poll() is None and len(workers) >= 2, "the run ended before its workers were seen"
    process.send_signal(signal.SIGKILL)
    process.wait()
    gone, alive = psutil.wait_procs(workers, timeout=60)
    assert not alive, f"workers still running after the parent was killed: {[p.pid for p in alive]}"
    assert not (tmp_path / "out.parquet").exists()  # and no half-written output


def _cmdline(proc):
    try:
        return proc.cmdline()
    except psutil.Error:
        return []
