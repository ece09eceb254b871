"""The layer contracts (pyproject.toml, [tool.importlinter]) hold, and they bite: a copy of the
code with one wrong import added fails them."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

PACKAGES = ("openplatform", "catalog", "isv", "merchants", "governance", "capabilities",
            "portal")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(root)})


@pytest.fixture(scope="module")
def copy_of_the_code(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("layers")
    base = Path(settings.BASE_DIR)
    for package in PACKAGES:
        shutil.copytree(base / package, root / package,
                        ignore=shutil.ignore_patterns("__pycache__", "templates", "static"))
    shutil.copy(base / "pyproject.toml", root)
    return root


def test_the_code_keeps_its_layer_contracts():
    result = _lint(Path(settings.BASE_DIR))
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("module", "wrong_import", "broken"), [
    ("openplatform/probe.py", "import merchants.models", "Layers"),
    ("catalog/probe.py", "from isv import models", "Layers"),
    ("merchants/probe.py", "from governance import selectors", "Layers"),
    ("isv/probe.py", "import capabilities.payment.models", "Layers"),
    ("capabilities/payment/probe.py", "import capabilities.merchant_info.api.views",
     "Capabilities never import each other"),
])
def test_one_wrong_import_breaks_a_contract(copy_of_the_code, module, wrong_import, broken):
    probe = copy_of_the_code / module
    probe.write_text(f"{wrong_import}\n")
    try:
        result = _lint(copy_of_the_code)
    finally:
        probe.unlink()
    assert result.returncode != 0
    broken_section = result.stdout.split("Broken contracts", 1)[1]
    assert broken in broken_section, result.stdout
