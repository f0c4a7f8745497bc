"""Every page renders with data from the live tree, in a real browser (screenshots kept)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.dashboard.conftest import shot
from tests.dashboard.kit import LiveDashboard
from tests.dashboard.seed import FOLLOWER, LEADER, SMART
from walltrack.domain.records import WalletStatus

TIMEOUT_MS = 30_000


def open_tab(page: Page, name: str) -> None:
    page.locator(".bk-tab").filter(has_text=re.compile(f"^{name}$")).first.click()


def test_home_shows_kpis_equity_positions_signals_and_alerts(
    page: Page, live: LiveDashboard
) -> None:
    live.buy(SMART, live.seeded.tokens["GOOD"])
    expect(page.locator(".wt-mode")).to_have_text("PAPER")
    expect(page.locator(".wt-kpi-open .v")).to_have_text(re.compile(r"^[1-9]\d*$"))
    expect(page.locator(".wt-kpi-win-rate .v")).to_contain_text("of")
    expect(page.locator(".wt-kpi-pnl-total .v")).not_to_have_text("-")
    expect(page.locator(".wt-positions .tabulator-row").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator(".wt-positions")).to_contain_text("OLD")
    expect(page.locator(".wt-home-signals .tabulator-row").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("canvas").first).to_be_visible()
    expect(page.get_by_text("a seeded alert")).to_be_visible()
    shot(page, "home")


def test_explorer_signals_open_their_factor_breakdown(page: Page, live: LiveDashboard) -> None:
    live.buy(SMART, live.seeded.tokens["GOOD"])
    open_tab(page, "Explorer")
    rows = page.locator(".wt-signals .tabulator-row")
    expect(rows.first).to_be_visible(timeout=TIMEOUT_MS)
    rows.first.click()
    expect(page.locator(".wt-detail")).to_contain_text("wallet factor", timeout=TIMEOUT_MS)
    expect(page.locator(".wt-detail")).to_contain_text("skip reason")
    shot(page, "explorer-signals")


def test_explorer_wallets_clusters_and_tokens(page: Page, live: LiveDashboard) -> None:
    open_tab(page, "Explorer")
    open_tab(page, "Wallets")
    wallets = page.locator(".wt-wallets")
    expect(wallets).to_contain_text(SMART, timeout=TIMEOUT_MS)
    expect(wallets).to_contain_text("watchlisted")
    wallets.locator(".tabulator-row", has_text=SMART).click()
    expect(page.locator(".wt-detail")).to_contain_text("win rate", timeout=TIMEOUT_MS)
    shot(page, "explorer-wallets")
    open_tab(page, "Clusters")
    clusters = page.locator(".wt-clusters")
    expect(clusters).to_contain_text(live.seeded.cluster_id, timeout=TIMEOUT_MS)
    expect(page.get_by_text(f"{LEADER} leader")).to_be_visible(timeout=TIMEOUT_MS)
    shot(page, "explorer-clusters")
    open_tab(page, "Tokens")
    tokens = page.locator(".wt-tokens")
    expect(tokens).to_contain_text("GOOD", timeout=TIMEOUT_MS)
    tokens.locator(".tabulator-row", has_text="GOOD").first.click()
    expect(page.locator(".wt-detail")).to_contain_text("freeze authority revoked")
    shot(page, "explorer-tokens")


def test_config_shows_parameters_history_and_strategies(page: Page, live: LiveDashboard) -> None:
    open_tab(page, "Config")
    expect(page.locator(".wt-config-current")).to_contain_text("threshold", timeout=TIMEOUT_MS)
    expect(page.get_by_text("Exit strategies (presets first)")).to_be_visible()
    expect(page.locator(".wt-config-history")).to_be_visible()
    shot(page, "config")


def test_system_shows_the_tree_and_its_health(page: Page, live: LiveDashboard) -> None:
    open_tab(page, "System")
    tree = page.locator(".wt-tree-table")
    expect(tree).to_contain_text("circuit_breaker", timeout=TIMEOUT_MS)
    expect(tree).to_contain_text("scorer")
    expect(tree).to_contain_text("running")
    expect(page.locator(".wt-feed-stats")).to_contain_text("events")
    shot(page, "system")


def test_blacklisting_a_wallet_from_its_sidebar_needs_a_confirmation(
    page: Page, live: LiveDashboard
) -> None:
    open_tab(page, "Explorer")
    open_tab(page, "Wallets")
    page.locator(".wt-wallets .tabulator-row", has_text=FOLLOWER).click()
    expect(page.locator(".wt-detail")).to_contain_text(FOLLOWER, timeout=TIMEOUT_MS)
    page.locator(".wt-btn-blacklist button").click()
    expect(page.locator(".wt-confirm-blacklist button")).to_be_visible()
    wallet = live.stores().wallets.get(FOLLOWER)
    assert wallet is not None
    assert wallet.status is not WalletStatus.BLACKLISTED  # nothing happens before confirming
    page.locator(".wt-confirm-blacklist button").click()
    expect(page.locator(".wt-outcome-blacklist")).to_contain_text("blacklisted")
    wallet = live.stores().wallets.get(FOLLOWER)
    assert wallet is not None
    assert wallet.status is WalletStatus.BLACKLISTED
