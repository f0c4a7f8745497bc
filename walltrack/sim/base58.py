"""Base58 decoding (Bitcoin alphabet) for the deprecated base58 transaction encoding.

Why our own: solders parses base58 only for fixed-size keys, signatures and hashes, but
`sendTransaction` defaults to base58-encoded transactions of any length.
"""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {char: value for value, char in enumerate(ALPHABET)}


def b58decode(text: str) -> bytes:
    """Decode `text`; raises ValueError on characters outside the alphabet."""
    number = 0
    for char in text:
        value = _INDEX.get(char)
        if value is None:
            msg = f"invalid base58 character {char!r}"
            raise ValueError(msg)
        number = number * 58 + value
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    leading = len(text) - len(text.lstrip("1"))
    return b"\x00" * leading + body
