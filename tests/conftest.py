"""Shared fixtures: personas and the seeded MoU.

Tests run on the real PostgreSQL named by ``DATABASE_URL`` (``make test`` provides it).
"""
