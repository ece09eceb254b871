"""Sign-up, email verification, login (with throttling), logout and password reset."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from openplatform.accounts.selectors import email_is_verified
from openplatform.accounts.services import EMAIL_VERIFICATION_SALT, email_verification_token
from openplatform.audit.models import AuditEvent
from tests.portal.support import PASSWORD, client_for, make_verified_user

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "correct-Horse-battery-9"
LINK = re.compile(r"https?://\S+")


def sign_up(client, email="New.Dev@Example.com", password=STRONG_PASSWORD, **extra):
    return client.post(reverse("account_signup"), {
        "email": email, "password": password, "password_confirmation": password, **extra})


def mailed_link(message) -> str:
    return LINK.search(message.body).group(0)


def test_sign_up_creates_a_lower_cased_account_logs_in_and_mails_a_verification_link(
        client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)

    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")
    user = get_user_model().objects.get()
    assert (user.username, user.email) == ("new.dev@example.com", "new.dev@example.com")
    assert not email_is_verified(user=user)
    assert AuditEvent.objects.filter(action="account.signed_up").count() == 1
    [message] = mail.outbox
    assert message.to == ["new.dev@example.com"]
    assert "/accounts/verify/" in mailed_link(message)
    # Signed in, unverified: the portal says so on every page.
    page = client.get(reverse("portal:registration"))
    assert "Verify your email address" in page.content.decode()


def test_opening_the_link_verifies_the_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    response = client.get(mailed_link(mail.outbox[0]))

    assert response.status_code == 302
    assert email_is_verified(user=get_user_model().objects.get())
    page = client.get(reverse("portal:registration"))
    assert "Verify your email address" not in page.content.decode()
    assert "Register your company" in page.content.decode()


@pytest.mark.parametrize("existing", ["new.dev@example.com", "NEW.DEV@EXAMPLE.COM"])
def test_an_address_signs_up_once_whatever_its_case(client, existing):
    make_verified_user(existing)
    response = sign_up(client, email="New.Dev@example.com")

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "An account with this email address already exists."]
    assert get_user_model().objects.count() == 1


def test_a_weak_password_is_refused_beside_the_field_and_the_email_is_kept(client):
    response = sign_up(client, password="12345678")

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["password"]
    assert 'value="New.Dev@Example.com"' in response.content.decode()
    assert not get_user_model().objects.exists()


def test_differing_passwords_are_refused(client):
    response = client.post(reverse("account_signup"), {
        "email": "a@example.com", "password": STRONG_PASSWORD,
        "password_confirmation": STRONG_PASSWORD + "x"})

    assert response.context["form"].errors["password_confirmation"] == [
        "The two passwords differ."]


def test_an_expired_link_is_refused(client, settings):
    user = make_verified_user()
    user.verified_email.delete()
    token = email_verification_token(user=user)
    settings.EMAIL_VERIFICATION_MAX_AGE = -1

    response = client.get(reverse("account_verify_email", args=[token]))

    assert response.status_code == 400
    assert "expired" in response.content.decode()
    assert not email_is_verified(user=user)


@pytest.mark.parametrize("tamper", ["forged", "other_address"])
def test_a_forged_link_or_one_for_an_old_address_is_refused(client, tamper):
    user = make_verified_user()
    user.verified_email.delete()
    if tamper == "forged":
        token = email_verification_token(user=user)[:-2] + "xx"
    else:
        token = signing.dumps({"user": user.pk, "email": "old@example.com"},
                              salt=EMAIL_VERIFICATION_SALT)

    response = client.get(reverse("account_verify_email", args=[token]))

    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    assert not email_is_verified(user=user)


def test_an_unverified_user_can_ask_for_another_link(django_capture_on_commit_callbacks):
    user = make_verified_user()
    user.verified_email.delete()
    client = client_for(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_verification_resend"))

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    client.get(mailed_link(mail.outbox[0]))
    assert email_is_verified(user=user)


def test_login_accepts_the_address_in_any_case_and_logout_ends_the_session(client):
    make_verified_user("dev@example.com")
    response = client.post(reverse("login"), {"username": "DEV@Example.com",
                                              "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")

    client.post(reverse("logout"))
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_a_wrong_password_shows_an_error(client):
    make_verified_user("dev@example.com")
    response = client.post(reverse("login"), {"username": "dev@example.com",
                                              "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_the_nth_failed_login_is_locked_with_a_clear_message(client, settings, axes_enabled):
    make_verified_user("dev@example.com")
    settings.AXES_FAILURE_LIMIT = 3

    def attempt(password):
        return client.post(reverse("login"), {"username": "Dev@example.com",
                                              "password": password})

    assert [attempt("wrong").status_code for _ in range(2)] == [200, 200]
    locked = attempt("wrong")
    assert locked.status_code == 429
    assert "Login is locked after 3 failed attempts" in locked.content.decode()
    # Locked means locked: the right password does not get in until the cool-off ends.
    assert attempt(PASSWORD).status_code == 429


def test_a_successful_login_resets_the_failure_count(client, settings, axes_enabled):
    make_verified_user("dev@example.com")
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        client.post(reverse("login"), {"username": "dev@example.com", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "dev@example.com",
                                          "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))
    for _ in range(2):
        response = client.post(reverse("login"), {"username": "dev@example.com",
                                                  "password": "wrong"})
    assert response.status_code == 200


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    user = make_verified_user("dev@example.com")
    response = client.post(reverse("password_reset"), {"email": "dev@example.com"})
    assert response.status_code == 302

    [message] = mail.outbox
    confirm = client.get(mailed_link(message), follow=True)
    assert confirm.status_code == 200
    form_url = confirm.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": STRONG_PASSWORD,
                                  "new_password2": STRONG_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG_PASSWORD)


def test_forms_refuse_a_post_without_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_signup"), {
        "email": "a@example.com", "password": STRONG_PASSWORD,
        "password_confirmation": STRONG_PASSWORD})
    assert response.status_code == 403
    assert not get_user_model().objects.exists()


@pytest.mark.parametrize("url_name", ["login", "account_signup", "password_reset"])
def test_account_pages_switch_language(client, url_name):
    client.post(reverse("set_language"), {"language": "zh-hans"})
    chinese = client.get(reverse(url_name)).content.decode()
    client.post(reverse("set_language"), {"language": "en"})
    english = client.get(reverse(url_name)).content.decode()

    assert '<html lang="zh-hans">' in chinese
    assert '<html lang="en">' in english

