"""The codes governance actions and the negative list answer with."""

from django.utils.translation import gettext_lazy as _

from openplatform.errors import ErrorCode, FieldErrorCode


class GovernanceError(ErrorCode):
    """Rules of the governance ladder."""

    DEADLINE_PASSED = ("deadline_passed", 409, _("The rectification deadline has passed"),
        _("Evidence can no longer be sent for this order; it escalates. Contact the platform "
          "through the governance notice."))
    NOT_A_RECTIFICATION = ("not_a_rectification", 409, _("Not a rectification order"),
        _("Evidence answers rectification orders only; other measures need no answer."))
    NOT_A_WARNING = ("not_a_warning", 409, _("Not a warning"),
        _("Only warnings are acknowledged."))
    NOT_APPLICABLE = ("not_applicable", 409, _("Not applicable to this target"),
        _("Read the detail: the measure does not apply to this kind of target."))
    NOTHING_TO_REINSTATE = ("nothing_to_reinstate", 409, _("Nothing to reinstate"),
        _("The target is neither suspended nor restricted."))


class GovernanceFieldError(FieldErrorCode):
    """Fields of a governance action or a negative-list entry."""

    DEADLINE_IN_PAST = ("deadline_in_past", 400, _("Deadline in the past"),
        _("Choose a future date and time."))
    ENTRY_EXISTS = ("entry_exists", 400, _("Negative-list entry exists"),
        _("The negative list already holds this value; edit that entry instead."))
    PACKS_REQUIRED = ("packs_required", 400, _("Name the packs"),
        _("A restriction names at least one function pack."))
