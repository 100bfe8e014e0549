"""Ingest: raw bytes to a Story or a named Rejection (pure: no Pelican, no build machinery)."""
