"""Every change to an ISV's apps (its OAuth clients): creation, edits, secrets, review and the
moves that take an app live, offline or out of service."""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret

from isv.choices import APP_TRANSITIONS, AppEnvironment, AppState
from isv.errors import IsvError, IsvFieldError
from isv.models import App, Isv
from isv.services.providers import require_operational, require_reason
from openplatform.api import gate
from openplatform.audit.trail import audit_record
from openplatform.data.validators import FieldErrors, model_field_errors
from openplatform.errors import DomainError, FieldError
from openplatform.events.services import event_emit
from openplatform.transitions import lock, transition

# How long a rotated client secret keeps working by default, and at most.
CLIENT_SECRET_DEFAULT_OVERLAP_HOURS = 24
CLIENT_SECRET_MAX_OVERLAP_HOURS = 7 * 24


def app_event_data(app: App) -> dict[str, Any]:
    return {
        "app_id": str(app.pk),
        "client_id": app.client_id,
        "environment": app.environment,
        "state": app.state,
    }


def _emit(app: App, type: str) -> None:
    event_emit(type=type, isv=app.isv, app=app, data=app_event_data(app))



def _app_errors(app: App) -> FieldErrors:
    errors: FieldErrors = {}
    if not app.name:
        errors["name"] = [ValidationError(_("Give the app a name."), code=FieldError.REQUIRED)]
    model_errors = model_field_errors(app, exclude=errors)
    # An app may act as itself (client credentials) before it registers a redirect URI, and
    # DOT's clean() demands one for the authorization-code grant every app is stored with.
    if not app.redirect_uris:
        model_errors.pop("redirect_uris", None)
    refused = [uri for uri in app.redirect_uris.split() if not app.permits_redirect_uri(uri)]
    if refused:
        # In place of DOT's terse "invalid_scheme": say what is allowed.
        model_errors["redirect_uris"] = [ValidationError(
            _("Redirect URIs must use https; a sandbox app may also use http on 127.0.0.1 or "
              "localhost. Refused: %(uris)s"), code=IsvFieldError.REDIRECT_URI_SCHEME,
            params={"uris": " ".join(refused)})]
    for field, field_errors in model_errors.items():
        # DOT's URI errors carry no code; every error a caller sees has one.
        errors[field] = [
            error if error.code else ValidationError(error.message, code=FieldError.INVALID,
                                                     params=error.params)
            for error in field_errors
        ]
    return errors


@transaction.atomic
def app_create(
    *, isv: Isv, actor: AbstractBaseUser | None, name: str,
    environment: str = AppEnvironment.SANDBOX, redirect_uris: str = "", description: str = "",
    provisioned_on_approval: bool = False,
) -> tuple[App, str]:
    """Create an app (an OAuth client) in development; return it with its clear client secret.

    The secret is stored hashed and cannot be shown again; ``app_rotate_secret`` issues another.
    """
    isv = lock(isv)
    require_operational(isv)
    client_secret = generate_client_secret()
    app = App(
        isv=isv, name=name.strip(), environment=environment,
        redirect_uris=" ".join(redirect_uris.split()), description=description.strip(),
        client_type=App.CLIENT_CONFIDENTIAL,
        authorization_grant_type=App.GRANT_AUTHORIZATION_CODE,
        hash_client_secret=True, client_secret=client_secret,
        state=AppState.DEVELOPING, provisioned_on_approval=provisioned_on_approval,
    )
    errors = _app_errors(app)
    if errors:
        raise ValidationError(errors)
    app.save()
    audit_record(actor=actor, action="app.created", target=app,
                 after={"state": app.state, "environment": app.environment})
    _emit(app, "app.created")
    return app, client_secret


@transaction.atomic
def app_update(
    *, app: App, actor: AbstractBaseUser | None, name: str, description: str,
    redirect_uris: str,
) -> App:
    """Change what the developer describes of an app: its name, description, redirect URIs.

    A call that changes nothing writes nothing.
    """
    app = lock(app)
    values = {"name": name.strip(), "description": description.strip(),
              "redirect_uris": " ".join(redirect_uris.split())}
    before = {field: getattr(app, field) for field in values}
    changed = [field for field, value in values.items() if before[field] != value]
    for field in changed:
        setattr(app, field, values[field])
    errors = _app_errors(app)
    if errors:
        raise ValidationError(errors)
    if not changed:
        return app
    app.save(update_fields=[*changed, "updated"])
    audit_record(actor=actor, action="app.updated", target=app,
                 before={field: before[field] for field in changed},
                 after={field: values[field] for field in changed})
    gate.invalidate(app)  # refusals quote the app's name
    return app


