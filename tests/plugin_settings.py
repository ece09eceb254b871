"""The project's settings with one more capability installed: the tiny one under
tests/plugin_capability (see tests/test_capability_contract.py)."""

from openplatform.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.plugin_capability"]  # noqa: F405
