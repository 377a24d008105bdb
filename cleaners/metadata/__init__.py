"""Metadata shared by the site cleaners and the generic path: meta tags and JSON-LD (`htmlmeta`),
dates, bylines, language and URLs / registered domains."""
