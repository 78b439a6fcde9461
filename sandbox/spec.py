"""Slack Web API spec: which methods exist, which arguments they require, which scopes they need.

The source of truth is Slack's published OpenAPI v2 spec (`web_api_openapi_v2.json`, MIT, see
`LICENSE-slack-api-specs`). That snapshot predates some methods we call, so
`extra_methods.json` adds them in the same shape; it exists only to fill that gap and must not
override anything the upstream spec defines.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

_SPEC_FILES = ("web_api_openapi_v2.json", "extra_methods.json")
# The token is sent as `Authorization: Bearer`, never as an argument (checked by check_auth).
_TOKEN_PARAM = "token"
# Methods that take the app-level token (xapp-); every other method takes the bot token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


class SlackSpec:
    """Parsed view of the Web API spec, keyed by method name (e.g. "chat.postMessage")."""

    def __init__(self, paths: Mapping[str, Mapping[str, Any]]) -> None:
        self._ops: dict[str, Mapping[str, Any]] = {}
        for path, verbs in paths.items():
            # Each path has exactly one verb in Slack's spec; every method also accepts POST.
            for op in verbs.values():
                self._ops.setdefault(path.lstrip("/"), op)

    @classmethod
    def load(cls) -> SlackSpec:
        """The packaged spec, parsed once per process (the upstream file is ~1 MB)."""
        return _load_packaged()

    def methods(self) -> set[str]:
        return set(self._ops)

    def has(self, method: str) -> bool:
        return method in self._ops

    def required(self, method: str) -> list[str]:
        params = self._ops[method].get("parameters", [])
        return [p["name"] for p in params if p.get("required") and p["name"] != _TOKEN_PARAM]

    def scopes(self, method: str) -> list[str]:
        """Scopes listed under `security[].slackAuth`; the spec uses "none" for no scope."""
        found: list[str] = []
        for requirement in self._ops[method].get("security", []):
            found.extend(s for s in requirement.get("slackAuth", []) if s not in found)
        return found

    def check(self, method: str, args: Mapping[str, Any]) -> list[str]:
        """Violations of the spec by a call with these arguments (empty list when clean)."""
        if method not in self._ops:
            return [f"unknown method {method!r}"]
        return [
            f"missing required argument {name!r}"
            for name in self.required(method)
            if args.get(name) in (None, "")
        ]


def check_auth(authorization: str | None, method: str = "") -> list[str]:
    """Violations of the token `method` needs: `Bearer xapp-...` for APP_TOKEN_METHODS,
    `Bearer xoxb-...` (the bot token) for everything else."""
    app_level = method in APP_TOKEN_METHODS
    prefix, kind = ("xapp-", "an app-level token") if app_level else ("xoxb-", "a bot token")
    if not authorization:
        return [f"missing Authorization header (expected 'Bearer {prefix}...')"]
    scheme, _, token = authorization.partition(" ")
    if scheme != "Bearer" or not token.startswith(prefix):
        return [f"Authorization header is not {kind}: {authorization[:12]!r}..."]
    return []


@functools.cache
def _load_packaged() -> SlackSpec:
    paths: dict[str, Mapping[str, Any]] = {}
    package = resources.files(__package__)
    for name in _SPEC_FILES:
        loaded = json.loads(package.joinpath(name).read_text(encoding="utf-8"))["paths"]
        for path, verbs in loaded.items():
            paths.setdefault(path, verbs)
    return SlackSpec(paths)
