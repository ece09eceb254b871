from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from openplatform.accounts.services import normalise_email


class LoginForm(AuthenticationForm):
    """Django's login form; an email address signs in whatever its case (accounts store it
    lower-cased), other usernames (staff made with createsuperuser) are taken as typed."""

    username = forms.CharField(label=_("Email address"), max_length=254,
                               widget=forms.TextInput(attrs={"autofocus": True,
                                                             "autocomplete": "username"}))

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        return normalise_email(username) if "@" in username else username


class SignUpForm(forms.Form):
    email = forms.EmailField(label=_("Email address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email",
                                                            "autofocus": True}))
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password_confirmation = forms.CharField(
        label=_("Password (again)"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # Carried through the form when the person signs up from an invitation link.
    invitation = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        confirmation = cleaned.get("password_confirmation")
        if password and confirmation and password != confirmation:
            self.add_error("password_confirmation",
                           forms.ValidationError(_("The two passwords differ."),
                                                 code="password_mismatch"))
        return cleaned
