"""The crawl dataset is a plain hive-partitioned Parquet folder: pandas, pyarrow, polars and
DuckDB read it as documented in the README, with `site` and `crawl_date` from the folder names."""
from __future__ import annotations

import subprocess
import sys

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from cleaners.io.parquet import schema_version
from cleaners.io.schema import DATASET_SCHEMA, SCHEMA_VERSION


def test_demo_dataset_reads_with_every_reader(tmp_path):
    out = tmp_path / "demo"
    subprocess.run([sys.executable, "-m", "crawler.cli", "demo", "--output", str(out)], check=True,
                   capture_output=True, timeout=180)
    dataset = out / "articles"
    parts = sorted(dataset.glob("crawl_date=*/site=*/part-*.parquet"))
    assert parts and all(schema_version(p) == SCHEMA_VERSION for p in parts)
    assert all(pq.read_schema(p).equals(DATASET_SCHEMA, check_metadata=False) for p in parts)

    expected = {("republicworld.com", "ok"): 2, ("republicworld.com", "empty"): 1, ("rt.com", "ok"): 4,
                ("rt.com", "no_article"): 1, ("sputniknews.com", "ok"): 2, ("sputniknews.com", "not_html"): 1}

    frame = pd.read_parquet(dataset)
    assert frame.groupby([frame["site"].astype(str), "status"]).size().to_dict() == expected

    table = ds.dataset(dataset, format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 11 and set(table.column("crawl_date").to_pylist()) == {parts[0].parent.parent.name[11:]}

    counts = (pl.scan_parquet(str(dataset / "**" / "*.parquet"), hive_partitioning=True)
              .group_by("site", "status").len().collect())
    assert {(r["site"], r["status"]): r["len"] for r in counts.to_dicts()} == expected

    rows = duckdb.sql(f"SELECT site, status, count(*) FROM read_parquet('{dataset}/**/*.parquet', "
                      "hive_partitioning = true) GROUP BY ALL").fetchall()
    assert {(site, status): n for site, status, n in rows} == expected
