"""The offline demo: a small mirror of rt.com, sputniknews.com and republicworld.com
(crawler/demo/mirror, built by make_mirror.py) and a local HTTP server for it."""
from pathlib import Path

MIRROR = Path(__file__).resolve().parent / "mirror"
SITES = ("rt", "sputnik", "republicworld")
