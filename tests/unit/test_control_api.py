"""The HTTP control surface: health, readiness, the tree, and authenticated commands."""

from __future__ import annotations

from aiohttp.test_utils import TestClient, TestServer

from actors.runtime.protocol import Ping
from supervisors.runtime import ROOT
from tests.runtime.kit import Journal, probe_spec, running_tree
from walltrack.adapters.webhook.control_api import make_app
from walltrack.commands._process import RuntimeControl
from walltrack.domain.messages.control import PauseTrading, ResumeTrading
from walltrack.domain.tree import tree_from_json

TOKEN = "test-control-token-123"


async def test_health_tree_and_control_round_trip() -> None:
    journal = Journal()
    routes = {PauseTrading: "breaker", ResumeTrading: "breaker"}
    with running_tree([probe_spec("breaker", journal)], routes=routes) as runtime:
        control = RuntimeControl(runtime)
        app = make_app(control, runtime.services.clock, TOKEN)
        async with TestClient(TestServer(app)) as client:
            assert (await client.get("/health")).status == 200
            assert (await client.get("/ready")).status == 503  # not marked ready yet
            control.mark_ready()
            assert (await client.get("/ready")).status == 200

            auth = {"Authorization": f"Bearer {TOKEN}"}
            tree = tree_from_json(await (await client.get("/api/tree", headers=auth)).json())
            assert [info.name for info in tree.actors] == ["root", "breaker"]

            reply = await client.post("/api/control/pause", headers=auth)
            assert reply.status == 202
            assert (await reply.json())["accepted"] == "pause"
            journal.wait_for("breaker got PauseTrading")
            assert (await client.post("/api/control/resume", headers=auth)).status == 202
            journal.wait_for("breaker got ResumeTrading")
            assert (await client.post("/api/control/explode", headers=auth)).status == 404


async def test_control_without_the_right_token_is_refused_and_reaches_nothing() -> None:
    journal = Journal()
    routes = {PauseTrading: "breaker"}
    with running_tree([probe_spec("breaker", journal)], routes=routes) as runtime:
        app = make_app(RuntimeControl(runtime), runtime.services.clock, TOKEN)
        async with TestClient(TestServer(app)) as client:
            for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
                response = await client.post("/api/control/pause", headers=headers)
                assert response.status == 401
                assert "WALLTRACK_CONTROL_TOKEN" in await response.text()
            assert (await client.get("/api/tree")).status == 401
        runtime.services.registry.ask(ROOT, Ping(), timeout=10)
        runtime.services.registry.ask("breaker", Ping(), timeout=10)
    assert journal.starting_with("breaker got") == []
