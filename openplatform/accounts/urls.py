from django.contrib.auth import views as auth_views
from django.urls import path

from openplatform.accounts import views

# Django's password views reverse these names without a namespace, so there is none. Signing
# up (accounts/signup/) is the ISV app's page: isv/signup_urls.py.
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("verify/resend/", views.verification_resend, name="account_verification_resend"),
    path("verify/<str:token>/", views.verify_email, name="account_verify_email"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
