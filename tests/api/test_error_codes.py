"""The error-code catalogue is complete by construction: domain errors and problems take only
members of an app's ErrorCode enum, every plugin's enum is in the catalogue, and with
``STRICT_ERROR_CODES`` (as in this suite) an answer with a field code missing from it fails.
Each problem ``type`` URL lands on its own entry of the public catalogue."""

from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from openplatform import plugins
from openplatform.api.error_codes import AccessError
from openplatform.api.problems import Problem, problem_exception_handler
from openplatform.errors import (
    DomainError,
    ErrorGroup,
    FieldError,
    catalogue,
    documented_codes,
)


def test_every_plugins_codes_are_in_the_catalogue():
    listed = {(code.value, code.group) for _group, codes in catalogue() for code in codes}
    for plugin in plugins.registered():
        for enum in plugin.error_codes:
            assert {(code.value, code.group) for code in enum} <= listed, plugin.label


def test_every_entry_has_a_status_title_and_fix_and_a_unique_anchor():
    entries = [code for _group, codes in catalogue() for code in codes]
    anchors = [code.anchor for code in entries]
    assert len(anchors) == len(set(anchors))
    for code in entries:
        assert 400 <= code.status < 600
        assert str(code.title) and str(code.fix)
    assert {code.group for code in documented_codes()} == set(ErrorGroup)


@pytest.mark.parametrize("make", [
    lambda: DomainError("Refused.", code="made_up"),
    lambda: Problem(code="made_up", detail="Refused."),
])
def test_a_bare_string_is_not_a_code(make):
    with pytest.raises(TypeError):
        make()


def test_a_problem_answers_with_its_codes_own_status():
    assert Problem(code=AccessError.QUOTA_EXCEEDED, detail="Wait.").status_code == 429


def test_a_field_code_missing_from_the_catalogue_fails_the_suite(settings, rf):
    error = ValidationError({"name": [ValidationError("Bad.", code="made_up_field_code")]})
    with pytest.raises(AssertionError, match="made_up_field_code"):
        problem_exception_handler(error, {"request": rf.get("/api/v1/")})

    settings.STRICT_ERROR_CODES = False
    response = problem_exception_handler(error, {"request": rf.get("/api/v1/")})
    assert response.data["errors"][0]["code"] == "made_up_field_code"


def test_a_catalogued_field_code_passes(rf):
    error = ValidationError({"name": [ValidationError("Bad.", code=FieldError.REQUIRED)]})
    response = problem_exception_handler(error, {"request": rf.get("/api/v1/")})
    assert response.status_code == 400


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

    for code in documented_codes():
        assert f'id="{code.anchor}"' in page
