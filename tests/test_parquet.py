"""The Parquet writer: explicit schema with its version, zstd, atomic, readable by pyarrow,
pandas, polars and DuckDB."""
from datetime import datetime, timezone

import duckdb
import pandas as pd
import polars as pl
import pyarrow.parquet as pq
import pytest

import cleaners
from cleaners.io.parquet import ParquetWriter, schema_version
from cleaners.io.schema import ARTICLE_SCHEMA, SCHEMA_VERSION, article_record

DUMP = ("Council extends night buses\n\n"
        "The city council voted on Tuesday to extend the night bus network to three more districts.\n\n"
        "Officials said the change would cost about two million a year and start in the spring.\n")


def rows(n):
    article = cleaners.clean(DUMP, url="https://news.example.org/a")
    error = cleaners.clean(b"", url="https://news.example.org/b")
    for i in range(n):
        yield article_record(error if i % 10 == 9 else article, source="saved", source_path=f"f{i}.txt",
                             fetched_at=datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc), http_status=200)


def test_round_trip_with_all_readers(tmp_path):
    path = tmp_path / "articles.parquet"
    with ParquetWriter(path, row_group_size=7) as writer:
        for record in rows(50):
            writer.write(record)
    assert writer.rows_written == 50
    assert schema_version(path) == SCHEMA_VERSION
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups == 8  # streamed, 7 rows at a time
    assert meta.row_group(0).column(0).compression == "ZSTD"

    table = pq.read_table(path)
    assert table.schema.equals(ARTICLE_SCHEMA, check_metadata=False)
    first = table.slice(0, 1).to_pylist()[0]
    assert first["title"] == "Council extends night buses"
    assert first["status"] == "ok" and first["error"] is None
    assert first["fetched_at"] == datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)

    frame = pd.read_parquet(path)
    assert len(frame) == 50 and (frame["status"] == "empty").sum() == 5
    assert list(frame.loc[0, "authors"]) == []

    counts = duckdb.sql(f"select status, count(*) from read_parquet('{path}') group by 1 order by 1").fetchall()
    assert counts == [("empty", 5), ("ok", 45)]
    assert pl.read_parquet(path).filter(pl.col("status") == "ok").height == 45


def test_failed_write_leaves_no_file_and_keeps_the_old_one(tmp_path):
    path = tmp_path / "articles.parquet"
    with ParquetWriter(path) as writer:
        writer.write(next(rows(1)))
    before = path.read_bytes()
    with pytest.raises(RuntimeError):
        with ParquetWriter(path, row_group_size=2) as writer:
            for record in rows(5):
                writer.write(record)
            raise RuntimeError("killed mid-run")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["articles.parquet"]


def test_unknown_column_is_refused():
    with pytest.raises(KeyError):
        article_record(cleaners.clean(DUMP), not_a_column=1)


def test_published_date_column():
    article = cleaners.clean(DUMP)
    article.published = "2022-01-17T13:13:00+05:30"
    assert str(article_record(article)["published_date"]) == "2022-01-17"
