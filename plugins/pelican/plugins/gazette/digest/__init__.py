"""Digest: editions, ranking and structured data from the stories (pure)."""
