"""Data files of the generic path: blocks.json, the block classifier (bench/train_blocks.py)."""
