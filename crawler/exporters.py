"""The `parquet` feed format: `scrapy crawl rt -O output/rt.parquet`, or FEEDS with
`"format": "parquet"`. Rows use cleaners.schema.ARTICLE_SCHEMA and stream a row group at a time.

Local files are written atomically: AtomicFileFeedStorage (registered for file paths and file://
URIs) writes a hidden temporary file beside the target and renames it into place when the feed is
closed, so a killed crawl never leaves a half-written feed file (for any format).
"""
from __future__ import annotations

import os
from pathlib import Path

from scrapy.exporters import BaseItemExporter
from scrapy.extensions.feedexport import FileFeedStorage

from cleaners.io.parquet import ROW_GROUP_SIZE, RowGroupWriter, temporary_name
from cleaners.io.schema import ARTICLE_SCHEMA, article_record

from .dataset import writable_row
from .items import PageItem


class ParquetItemExporter(BaseItemExporter):
    def __init__(self, file, **kwargs):
        self.row_group_size = int(kwargs.pop("row_group_size", ROW_GROUP_SIZE))
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self._rows: RowGroupWriter | None = None

    def start_exporting(self):
        self._rows = RowGroupWriter(self.file, row_group_size=self.row_group_size)

    def export_item(self, item):
        if isinstance(item, PageItem):  # no cleaning pipeline ran: clean here
            from .rows import page_to_row
            item = page_to_row(item, None)
        row = dict(item)
        if "status" not in row:  # not an article row: keep what fits the schema
            row = {k: v for k, v in row.items() if k in ARTICLE_SCHEMA.names}
            row = {**{n: None for n in ARTICLE_SCHEMA.names}, **row}
        row, _refused = writable_row(row, ARTICLE_SCHEMA)  # a row the schema refuses: an error row
        self._rows.write(row)

    def finish_exporting(self):
        self._rows.close()  # writes the footer; the storage closes and renames the file


class AtomicFileFeedStorage(FileFeedStorage):
    """FileFeedStorage that writes `.<name>.<pid>.<rand>.tmp` and renames it on store().
    Appending feeds (`-o`) copy the existing file into the temporary one first."""

    def open(self, spider):
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = temporary_name(target)
        handle = open(self._tmp, "wb")
        if self.write_mode == "ab" and target.exists():
            with open(target, "rb") as existing:
                while chunk := existing.read(1 << 20):
                    handle.write(chunk)
        return handle

    def store(self, file):
        file.flush()
        os.fsync(file.fileno())
        file.close()
        os.replace(self._tmp, self.path)
        return None


__all__ = ["ParquetItemExporter", "AtomicFileFeedStorage", "article_record"]
