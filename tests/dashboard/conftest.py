"""Fixtures of the dashboard tests: one live tree with its dashboard, and a real browser.

Chromium is Debian's (`apt-get install chromium`, `make system-deps`), driven headless by
Playwright with the offline flags of reference/feasibility.md §4.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.dashboard.kit import ARTEFACTS, LiveDashboard, live_dashboard
from tests.integration.graph_fixtures import *  # noqa: F403
from tests.integration.graph_fixtures import GraphTestServer
from tests.integration.pg_fixtures import *  # noqa: F403
from tests.integration.pg_fixtures import PgServer
from tests.sim.conftest import still_config
from walltrack.bench.dashboard import CHROMIUM as BENCH_CHROMIUM
from walltrack.bench.dashboard import CHROMIUM_FLAGS
from walltrack.sim.thread import SimulationThread

CHROMIUM = Path(BENCH_CHROMIUM)


@pytest.fixture(scope="session")
def live(
    pg_server: PgServer,
    pg_template: str,
    graph_server: GraphTestServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveDashboard]:
    """The tree with its dashboard, on a database and a graph of its own."""
    pg_name = f"walltrack_dash_{uuid.uuid4().hex[:10]}"
    graph_name = f"dash_{uuid.uuid4().hex[:12]}"
    assert graph_server.can_create_databases, "the dashboard tests need their own graph database"
    with (
        pg_server.janitor(pg_name, template=pg_template),
        graph_server.admin() as admin,
        SimulationThread(still_config()) as sim,
    ):
        admin.create_database(graph_name)
        try:
            with live_dashboard(
                tmp_path_factory.mktemp("dashboard-data"),
                sim,
                pg_dsn=pg_server.dsn(pg_name),
                graph_uri=graph_server.uri,
                graph_user=graph_server.user,
                graph_password=graph_server.password,
                graph_database=graph_name,
            ) as running:
                yield running
        finally:
            admin.drop_database(graph_name)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium (the tests need it: no skip).

    Module-scoped, not session-scoped: Playwright's sync API keeps an event loop marked
    running in the main thread while it is open, and every asyncio test run after it in
    the same session would fail ("Cannot run the event loop while another loop is
    running"). Closing it with each module hands the main thread back.
    """
    assert CHROMIUM.exists(), "install Chromium: apt-get install -y chromium (make system-deps)"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser, live: LiveDashboard) -> Iterator[Page]:
    """A fresh tab on the dashboard, its status bar rendered."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    failed: list[Any] = []
    tab.on("requestfailed", lambda request: failed.append(request))  # noqa: PLW0108 - Playwright tags handlers, a builtin cannot be
    tab.goto(live.url, wait_until="networkidle")
    tab.wait_for_selector(".wt-trading", timeout=30_000)
    try:
        yield tab
    finally:
        context.close()
    assert not failed, f"requests failed: {[r.url for r in failed]}"


def shot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
