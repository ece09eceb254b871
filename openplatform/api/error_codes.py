"""Every code the kernel's API plumbing answers with: access (the capability gate and the
tokens), the request itself, and idempotency keys. The public catalogue at /docs/errors lists
these with every app's codes (``openplatform.errors.catalogue``)."""

from django.utils.translation import gettext_lazy as _

from openplatform.errors import ErrorCode, ErrorGroup


class AccessError(ErrorCode):
    """Who may call: the token, the app, its ISV, the pack, the merchant, the quota."""

    INVALID_TOKEN = ("invalid_token", 401, _("Missing, unknown, expired or revoked access token"),
        _("Send Authorization: Bearer <access_token>. Get a new token from /oauth/token/ "
          "(client_credentials for your app, or refresh the merchant's token with its refresh "
          "token); a token revoked by the merchant needs a new authorization."))
    APP_SUSPENDED = ("app_suspended", 403, _("The app may not call now"),
        _("The app is in development, in review, offline or suspended by governance. Take a "
          "sandbox app live, submit a production app for review, or read the governance notice in "
          "the portal and rectify."))
    ISV_SUSPENDED = ("isv_suspended", 403, _("Your service provider is not active"),
        _("None of the ISV's apps may call while it is pending review, restricted, suspended or "
          "cleared out. See Governance notices in the portal."))
    INSUFFICIENT_SCOPE = ("insufficient_scope", 403, _("The token lacks the scope this call needs"),
        _("Request a token with the scope named in the detail: isv:read or isv:merchants for the "
          "ISV API, pack:<code> for a capability (the app must hold an active subscription to "
          "that pack)."))
    PACK_NOT_SUBSCRIBED = ("pack_not_subscribed", 403, _("The app is not subscribed to the pack"),
        _("Subscribe the app to a function pack containing this capability in the portal's "
          "catalog; a pack that needs review answers once the platform approves it."))
    MERCHANT_NOT_AUTHORIZED = (
        "merchant_not_authorized", 403, _("No merchant authorization for this call"),
        _("Call with a token obtained through the merchant's authorization (authorization code "
          "with PKCE), and make sure the merchant granted this pack and did not revoke it. A "
          "client_credentials token acts for no merchant."))
    MERCHANT_SUSPENDED = ("merchant_suspended", 403, _("The merchant may not be served"),
        _("The merchant is suspended, cleared out, not active yet, or governance restricted this "
          "pack for it or for your app. See Governance notices in the portal."))
    QUOTA_EXCEEDED = ("quota_exceeded", 429, _("Quota used up"),
        _("Wait the number of seconds in Retry-After; the RateLimit headers say what is left. "
          "Spread calls over time or ask for a higher quota for the pack."))

    @property
    def group(self) -> ErrorGroup:
        return ErrorGroup.ACCESS


class RequestError(ErrorCode):
    """What is wrong with the request itself."""

    VALIDATION_ERROR = ("validation_error", 400, _("Some fields are invalid"),
        _("Read errors: each entry names the field, a code (see the field errors below) and how "
          "to fix it. Correct those fields and send again."))
    MALFORMED_REQUEST = ("malformed_request", 400, _("The body could not be parsed"),
        _("Send valid JSON with Content-Type: application/json (or form data where the endpoint "
          "documents it)."))
    NOT_FOUND = ("not_found", 404, _("No such object among yours"),
        _("Check the id or URL. Objects of other ISVs and merchants are never visible, so they "
          "answer 404 too."))
    METHOD_NOT_ALLOWED = ("method_not_allowed", 405, _("Method not allowed"),
        _("Use one of the methods the Allow header lists (see the API reference)."))
    NOT_ACCEPTABLE = ("not_acceptable", 406, _("Cannot answer in the requested format"),
        _("Accept application/json (or omit the Accept header)."))
    REQUEST_TOO_LARGE = ("request_too_large", 413, _("The request body is too large"),
        _("Keep bodies under the limit in the detail; upload large files in smaller parts or "
          "compress images."))
    UNSUPPORTED_MEDIA_TYPE = ("unsupported_media_type", 415, _("Unsupported Content-Type"),
        _("Send Content-Type: application/json."))
    SERVER_ERROR = ("server_error", 500, _("The platform failed"),
        _("Retry later with the same Idempotency-Key; if it persists, quote the instance id to "
          "support."))
    ERROR = ("error", 400, _("Other request error"),
        _("Read the detail; it says what to change."))

    @property
    def group(self) -> ErrorGroup:
        return ErrorGroup.REQUEST


class IdempotencyError(ErrorCode):
    """Idempotency-Key misuse (openplatform.api.idempotency)."""

    INVALID_IDEMPOTENCY_KEY = ("invalid_idempotency_key", 400, _("Invalid Idempotency-Key"),
        _("Send a key of 1 to 255 characters, unique per distinct request: a random UUID is best."))
    IDEMPOTENCY_IN_FLIGHT = (
        "idempotency_in_flight", 409, _("The first request with this key is still running"),
        _("Wait a moment and retry with the same key and body: you will get its response."))
    IDEMPOTENCY_KEY_REUSED = (
        "idempotency_key_reused", 422, _("Idempotency-Key reused with another body"),
        _("Use a new key for a new request; reuse a key only to retry the identical request."))

    @property
    def group(self) -> ErrorGroup:
        return ErrorGroup.IDEMPOTENCY
