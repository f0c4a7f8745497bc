"""Random ids for messages and flows, made without a system call.

Why not `uuid.uuid4`: it reads `os.urandom`, and that call releases the interpreter lock
for the system call; with other threads busy, the caller then waits to get the lock back
(about 0.5 ms a call against one busy thread, measured). Every message of the decision
path (wallet signal, scored signal, order) took an id that way, so each hop of a webhook
on its way to an order could stall on it. These ids need uniqueness, not secrecy:
`random` (seeded from the system at start, reseeded in forked children) gives 122 random
bits as uuid4 does. Secrets keep using `secrets`.
"""

from __future__ import annotations

import random
import uuid

_V4_KEEP = ~((0xF000 << 64) | (0xC000 << 48))
_V4_MARK = (0x4000 << 64) | (0x8000 << 48)  # version 4, RFC 4122 variant


def random_uuid() -> uuid.UUID:
    """A version-4 UUID; the version and variant bits set as `UUID(version=4)` would."""
    return uuid.UUID(int=(random.getrandbits(128) & _V4_KEEP) | _V4_MARK)
