"""Language of the article text (py3langid), the page's declaration as the fallback."""
from __future__ import annotations

import re

import py3langid

_MIN_CHARS = 40  # below this, detection is a guess: trust the page's declaration instead


def _declared_code(declared: str | None) -> str | None:
    if not declared:
        return None
    match = re.match(r"([a-zA-Z]{2,3})(?:[-_]|$)", declared.strip())
    return match.group(1).lower() if match else None


def detect_language(text: str, declared: str | None = None) -> str | None:
    if len(text) >= _MIN_CHARS:
        code, _score = py3langid.classify(text[:5000])
        return code
    return _declared_code(declared)
