"""Language of the article text (py3langid), the page's declaration as the fallback."""
from __future__ import annotations

import re

import py3langid

_MIN_CHARS = 40  # below this, detection is a guess: trust the page's declaration instead
# py3langid's cost grows with the text; its first 1,500 characters name the same language as its
# first 5,000 on 1,349 of 1,350 WCXB dev articles, at a quarter of the time (0.44 vs 1.77 ms)
_SAMPLE_CHARS = 1500


def _declared_code(declared: str | None) -> str | None:
    if not declared:
        return None
    match = re.match(r"([a-zA-Z]{2,3})(?:[-_]|$)", declared.strip())
    return match.group(1).lower() if match else None


def detect_language(text: str, declared: str | None = None) -> str | None:
    if len(text) >= _MIN_CHARS:
        code, _score = py3langid.classify(text[:_SAMPLE_CHARS])
        return code
    return _declared_code(declared)
