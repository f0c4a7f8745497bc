"""Access to the 18 recorded Helius payloads in ../shared (never copied into the repo)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REAL_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures" / "helius-real"


def real_files() -> list[Path]:
    """Every recorded payload file, sorted by name."""
    return sorted(REAL_DIR.glob("*.json"))


def load_real(prefix: str) -> dict[str, Any]:
    """The payload whose file name starts with `prefix` (e.g. "01")."""
    (path,) = [p for p in real_files() if p.name.startswith(prefix + "-")]
    payload: dict[str, Any] = json.loads(path.read_text())
    return payload
