"""One SQLite file: schema, idempotent storage, the frontier, Datasette metadata."""
