import io

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_lists_the_catalog_by_layer(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    for heading in ("Payment", "Basic capabilities", "Operations capabilities",
                    "Finance capabilities"):
        assert heading in body
    assert "merchant_basics" in body
    assert "Coming soon" in body


@pytest.mark.django_db
def test_home_page_speaks_chinese_by_default(client, platform_default_language):
    assert platform_default_language == "zh-hans"
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "商户基础信息" in response.content.decode()


@pytest.mark.django_db
def test_home_page_query_count_is_constant(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get(reverse("home"))


@pytest.mark.django_db
def test_healthz_reports_ok(client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


@pytest.mark.django_db
def test_models_and_migrations_are_in_step():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_oauth_application_model_is_the_isv_app(settings):
    from oauth2_provider.models import get_application_model

    assert settings.OAUTH2_PROVIDER_APPLICATION_MODEL == "isv.App"
    assert get_application_model()._meta.label == "isv.App"


@pytest.mark.parametrize("command", ["seed_demo", "sync_catalog", "verify_audit",
                                     "verify_ledger"])
def test_the_platforms_own_commands_print_their_help(command):
    parser = load_command_class(get_commands()[command], command).create_parser(
        "manage.py", command)
    assert parser.format_help().startswith("usage: manage.py")
