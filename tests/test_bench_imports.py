"""The benchmarks are not run in CI (they time things), but they must keep up with the code
they measure: each script is imported, so a moved name or a changed signature it uses fails
here rather than on the day someone runs it. (`bench/bare_app.py` builds its Bolt app when
imported, from gunicorn's environment, and imports nothing of the product.)"""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.parametrize(
    "name",
    [
        "ack_latency",
        "action_cost",
        "delivery",
        "plan_fanout",
        "common",
        "processes",
        "remote_fake",
        "slack_load",
    ],
)
def test_each_benchmark_imports(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    assert module.__file__ is not None
