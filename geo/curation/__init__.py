"""Curation: planners' location corrections with provenance, stored in SQLite or PostgreSQL/PostGIS."""
