"""Seed data written with the migrations: default runtime parameters and exit presets.

Why from Python and not SQL: the defaults are defined once, in walltrack.domain.params;
copying them into SQL would let the two drift. Rows that exist are left alone (the
operator may have changed them); missing sections or presets are added.
"""

from __future__ import annotations

from typing import Any

import psycopg

from walltrack.adapters.postgres.rows import jsonb
from walltrack.domain.params import PRESETS, default_params, params_to_json
from walltrack.domain.params.parsing import to_json

SEEDED_BY = "defaults"

_SEED_CONFIG = """
INSERT INTO config (section, value, version, updated_by)
VALUES (%s, %s, 1, %s)
ON CONFLICT (section) DO NOTHING
"""

_SEED_STRATEGY = """
INSERT INTO exit_strategies (name, definition, is_preset)
VALUES (%s, %s, true)
ON CONFLICT (name) DO NOTHING
"""


def seed_defaults(conn: psycopg.Connection[Any]) -> None:
    """Insert missing config sections and exit presets (search_path set by the caller)."""
    with conn.cursor() as cur:
        cur.executemany(
            _SEED_CONFIG,
            [
                (section, jsonb(value), SEEDED_BY)
                for section, value in params_to_json(default_params()).items()
            ],
        )
        cur.executemany(
            _SEED_STRATEGY,
            [(preset.name, jsonb(to_json(preset))) for preset in PRESETS],
        )
