"""`walltrack bench dashboard`: the dashboard of a running demo, in headless Chromium.

- first_render_s: page opened -> status bar and Home KPI cards filled from the stores;
- update_latency_p95_ms: a tree event (pause or resume through the control API) -> the
  status bar shows it, p95 over 20 toggles (the HTTP call's return is the start);
- sessions_10_cpu_pct: CPU of the WallTrack process (percent of one core) over 10 s with
  ten dashboard sessions open during the demo; sessions_0_cpu_pct the same with none.
"""

from __future__ import annotations

import re
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from walltrack.bench._dashboard_demo import DemoProcess

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TOGGLES = 20
CPU_WINDOW_S = 10.0
SESSIONS = 10


def run() -> dict[str, float | int]:
    """Start a demo, open the dashboard, measure."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    from walltrack.bench._dashboard_demo import DemoProcess  # noqa: PLC0415

    with DemoProcess() as demo, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            idle_cpu = _cpu_pct(demo)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            first_render = _first_render(page, demo.url)
            latencies = _update_latencies(page, demo)
            pages = [browser.new_page() for _ in range(SESSIONS - 1)]
            for extra in pages:
                extra.goto(demo.url, wait_until="networkidle")
                extra.wait_for_selector(".wt-trading")
            sessions_cpu = _cpu_pct(demo)
        finally:
            browser.close()
    latencies.sort()
    p95 = latencies[max(0, -(-len(latencies) * 95 // 100) - 1)]
    return {
        "first_render_s": round(first_render, 3),
        "update_latency_p95_ms": round(p95, 1),
        "update_latency_median_ms": round(latencies[len(latencies) // 2], 1),
        "sessions_10_cpu_pct": round(sessions_cpu, 1),
        "sessions_0_cpu_pct": round(idle_cpu, 1),
    }


def _first_render(page: Any, url: str) -> float:
    began = time.monotonic()
    page.goto(url)
    cards = page.locator(".wt-kpi-open .v").filter(has_text=re.compile(r"^\d+$"))
    cards.wait_for(timeout=60_000)
    page.locator(".wt-trading").wait_for(timeout=60_000)
    return time.monotonic() - began


def _update_latencies(page: Any, demo: DemoProcess) -> list[float]:
    bar = page.locator(".wt-trading")
    found: list[float] = []
    for index in range(TOGGLES):
        action, shown = ("pause", "HALTED") if index % 2 == 0 else ("resume", "running")
        demo.control(action)
        began = time.monotonic()
        bar.filter(has_text=shown).wait_for(timeout=30_000)
        found.append((time.monotonic() - began) * 1000)
    demo.control("resume")
    return found


def _cpu_pct(demo: DemoProcess) -> float:
    before, began = demo.cpu_s(), time.monotonic()
    time.sleep(CPU_WINDOW_S)
    return (demo.cpu_s() - before) / (time.monotonic() - began) * 100
