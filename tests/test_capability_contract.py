"""A capability plugs in by its own folder and one INSTALLED_APPS line: the tiny capability
under tests/plugin_capability, installed by tests/plugin_settings.py and nothing else, gets
its pack into the catalog, a grantable scope, a gated view (every refusal code), its event type
listed, its error codes documented, its operations in the OpenAPI schema and its portal
navigation item (tests/plugin_capability/contract_checks.py, run here under those settings)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from catalog.models import FunctionPack

CHECKS = Path(__file__).parent / "plugin_capability" / "contract_checks.py"


@pytest.mark.django_db
def test_the_tiny_capability_is_absent_until_installed():
    assert "tests.plugin_capability" not in settings.INSTALLED_APPS
    assert not FunctionPack.objects.filter(code="ping_basics").exists()


def test_installed_the_tiny_capability_gets_everything_the_contract_promises():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(CHECKS), "--ds=tests.plugin_settings",
         "-o", "addopts=", "-p", "no:cacheprovider", "-q", "--no-header"],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=300,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.plugin_settings"})
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
