"""The generic path: every site without a cleaner of its own.

- `extract`: the HTML path (block classifier, trafilatura for forum / Q&A / product pages,
  readability as the fallback), metadata from JSON-LD and meta tags.
- `blocks`, `blockcontext`, `blockmodel`: the learned block classifier's features, its second
  (context) pass and the numpy tree evaluator; models in `models/`.
- `lines`: the learned line classifier of text dumps (models/lines.json, line-lexicons.json).
- `textrules`: the conservative text rules (drop a line only when it is all boilerplate) and the
  text-dump path (the line classifier, then the text rules).
"""
