"""What app_manifest.yml grants, and whether a Web API method needs more."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from sandbox import FakeSlack, SlackSpec

MANIFEST = Path(__file__).resolve().parent.parent / "app_manifest.yml"


@cache
def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text())


def granted_scopes() -> frozenset[str]:
    return frozenset(manifest()["oauth_config"]["scopes"]["bot"])


def canonical(scope: str) -> str:
    """Pre-granular names such as `chat:write:bot` count as `chat:write`."""
    parts = scope.split(":")
    return ":".join(parts[:2]) if len(parts) == 3 and parts[2] in ("bot", "user") else scope


def missing_scopes(method: str, granted: frozenset[str], spec: SlackSpec) -> list[str]:
    """Empty when the method needs no scope or any one of its listed scopes is granted."""
    needed = [canonical(s) for s in spec.scopes(method)]
    if not needed or "none" in needed or any(s in granted for s in needed):
        return []
    return needed


def assert_scopes_granted(fake: FakeSlack) -> None:
    """Every Web API method this run called needs only scopes the manifest grants."""
    spec = SlackSpec.load()
    granted = granted_scopes()
    lacking = {m: missing_scopes(m, granted, spec) for m in sorted(fake.methods_called())}
    lacking = {m: needed for m, needed in lacking.items() if needed}
    assert not lacking, f"app_manifest.yml lacks a scope for: {lacking}"
