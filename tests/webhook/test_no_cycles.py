"""A delivery leaves no reference cycle behind: its payload is freed as soon as it is done.

Why it matters: an object in a cycle waits for CPython's cyclic collector, which holds
the interpreter lock while it runs; a parsed transaction (dozens of dicts and lists)
left hanging off a cycle per delivery made the collector run several times a second
under load, pausing every actor for milliseconds each time.
"""

from __future__ import annotations

import gc
from concurrent.futures import Future

from tests.webhook.kit import post, real_payloads, webhook_client
from walltrack.adapters.webhook.memory_event_store import InMemoryWebhookEventStore


class ThreadedMemoryStore(InMemoryWebhookEventStore):
    """The in-memory store, answered from the writer threads like PostgreSQL."""

    blocks = True


async def test_a_delivery_recorded_on_a_writer_thread_leaves_no_cycle() -> None:
    first, *deliveries = list(real_payloads().values())[:6]
    tracked = [p["feePayer"] for p in (first, *deliveries)]
    async with webhook_client(store=ThreadedMemoryStore(), tracked=tracked) as client:
        assert (await post(client, [first]))[0] == 200  # the server and its writers are warm
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)  # keep what the collector would free, to look at it
        try:
            for delivery in deliveries:
                assert (await post(client, [delivery]))[0] == 200
            gc.collect()
            garbage = list(gc.garbage)
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
    signatures = {d["signature"] for d in deliveries}
    payloads = [o for o in garbage if isinstance(o, dict) and o.get("signature") in signatures]
    assert payloads == []
    assert [o for o in garbage if isinstance(o, Future)] == []
