"""Domain errors: raised by services, turned into form errors, admin messages or problem+json."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused the action. ``code`` is stable; ``message`` is for people."""

    code = "domain_error"
    default_message = _("The action is not allowed.")

    def __init__(self, message=None, *, code: str | None = None, field: str | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.field = field
        super().__init__(str(self.message))


class IllegalTransition(DomainError):
    code = "illegal_transition"
    default_message = _("This state change is not allowed.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    default_message = _("You do not have permission to do this.")
