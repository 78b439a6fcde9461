"""The app under test runs through the same harness as the demo."""

from sandbox.harness import RunningApp, run_app, sandbox_settings

__all__ = ["RunningApp", "run_app", "sandbox_settings"]
