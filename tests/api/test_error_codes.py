"""The error-code registry is complete: every code the gate, the problems module, the services'
domain errors and the validators can put in a problem+json is documented, and each ``type``
URL lands on its own entry of the public catalogue."""

import ast
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client

from openplatform.api.error_codes import ERROR_CODES, FIELD_ERROR_CODES, ErrorGroup, catalogue
from openplatform.api.problems import DRF_CODES

SOURCE_PACKAGES = ("openplatform", "isv", "merchants", "governance", "capabilities")
DOMAIN_ERROR_BASES = {"DomainError", "IllegalTransition", "PermissionDenied"}
# Callables whose ``code=`` (or first argument) is a problem's top-level code.
PROBLEM_CALLS = {"Problem", "problem_body", "_refuse"}


def _source_files():
    for package in SOURCE_PACKAGES:
        for path in (Path(settings.BASE_DIR) / package).rglob("*.py"):
            if not {"migrations", "management"} & set(path.parts):
                yield path


def _reaches_the_api(path: Path) -> bool:
    """Portal forms and views, admin and the sign-up pages answer people, not API clients."""
    name = path.name
    if "api" in path.parts:
        return True
    return not (name.endswith(("forms.py", "views.py")) or name.startswith("admin")
                or name in ("imports.py", "spreadsheets.py") or "accounts" in path.parts
                or "templatetags" in path.parts)


def _callee(node: ast.Call) -> str | None:
    return getattr(node.func, "id", None) or getattr(node.func, "attr", None)


def _code_argument(node: ast.Call) -> str | None:
    for keyword in node.keywords:
        if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
            return keyword.value.value
    if _callee(node) == "_refuse" and node.args and isinstance(node.args[0], ast.Constant):
        return node.args[0].value
    return None


def _scan() -> tuple[set[str], set[str]]:
    """(top-level codes, field codes) the source can raise, found by reading it."""
    trees = {path: ast.parse(path.read_text()) for path in _source_files()}
    domain_classes = set(DOMAIN_ERROR_BASES)
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and any(
                    getattr(base, "id", getattr(base, "attr", None)) in domain_classes
                    for base in node.bases):
                domain_classes.add(node.name)
    problem_codes, field_codes = set(DRF_CODES.values()), set()
    for path, tree in trees.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in domain_classes:
                problem_codes |= {
                    statement.value.value for statement in node.body
                    if isinstance(statement, ast.Assign)
                    and any(getattr(target, "id", None) == "code" for target in statement.targets)
                    and isinstance(statement.value, ast.Constant)}
            if not isinstance(node, ast.Call) or (code := _code_argument(node)) is None:
                continue
            callee = _callee(node)
            if callee in PROBLEM_CALLS or callee in domain_classes:
                problem_codes.add(code)
            elif callee in ("ValidationError", "ErrorDetail") and _reaches_the_api(path):
                field_codes.add(code)
    return problem_codes, field_codes


def test_every_problem_code_in_the_source_is_documented():
    problem_codes, _field_codes = _scan()
    assert {"invalid_token", "quota_exceeded", "merchant_suspended", "deadline_passed",
            "validation_error", "webhook_url_refused"} <= problem_codes  # the scan works
    assert problem_codes - set(ERROR_CODES) == set()


def test_every_field_error_code_in_the_source_is_documented():
    _problem_codes, field_codes = _scan()
    assert {"uscc_checksum", "required", "unknown_field"} <= field_codes
    assert field_codes - set(FIELD_ERROR_CODES) == set()


def test_every_entry_has_a_status_title_and_fix_and_a_unique_anchor():
    entries = [error for _group, errors in catalogue() for error in errors]
    anchors = [error.anchor for error in entries]
    assert len(anchors) == len(set(anchors))
    for error in entries:
        assert 400 <= error.status < 600
        assert str(error.title) and str(error.fix)
    assert all(error.group == ErrorGroup.FIELD for error in FIELD_ERROR_CODES.values())


@pytest.mark.django_db
def test_a_problem_type_url_lands_on_its_entry_of_the_public_catalogue():
    client = Client()
    problem = client.get("/api/v1/merchants/").json()
    assert problem["code"] == "invalid_token"

    url = urlsplit(problem["type"])
    page = client.get(url.path)

    assert page.status_code == 200  # public: no sign-in
    assert f'id="{url.fragment}"' in page.content.decode()


@pytest.mark.django_db
def test_the_public_catalogue_has_an_anchor_for_every_code(client):
    page = client.get("/docs/errors").content.decode()

    for code in ERROR_CODES:
        assert f'id="{code}"' in page
    for code in FIELD_ERROR_CODES:
        assert f'id="field-{code}"' in page
