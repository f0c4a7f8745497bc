"""Who may deliver webhooks: the configured Authorization value, and an optional HMAC.

Why both: Helius authenticates a delivery only by echoing the `authHeader` the webhook was
created with (api-formats.md §1.2), verbatim, so the whole header is compared with that
value. A self-hosted relay in front of the receiver can do better and sign the raw body
(`X-Webhook-Signature: sha256=<hex HMAC-SHA256>`); when an HMAC secret is configured the
signature is required as well. Every comparison runs in constant time, and no secret or
received header value ever appears in a reply, a log line or an exception.
"""

from __future__ import annotations

import hashlib
import hmac

from walltrack.errors import ConfigurationError

SIGNATURE_HEADER = "X-Webhook-Signature"
_PREFIX = "sha256="


class WebhookAuth:
    """Checks one delivery's Authorization header and, when configured, its body HMAC."""

    def __init__(self, authorization: str, hmac_secret: str | None = None) -> None:
        if not authorization:
            raise ConfigurationError(
                "WALLTRACK_HELIUS_WEBHOOK_SECRET",
                "the webhook receiver needs the Authorization value Helius will send",
            )
        if hmac_secret is not None and not hmac_secret:
            raise ConfigurationError(
                "WALLTRACK_HELIUS_WEBHOOK_HMAC_SECRET", "set but empty: unset it or give a key"
            )
        self._authorization = authorization.encode("utf-8")
        self._hmac_key = None if hmac_secret is None else hmac_secret.encode("utf-8")

    @property
    def signs_bodies(self) -> bool:
        """Whether deliveries must carry an HMAC signature of their body."""
        return self._hmac_key is not None

    def authorised(self, header: str | None) -> bool:
        """Whether the Authorization header is exactly the configured value."""
        if header is None:
            return False
        received = header.encode("utf-8", "surrogateescape")
        return hmac.compare_digest(received, self._authorization)

    def signed(self, header: str | None, body: bytes) -> bool:
        """Whether `header` is `sha256=<hex>` of the HMAC of `body` (True when not required)."""
        if self._hmac_key is None:
            return True
        if header is None:
            return False
        expected = _PREFIX + hmac.new(self._hmac_key, body, hashlib.sha256).hexdigest()
        received = header.strip().lower().encode("ascii", "replace")
        return hmac.compare_digest(received, expected.encode("ascii"))


def sign_body(hmac_secret: str, body: bytes) -> str:
    """The `X-Webhook-Signature` value a relay sends with `body`."""
    return _PREFIX + hmac.new(hmac_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
