"""The codes ISVs, their teams, apps and subscriptions answer with."""

from django.utils.translation import gettext_lazy as _

from openplatform.errors import ErrorCode, FieldErrorCode


class IsvError(ErrorCode):
    """Rules of ISVs, teams, invitations, apps and subscriptions."""

    ALREADY_IN_TEAM = ("already_in_team", 409, _("Already in a team"),
        _("A person belongs to one service provider; leave the other team first."))
    ALREADY_MEMBER = ("already_member", 409, _("Already a member"),
        _("The person is already on the team; change their role instead."))
    ALREADY_SUBSCRIBED = ("already_subscribed", 409, _("Already subscribed"),
        _("The app already holds a subscription to this pack; read its state instead."))
    INVITATION_ACCEPTED = ("invitation_accepted", 409, _("Invitation already accepted"),
        _("Sign in: the invitation was used."))
    INVITATION_EXPIRED = ("invitation_expired", 409, _("Invitation expired"),
        _("Ask the team for a new invitation."))
    INVITATION_OTHER_ADDRESS = (
        "invitation_other_address", 409, _("Invitation for another address"),
        _("Sign in with the address the invitation was sent to."))
    INVITATION_REVOKED = ("invitation_revoked", 409, _("Invitation withdrawn"),
        _("Ask the team for a new invitation."))
    ISV_NOT_ACTIVE = ("isv_not_active", 409, _("Your service provider is not active"),
        _("Wait for the registration's approval, or resolve the governance measure on it."))
    LAST_OWNER = ("last_owner", 409, _("The last owner cannot leave"),
        _("Make someone else an owner first."))
    PACK_NOT_IN_SOLUTION = ("pack_not_in_solution", 409, _("The pack is not in this solution"),
        _("Subscribe to the pack directly, or to a solution that contains it."))
    REGISTRATION_NOT_EDITABLE = (
        "registration_not_editable", 409, _("The registration cannot be corrected now"),
        _("Only a rejected registration can be corrected."))
    REVIEW_REQUIRED = ("review_required", 409, _("Production apps go live through review"),
        _("Submit the production app for review."))
    SANDBOX_NEEDS_NO_REVIEW = ("sandbox_needs_no_review", 409, _("Sandbox apps need no review"),
        _("Take the sandbox app live directly."))


class IsvFieldError(FieldErrorCode):
    """Fields of a registration, an app or a subscription."""

    USCC_TAKEN = ("uscc_taken", 400, _("USCC already registered"),
        _("This company already has a service provider account; ask its owner to invite you."))
    LICENCE_FILE_TYPE = ("licence_file_type", 400, _("Unsupported licence file"),
        _("Upload the licence as a PDF, JPEG or PNG file."))
    LICENCE_TOO_LARGE = ("licence_too_large", 400, _("Licence file too large"),
        _("Compress the scan or photo below the limit."))
    MERCHANT_NOT_ALLOWED = ("merchant_not_allowed", 400, _("No merchant for a company ISV"),
        _("Only a merchant developing for itself names a merchant."))
    MERCHANT_REQUIRED = ("merchant_required", 400, _("Merchant required"),
        _("Name the merchant this developer account acts for."))
    MERCHANT_NOT_YOURS = ("merchant_not_yours", 400, _("Not your merchant"),
        _("Name a merchant you act for."))
    MERCHANT_TAKEN = ("merchant_taken", 400, _("Merchant already has a developer account"),
        _("Ask the owner of that account to invite you."))
    ALREADY_MEMBER = ("already_member", 400, _("Already a member"),
        _("The person is already on the team."))
    INVALID_OVERLAP = ("invalid_overlap", 400, _("Overlap out of range"),
        _("Choose how long the previous client secret keeps working: 0 to the documented maximum "
          "of hours."))
    REDIRECT_URI_SCHEME = ("redirect_uri_scheme", 400, _("Redirect URI must use https"),
        _("Use https; a sandbox app may also use http on 127.0.0.1 or localhost."))
    PACK_OR_SOLUTION = ("pack_or_solution", 400, _("Name a pack or a solution"),
        _("Send exactly one of pack and solution."))
