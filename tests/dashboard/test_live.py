"""The page follows the tree without a reload, and its controls act on the tree."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.dashboard.conftest import shot
from tests.dashboard.kit import LiveDashboard
from tests.dashboard.seed import SMART
from walltrack.domain.messages.config import RuntimeConfigChanged
from walltrack.domain.messages.control import HaltCause, TradingHalted, TradingResumed
from walltrack.domain.messages.trading import EntrySkipped
from walltrack.domain.records import SignalDecision

TIMEOUT_MS = 30_000
LIVE_MS = 1_000
"""What the issue allows between a change in the tree and the page showing it."""


def confirm(page: Page, action: str) -> None:
    page.locator(f".wt-btn-{action} button").click()
    page.locator(f".wt-confirm-{action} button").click()


def test_a_new_signal_shows_within_a_second_without_reload(page: Page, live: LiveDashboard) -> None:
    page.evaluate("window.__not_reloaded = true")
    before = int(page.locator(".wt-kpi-signals-today .v").inner_text())
    record = live.buy(SMART, live.seeded.tokens["LIVE"])  # returns once the scorer published
    mint = record.token_mint
    expect(page.locator(".wt-activity")).to_contain_text(f"{mint[:4]}…{mint[-4:]}", timeout=LIVE_MS)
    expect(page.locator(".wt-kpi-signals-today .v")).to_have_text(
        str(before + 1), timeout=TIMEOUT_MS
    )
    assert page.evaluate("window.__not_reloaded") is True


def test_pause_halts_trading_and_resume_restores_it(page: Page, live: LiveDashboard) -> None:
    halts_before = len(live.events.of(TradingHalted))
    confirm(page, "pause")
    halted = live.events.wait_next(TradingHalted, halts_before)
    assert halted.cause is HaltCause.OPERATOR_PAUSE
    expect(page.locator(".wt-trading")).to_contain_text("HALTED: operator_pause", timeout=LIVE_MS)
    shot(page, "paused")
    try:
        signal = live.buy(SMART, live.seeded.tokens["PAUSE"])
        assert signal.decision is SignalDecision.TRADE
        skipped = live.events.wait_until(EntrySkipped, lambda e: e.signal_id == signal.signal_id)
        assert "halted" in skipped.reason
    finally:
        resumed_before = len(live.events.of(TradingResumed))
        confirm(page, "resume")
    live.events.wait_next(TradingResumed, resumed_before)
    expect(page.locator(".wt-trading")).to_contain_text("TRADING: running", timeout=LIVE_MS)


def _preview(page: Page, path: str, value: str, expected: str) -> None:
    for css, text in ((".wt-config-path input", path), (".wt-config-value input", value)):
        page.locator(css).fill(text)
        page.locator(css).press("Enter")  # commits the value to the server
    page.locator(".wt-config-preview button").click()
    expect(page.locator(".wt-config-outcome")).to_contain_text(expected, timeout=TIMEOUT_MS)


def _edit(page: Page, path: str, value: str, expected_change: str) -> None:
    _preview(page, path, value, expected_change)
    page.locator(".wt-config-apply button").click()
    expect(page.locator(".wt-config-outcome")).to_contain_text("Applied", timeout=TIMEOUT_MS)


def test_a_config_change_from_the_page_reaches_the_scorer(page: Page, live: LiveDashboard) -> None:
    before = live.buy(SMART, live.seeded.tokens["CONF"])
    assert before.decision is SignalDecision.TRADE, before
    page.locator(".bk-tab").filter(has_text=re.compile("^Config$")).first.click()
    _preview(page, "scoring.threshold", "2", "Refused")
    try:
        _edit(page, "scoring.high_conviction", "1.0", "0.85 → 1.0")
        _edit(page, "scoring.threshold", "1.0", "0.7 → 1.0")
        live.events.wait_until(RuntimeConfigChanged, lambda e: e.params.scoring.threshold == 1.0)
        expect(page.locator(".wt-config-history")).to_contain_text("scoring.threshold")
        shot(page, "config-applied")
        after = live.buy(SMART, live.seeded.tokens["CONF"])
        assert after.decision is SignalDecision.SKIP
        assert after.skip_reason == "below_threshold"
    finally:
        config = live.stores().config
        config.update("scoring.threshold", 0.7, "test")
        config.update("scoring.high_conviction", 0.85, "test")
        live.events.wait_until(
            RuntimeConfigChanged, lambda e: e.params.scoring.high_conviction == 0.85
        )
