"""The classify_per_s benchmark reads the recorded payloads and refuses to run without them."""

from __future__ import annotations

from pathlib import Path

import pytest

from walltrack.bench._classify import classify_per_s, load_real_payloads


def test_loads_every_recorded_payload_with_its_fee_payer() -> None:
    pairs = load_real_payloads()
    assert len(pairs) == 18
    assert all(wallet == payload["feePayer"] for payload, wallet in pairs)


def test_missing_payload_directory_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no recorded Helius payloads"):
        load_real_payloads(tmp_path)


def test_reports_a_positive_rate() -> None:
    assert classify_per_s(min_seconds=0.01) > 0
