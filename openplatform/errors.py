"""Error codes and domain errors.

Every code the API can answer with is a member of an ``ErrorCode`` enum that carries its HTTP
status, a title and how to fix it; each app declares its own enum next to its services (as
Saleor does) and names it in its plugin, so the public catalogue at /docs/errors lists every
code by construction. Codes are ``str``: they compare, serialise and format as the code itself.

Domain errors are raised by services and turned into form errors, admin messages or
problem+json.
"""

from enum import StrEnum

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ErrorGroup(models.TextChoices):
    ACCESS = "access", _("Authentication and access")
    REQUEST = "request", _("The request itself")
    IDEMPOTENCY = "idempotency", _("Idempotency keys")
    CONFLICT = "conflict", _("State and business rules")
    FIELD = "field", _("Field errors (inside errors[])")


class ErrorCode(StrEnum):
    """A stable code, with what a developer reads about it. Declare members as
    ``NAME = "code", status, _("title"), _("how to fix it")``.

    A subclass answers in the conflict group unless it overrides ``group``.
    """

    def __new__(cls, code: str, status: int, title: Promise, fix: Promise):
        member = str.__new__(cls, code)
        member._value_ = code
        member.status = status
        member.title = title
        member.fix = fix
        return member

    @property
    def group(self) -> ErrorGroup:
        return ErrorGroup.CONFLICT

    @property
    def anchor(self) -> str:
        return self.value


class FieldErrorCode(ErrorCode):
    """A code that appears inside a validation_error's ``errors`` list
    (``{"field": ..., "code": ..., "message": ...}``); its anchor is ``#field-<code>``."""

    @property
    def group(self) -> ErrorGroup:
        return ErrorGroup.FIELD

    @property
    def anchor(self) -> str:
        return f"field-{self.value}"


class FieldError(FieldErrorCode):
    """Field codes any input can earn, from DRF, Django or our services."""

    REQUIRED = ("required", 400, _("Required"),
        _("Send the field; it may not be empty."))
    NULL = ("null", 400, _("May not be null"),
        _("Send a value instead of null."))
    BLANK = ("blank", 400, _("May not be blank"),
        _("Send a non-empty value."))
    INVALID = ("invalid", 400, _("Invalid value"),
        _("Send a value of the documented type and format."))
    INVALID_CHOICE = ("invalid_choice", 400, _("Not one of the choices"),
        _("Send one of the values the API reference lists for the field."))
    MAX_LENGTH = ("max_length", 400, _("Too long"),
        _("Shorten the value to the documented maximum."))
    MIN_LENGTH = ("min_length", 400, _("Too short"),
        _("Lengthen the value to the documented minimum."))
    MAX_VALUE = ("max_value", 400, _("Too large"),
        _("Send a smaller number."))
    MIN_VALUE = ("min_value", 400, _("Too small"),
        _("Send a larger number."))
    EMPTY = ("empty", 400, _("Empty list"),
        _("Send at least one item."))
    NOT_A_LIST = ("not_a_list", 400, _("Not a list"),
        _("Send a JSON array."))
    DOES_NOT_EXIST = ("does_not_exist", 400, _("Unknown reference"),
        _("Send the id or code of an existing object of yours."))
    INCORRECT_TYPE = ("incorrect_type", 400, _("Wrong type"),
        _("Send the type the API reference documents."))
    UNIQUE = ("unique", 400, _("Already exists"),
        _("Use a value not taken yet."))
    UNKNOWN_FIELD = ("unknown_field", 400, _("Unknown field"),
        _("Remove the field: the API refuses fields it does not know, so typos are not ignored."))
    FILE_TYPE = ("file_type", 400, _("Unsupported file type"),
        _("Send a PDF, JPEG or PNG file."))
    TOO_LARGE = ("too_large", 400, _("File too large"),
        _("Send a file under the documented size limit."))


class PlatformError(ErrorCode):
    DOMAIN_ERROR = ("domain_error", 409, _("A business rule refused the action"),
                    _("Read the detail for the rule that applies."))
    ILLEGAL_TRANSITION = (
        "illegal_transition", 409, _("This state change is not allowed"),
        _("Read the object's current state (GET it) and follow the allowed transitions in the "
          "API reference."))
    PERMISSION_DENIED = (
        "permission_denied", 403, _("Not allowed"),
        _("The credentials are valid but may not perform this action. Check the app, its ISV "
          "and the token's scopes."))

    @property
    def group(self) -> ErrorGroup:
        return ErrorGroup.ACCESS if self.status == 403 else ErrorGroup.CONFLICT


# --- the registry ------------------------------------------------------------------------------

_enums: list[type[ErrorCode]] = []


def register_error_codes(*enums: type[ErrorCode]) -> None:
    for enum in enums:
        if enum not in _enums:
            _enums.append(enum)


def documented_codes() -> list[ErrorCode]:
    """Every registered code, in registration order."""
    return [code for enum in _enums for code in enum]


def is_documented(code: str, *, field: bool = False) -> bool:
    return any(entry == code and (entry.group == ErrorGroup.FIELD) == field
               for entry in documented_codes())


def catalogue() -> list[tuple[ErrorGroup, list[ErrorCode]]]:
    """The codes by group, in the order they were declared (the kernel's first); a code two
    apps declare (the same rule met in two places) is listed once."""
    every: dict[str, ErrorCode] = {}
    for code in documented_codes():
        every.setdefault(code.anchor, code)
    return [(group, [code for code in every.values() if code.group == group])
            for group in ErrorGroup]


# --- domain errors -----------------------------------------------------------------------------


class DomainError(Exception):
    """A business rule refused the action. ``code`` is stable; ``message`` is for people."""

    code: ErrorCode = PlatformError.DOMAIN_ERROR
    default_message = _("The action is not allowed.")

    def __init__(self, message=None, *, code: ErrorCode | None = None,
                 field: str | None = None):
        self.message = message or self.default_message
        if code is not None:
            if not isinstance(code, ErrorCode):
                raise TypeError(f"Domain error codes are ErrorCode members, not {code!r}.")
            self.code = code
        self.field = field
        super().__init__(str(self.message))


class IllegalTransition(DomainError):
    code = PlatformError.ILLEGAL_TRANSITION
    default_message = _("This state change is not allowed.")


class PermissionDenied(DomainError):
    code = PlatformError.PERMISSION_DENIED
    default_message = _("You do not have permission to do this.")
