"""The interpreter policy of a running tree: no automatic full collection, a short GIL
switch interval, both restored by the last tree to stop."""

from __future__ import annotations

import gc
import sys
import threading
from typing import Any

from supervisors import interpreter_policy
from supervisors.interpreter_policy import SWITCH_INTERVAL_S, InterpreterPolicy


def test_a_running_tree_turns_automatic_full_collections_off_and_the_last_one_restores() -> None:
    policy = InterpreterPolicy()  # the process's own may be held by a tree of another test
    before = gc.get_threshold()
    switch_before = sys.getswitchinterval()
    policy.acquire(full_every_s=3600)
    try:
        assert sys.getswitchinterval() == SWITCH_INTERVAL_S
        assert not interpreter_policy.automatic_full_collections()
        assert gc.get_freeze_count() > 0  # what was alive at start is never scanned again
        young, middle, _ = gc.get_threshold()
        assert (young, middle) == (before[0], interpreter_policy.YOUNG_PER_MIDDLE)
        policy.acquire(full_every_s=3600)  # a second tree in the same process
        policy.release()
        assert not interpreter_policy.automatic_full_collections()  # one tree still runs
    finally:
        policy.release()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0  # collectable again
    assert sys.getswitchinterval() == switch_before


def test_the_full_collection_runs_on_its_timer() -> None:
    collected = threading.Event()

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            collected.set()

    policy = InterpreterPolicy()
    policy.acquire(full_every_s=0.05)
    gc.callbacks.append(on_gc)
    try:
        assert collected.wait(30)
    finally:
        gc.callbacks.remove(on_gc)
        policy.release()
