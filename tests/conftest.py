"""Shared test fixtures. Material from ../shared (seeds, real site pages, the WCXB benchmark) is
read in place; tests that need it skip with a clear message where it is absent."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NEWSCLEAN_SHARED", PROJECT.parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or a skip when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: this test reads ../shared (seeds, site pages, benchmark)")
    return path


def seed_names() -> list[str]:
    seeds = SHARED / "seeds"
    return sorted(p.stem for p in seeds.glob("*.txt")) if seeds.exists() else []


def paragraphs_normalised(text: str) -> list[str]:
    """Paragraphs with white space normalised inside each (the seeds' comparison rule)."""
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def make_dump(html_path: Path) -> str:
    """A whole-page text dump made the way the seeds were (shared/tools/make_dump.py)."""
    tool = shared_path("tools", "make_dump.py")
    result = subprocess.run([sys.executable, str(tool), str(html_path)], capture_output=True,
                            text=True, check=True)
    return result.stdout


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
