"""docker-compose.yml cannot run here (no Docker engine): check it against the code instead.

Every WALLTRACK_* name it sets must be a setting `load_settings` accepts, with the values
it gives (after compose's `${VAR}` interpolation), and the app must wait for healthy stores.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped,unused-ignore]

from walltrack.config import Mode, load_settings

COMPOSE = Path(__file__).resolve().parents[3] / "docker-compose.yml"
SECRETS = {"POSTGRES_PASSWORD": "pg-secret-123", "NEO4J_PASSWORD": "neo4j-secret-123"}


def _interpolate(value: str) -> str:
    """Compose's `${NAME}` / `${NAME:?message}` with the test's secrets; `$$` is a `$`."""

    def one(match: re.Match[str]) -> str:
        return SECRETS[match.group(1)]

    return re.sub(r"\$\{([A-Z0-9_]+)(?::\?[^}]*)?\}", one, value).replace("$$", "$")


def _compose() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return document


def test_walltrack_environment_is_exactly_what_the_settings_read() -> None:
    service = _compose()["services"]["walltrack"]
    environment = {name: _interpolate(str(value)) for name, value in service["environment"].items()}
    assert all(name.startswith("WALLTRACK_") for name in environment)

    settings = load_settings(environment)  # unknown names or bad values would raise here

    assert settings.mode is Mode.PAPER
    assert settings.pg_dsn is not None
    assert settings.pg_dsn.get_secret_value() == (
        "postgresql://walltrack:pg-secret-123@postgres:5432/walltrack"
    )
    assert settings.graph_uri == "bolt://neo4j:7687"
    assert settings.graph_user == "neo4j"
    assert settings.graph_password is not None
    assert settings.graph_password.get_secret_value() == SECRETS["NEO4J_PASSWORD"]
    assert settings.graph_database == "neo4j"  # Neo4j Community's only database
    assert str(settings.data_dir) == "/data"
    assert (settings.webhook_host, settings.webhook_port) == ("0.0.0.0", 8080)


def test_the_app_waits_for_healthy_stores_that_keep_their_data() -> None:
    compose = _compose()
    services = compose["services"]
    app = services["walltrack"]
    assert app["build"] == "."
    assert app["env_file"] == [".env"]
    assert app["depends_on"] == {
        "postgres": {"condition": "service_healthy"},
        "neo4j": {"condition": "service_healthy"},
    }
    assert services["postgres"]["image"] == "postgres:16"
    assert services["neo4j"]["image"] == "neo4j:5"
    assert _interpolate(services["neo4j"]["environment"]["NEO4J_AUTH"]) == (
        f"neo4j/{SECRETS['NEO4J_PASSWORD']}"
    )
    for name in ("postgres", "neo4j"):
        assert services[name]["healthcheck"]["test"][0] == "CMD-SHELL"
    mounted = {
        volume.split(":", 1)[0]
        for service in services.values()
        for volume in service.get("volumes", [])
    }
    assert mounted == set(compose["volumes"]) == {"walltrack-data", "postgres-data", "neo4j-data"}
    assert {port.split(":")[-1] for port in app["ports"]} == {"8080", "5006"}
