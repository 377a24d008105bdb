"""Readers and writers: decoding bytes to text, saved-page inputs (files, globs, WARC), the
Parquet schema and writer, and the JSON Lines writer."""