def _secret_overlap(overlap: timedelta | None) -> timedelta:
    if overlap is None:
        return timedelta(hours=CLIENT_SECRET_DEFAULT_OVERLAP_HOURS)
    if not timedelta(0) <= overlap <= timedelta(hours=CLIENT_SECRET_MAX_OVERLAP_HOURS):
        raise ValidationError({"overlap_hours": ValidationError(
            _("Choose an overlap between 0 and %(hours)d hours."),
            code=IsvFieldError.INVALID_OVERLAP,
            params={"hours": CLIENT_SECRET_MAX_OVERLAP_HOURS})})
    return overlap


@transaction.atomic
def app_rotate_secret(
    *, app: App, actor: AbstractBaseUser | None, overlap: timedelta | None = None,
) -> str:
    """Replace the app's client secret; return the new one in clear, this once.

    The replaced secret keeps authenticating the client for ``overlap`` (default 24 hours,
    at most a week; zero ends it at once, e.g. after a leak), so the ISV can roll it out.
    A second rotation during an overlap ends the first one's.
    """
    overlap = _secret_overlap(overlap)
    app = lock(app)
    client_secret = generate_client_secret()
    # The stored value is already hashed (App.hash_client_secret): it is kept as it is.
    app.previous_client_secret = app.client_secret if overlap else ""
    app.previous_client_secret_expires_at = timezone.now() + overlap if overlap else None
    app.client_secret = client_secret
    app.hash_client_secret = True
    app.save(update_fields=["client_secret", "hash_client_secret", "previous_client_secret",
                            "previous_client_secret_expires_at", "updated"])
    audit_record(actor=actor, action="app.secret_rotated", target=app,
                 after={"overlap_seconds": int(overlap.total_seconds())})
    _emit(app, "app.secret_rotated")
    return client_secret


def _app_move(
    app: App, to: str, *, sources: Iterable[str], actor: AbstractBaseUser | None, action: str,
    reason: str = "",
) -> App:
    """Move an app the caller holds locked (and checked), with its audit line and event."""
    return transition(app, to, transitions=APP_TRANSITIONS, sources=sources, actor=actor,
                      action=action, reason=reason, locked=True,
                      emit=lambda moved: _emit(moved, action))


@transaction.atomic
def app_submit_for_review(*, app: App, actor: AbstractBaseUser | None) -> App:
    """Ask for the review a production app needs before it goes live."""
    app = lock(app)
    if app.is_sandbox:
        raise DomainError(_("A sandbox app goes live without review."),
                          code=IsvError.SANDBOX_NEEDS_NO_REVIEW)
    require_operational(app.isv)
    return _app_move(app, AppState.IN_REVIEW, sources=[AppState.DEVELOPING], actor=actor,
                     action="app.submitted_for_review")


@transaction.atomic
def app_approve(*, app: App, actor: AbstractBaseUser | None) -> App:
    app = lock(app)
    require_operational(app.isv)
    return _app_move(app, AppState.LIVE, sources=[AppState.IN_REVIEW], actor=actor,
                     action="app.approved")


@transaction.atomic
def app_reject_review(*, app: App, actor: AbstractBaseUser | None, reason: str) -> App:
    """Refuse a review: the app goes back to development."""
    reason = require_reason(reason)
    return _app_move(lock(app), AppState.DEVELOPING, sources=[AppState.IN_REVIEW],
                     actor=actor, action="app.review_rejected", reason=reason)


@transaction.atomic
def app_go_live(*, app: App, actor: AbstractBaseUser | None) -> App:
    """Take a sandbox app live from development, or any app live again from offline."""
    app = lock(app)
    if app.state == AppState.DEVELOPING and not app.is_sandbox:
        raise DomainError(_("A production app goes live through review."),
                          code=IsvError.REVIEW_REQUIRED)
    require_operational(app.isv)
    return _app_move(app, AppState.LIVE, sources=[AppState.DEVELOPING, AppState.OFFLINE],
                     actor=actor, action="app.live")


@transaction.atomic
def app_take_offline(*, app: App, actor: AbstractBaseUser | None) -> App:
    return _app_move(lock(app), AppState.OFFLINE, sources=[AppState.LIVE], actor=actor,
                     action="app.taken_offline")


@transaction.atomic
def app_suspend(*, app: App, actor: AbstractBaseUser | None, reason: str) -> App:
    reason = require_reason(reason)
    sources = [state for state in AppState if state != AppState.SUSPENDED]
    return _app_move(lock(app), AppState.SUSPENDED, sources=sources, actor=actor,
                     action="app.suspended", reason=reason)


@transaction.atomic
def app_reinstate(*, app: App, actor: AbstractBaseUser | None, reason: str) -> App:
    """End a suspension: the app comes back offline and its developer takes it live."""
    reason = require_reason(reason)
    return _app_move(lock(app), AppState.OFFLINE, sources=[AppState.SUSPENDED], actor=actor,
                     action="app.reinstated", reason=reason)
