"""The receiver's small parts: the recent-signature memory and the auth configuration."""

from __future__ import annotations

import pytest

from tests.webhook.kit import SECRET
from walltrack.adapters.webhook.recent_signatures import RecentSignatures
from walltrack.adapters.webhook.webhook_auth import WebhookAuth, sign_body
from walltrack.errors import ConfigurationError


def test_recent_signatures_forget_the_oldest_first() -> None:
    recent = RecentSignatures(capacity=3)
    for signature in ("a", "b", "c"):
        recent.add(signature)
    recent.add("a")  # a hit does not refresh: duplicates come soon after the first sighting
    recent.add("d")
    assert [s in recent for s in ("a", "b", "c", "d")] == [False, True, True, True]
    assert len(recent) == 3
    with pytest.raises(ValueError, match="capacity"):
        RecentSignatures(capacity=0)


def test_the_receiver_refuses_to_start_without_a_secret_and_names_the_variable() -> None:
    with pytest.raises(ConfigurationError) as missing:
        WebhookAuth("")
    assert missing.value.variable == "WALLTRACK_HELIUS_WEBHOOK_SECRET"
    with pytest.raises(ConfigurationError) as empty_key:
        WebhookAuth(SECRET, hmac_secret="")
    assert empty_key.value.variable == "WALLTRACK_HELIUS_WEBHOOK_HMAC_SECRET"


def test_auth_checks_are_exact() -> None:
    auth = WebhookAuth(SECRET)
    assert auth.authorised(SECRET)
    assert not auth.authorised(None)
    assert not auth.authorised(SECRET.lower())
    assert not auth.authorised(SECRET + " ")
    assert not auth.authorised("Bearer \udcff")  # undecodable bytes in the header
    assert auth.signed(None, b"[]")  # no key configured: nothing to check
    signing = WebhookAuth(SECRET, hmac_secret="k")
    assert signing.signs_bodies
    assert signing.signed(sign_body("k", b"[1]"), b"[1]")
    assert not signing.signed(sign_body("k", b"[1]"), b"[2]")
    assert not signing.signed("sha256=é", b"[1]")
