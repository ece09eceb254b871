"""The benchmarks' own PostgreSQL database: named by DATABASE_URL, ending in ``_bench``."""

import os
import sys
from urllib.parse import urlsplit, urlunsplit


def ensure_bench_database(script: str) -> None:
    """Check DATABASE_URL and create the database if it is missing (through ``postgres``)."""
    parts = urlsplit(os.environ.get("DATABASE_URL", ""))
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        sys.exit(f"{script}: DATABASE_URL must point at PostgreSQL (postgres://...).")
    name = parts.path.lstrip("/")
    if not name.endswith("_bench"):
        sys.exit(f"{script}: the database name must end with _bench (got {name!r}): "
                 "benchmarks write into it.")
    import psycopg
    from psycopg import sql

    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
