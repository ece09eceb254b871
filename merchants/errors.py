"""The codes merchants and their authorizations answer with."""

from django.utils.translation import gettext_lazy as _

from openplatform.errors import ErrorCode, FieldErrorCode


class MerchantError(ErrorCode):
    """Rules of merchants, their people and their authorizations."""

    ALREADY_LINKED = ("already_linked", 409, _("Already linked to the merchant"),
        _("Nothing to do: the person already acts for this merchant."))
    AUTHORIZATION_NOT_ACTIVE = ("authorization_not_active", 409, _("Authorization not active"),
        _("The authorization was revoked or expired; ask the merchant to authorize again."))
    EXTERNAL_ID_CONFLICT = ("external_id_conflict", 409, _("external_id already used"),
        _("Another merchant of yours has this external_id; use a new one or update that merchant."))
    MERCHANT_NOT_ACTIVE = ("merchant_not_active", 409, _("The merchant is not active"),
        _("Only an active merchant can authorize apps or be sent an authorization link; finish "
          "its onboarding first."))
    MERCHANT_NOT_EDITABLE = ("merchant_not_editable", 409, _("The merchant cannot be edited now"),
        _("A merchant is edited as a draft or while rectifying; submitted and active merchants "
          "are read-only."))
    USCC_ALREADY_LIVE = ("uscc_already_live", 409, _("USCC already used by a live merchant"),
        _("This company is already onboarded; ask the merchant to authorize your app instead."))


class MerchantFieldError(FieldErrorCode):
    """Fields of a merchant or an authorization link."""

    EXTERNAL_ID_TAKEN = ("external_id_taken", 400, _("external_id already used"),
        _("Another merchant of yours has this external_id; use a new one."))
    USCC_ALREADY_LIVE = ("uscc_already_live", 400, _("USCC already used by a live merchant"),
        _("This company is already onboarded; ask the merchant to authorize your app instead."))
    PACK_NOT_SUBSCRIBED = ("pack_not_subscribed", 400, _("The app is not subscribed to the pack"),
        _("Name only packs the app holds an active subscription to."))
    REDIRECT_URI_NOT_REGISTERED = (
        "redirect_uri_not_registered", 400, _("Redirect URI not registered"),
        _("Use one of the app's registered redirect URIs."))
    DEADLINE_IN_PAST = ("deadline_in_past", 400, _("Deadline in the past"),
        _("Choose a future date and time."))
