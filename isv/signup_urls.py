"""Signing up, under /accounts/ beside the accounts app's pages (no namespace, as theirs)."""

from django.urls import path

from isv.views import signup

urlpatterns = [
    path("signup/", signup.signup, name="account_signup"),
]
