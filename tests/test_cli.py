"""`newsclean clean` end to end, as a user runs it: a real subprocess, real files, read back."""
import json
import subprocess
import sys
from datetime import datetime, timezone
from io import BytesIO

import duckdb
import pyarrow.parquet as pq
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from test_clean_inputs import ENGLISH, RUSSIAN, page


def newsclean(*args, cwd=None, input=None):
    return subprocess.run([sys.executable, "-m", "cleaners.cli", *args], capture_output=True, cwd=cwd,
                          input=input, timeout=300)


def make_tree(root):
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "one.html").write_text(page(ENGLISH), encoding="utf-8")
    (root / "a" / "b" / "two.htm").write_bytes(page(RUSSIAN, title="Переговоры", charset="cp1251", lang="ru").encode("cp1251"))
    (root / "a" / "b" / "dump.txt").write_text("Council extends night buses\n\n" + "\n\n".join(ENGLISH))
    (root / "a" / "empty.html").write_bytes(b"")
    (root / "a" / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (root / "a" / "notes.md").write_text("not an input")


def test_folder_recursive_to_parquet_keeps_error_rows(tmp_path):
    make_tree(tmp_path)
    out = tmp_path / "out" / "articles.parquet"
    result = newsclean("clean", str(tmp_path / "a"), "-o", str(out))
    assert result.returncode == 0, result.stderr
    summary = result.stderr.decode()
    assert "5 pages: 3 articles written" in summary and "empty 1" in summary and "not_html 1" in summary
    rows = duckdb.sql(f"select source_path, status, error, title, language, source from '{out}' order by source_path").fetchall()
    assert [r[0].split("/a/")[1] for r in rows] == ["b/dump.txt", "b/two.htm", "binary.html", "empty.html", "one.html"]
    by_name = {r[0].rsplit("/", 1)[1]: r for r in rows}
    assert by_name["two.htm"][1:5] == ("ok", None, "Переговоры", "ru")
    assert by_name["empty.html"][1] == "empty" and by_name["empty.html"][2]
    assert all(r[5] == "saved" for r in rows)


def test_globs_jsonl_and_stdout(tmp_path):
    make_tree(tmp_path)
    result = newsclean("clean", str(tmp_path / "a" / "**" / "*.htm*"), "-o", "-")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert sorted(r["source_path"].rsplit("/", 1)[1] for r in lines) == ["binary.html", "empty.html", "one.html", "two.htm"]
    out = tmp_path / "x.jsonl"
    assert newsclean("clean", str(tmp_path / "a" / "one.html"), "-o", str(out)).returncode == 0
    assert json.loads(out.read_text())["title"] == "Council extends night buses"


def test_url_option_and_parquet_on_stdout(tmp_path):
    make_tree(tmp_path)
    result = newsclean("clean", str(tmp_path / "a" / "b" / "dump.txt"), "--url", "https://www.example.com/x",
                       "--format", "parquet", "-o", "-")
    assert result.returncode == 0, result.stderr
    table = pq.read_table(BytesIO(result.stdout))
    assert table.column("url").to_pylist() == ["https://www.example.com/x"]
    assert table.column("site").to_pylist() == ["example.com"]
    bad = newsclean("clean", str(tmp_path / "a"), "--url", "https://x.org/")
    assert bad.returncode == 2 and b"single input file" in bad.stderr


def test_missing_and_empty_inputs_are_usage_errors(tmp_path):
    assert newsclean("clean", str(tmp_path / "nope.html")).returncode == 2
    (tmp_path / "empty").mkdir()
    result = newsclean("clean", str(tmp_path / "empty"))
    assert result.returncode == 2 and b"no .html" in result.stderr


def _warc(path):
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for uri, ctype, body, status in [
            ("https://news.example.org/one", "text/html; charset=koi8-r",
             page(RUSSIAN, title="Переговоры", charset="", lang="ru").replace('<meta charset="">', "").encode("koi8-r"), "200 OK"),
            ("https://news.example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n", "200 OK"),
            ("https://news.example.org/gone", "text/html", b"<html><body>Not found</body></html>", "404 Not Found"),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            record = writer.create_warc_record(uri, "response", payload=BytesIO(body), http_headers=headers,
                                               warc_headers_dict={"WARC-Date": "2026-11-20T08:00:00Z"})
            writer.write_record(record)


def test_warc_records_are_pages_with_their_http_metadata(tmp_path):
    _warc(tmp_path / "crawl.warc.gz")
    out = tmp_path / "w.parquet"
    result = newsclean("clean", str(tmp_path / "crawl.warc.gz"), "-o", str(out), "-j", "2")
    assert result.returncode == 0, result.stderr
    rows = pq.read_table(out).to_pylist()
    assert [r["url"] for r in rows] == ["https://news.example.org/one", "https://news.example.org/gone"]
    first = rows[0]
    assert first["status"] == "ok" and first["title"] == "Переговоры" and first["text"].split("\n\n") == RUSSIAN
    assert first["http_status"] == 200
    assert first["fetched_at"] == datetime(2026, 11, 20, 8, 0, tzinfo=timezone.utc)
    assert rows[1]["http_status"] == 404 and rows[1]["status"] == "no_article"


def test_corrupt_warc_is_an_error_row(tmp_path):
    (tmp_path / "bad.warc.gz").write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    (tmp_path / "ok.html").write_text(page(ENGLISH))
    out = tmp_path / "o.parquet"
    result = newsclean("clean", str(tmp_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    statuses = sorted(pq.read_table(out).column("status").to_pylist())
    assert statuses == ["ok", "read_error"]


def test_thousands_of_files_stream_in_parallel(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    body = page(ENGLISH)
    for i in range(1500):
        (folder / f"p{i:05d}.html").write_text(body.replace("night buses", f"night buses {i}"))
    out = tmp_path / "many.parquet"
    result = newsclean("clean", str(folder), "-o", str(out), "-j", "2")
    assert result.returncode == 0, result.stderr
    file = pq.ParquetFile(out)
    assert file.metadata.num_rows == 1500 and file.metadata.num_row_groups == 1
    titles = duckdb.sql(f"select title from '{out}'").fetchall()
    assert titles[0] == ("Council extends night buses 0",) and titles[-1] == ("Council extends night buses 1499",)
