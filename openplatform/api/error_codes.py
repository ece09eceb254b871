"""Every code the API can answer with, its HTTP status and how to fix it.

The problem+json type of an error is /docs/errors#<code> (openplatform.api.problems);
that public page is rendered from this registry, and a test checks that every code the gate,
the problems module, the services' domain errors and the validators can produce is listed here.
Codes in FIELD_ERROR_CODES appear inside a validation_error's errors list
({"field": ..., "code": ..., "message": ...}); their anchors are #field-<code>.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class ErrorGroup(models.TextChoices):
    ACCESS = "access", _("Authentication and access")
    REQUEST = "request", _("The request itself")
    IDEMPOTENCY = "idempotency", _("Idempotency keys")
    CONFLICT = "conflict", _("State and business rules")
    FIELD = "field", _("Field errors (inside errors[])")


@dataclass(frozen=True)
class ErrorCode:
    code: str
    status: int
    title: Promise
    fix: Promise
    group: ErrorGroup

    @property
    def anchor(self) -> str:
        return f"field-{self.code}" if self.group == ErrorGroup.FIELD else self.code


def _codes(group: ErrorGroup, entries: list[tuple[str, int, Promise, Promise]]) -> list[ErrorCode]:
    return [ErrorCode(code=code, status=status, title=title, fix=fix, group=group)
            for code, status, title, fix in entries]


_ACCESS = _codes(ErrorGroup.ACCESS, [
    ("invalid_token", 401, _("Missing, unknown, expired or revoked access token"),
     _("Send Authorization: Bearer <access_token>. Get a new token from /oauth/token/ "
       "(client_credentials for your app, or refresh the merchant's token with its refresh "
       "token); a token revoked by the merchant needs a new authorization.")),
    ("app_suspended", 403, _("The app may not call now"),
     _("The app is in development, in review, offline or suspended by governance. Take a "
       "sandbox app live, submit a production app for review, or read the governance notice "
       "in the portal and rectify.")),
    ("isv_suspended", 403, _("Your service provider is not active"),
     _("None of the ISV's apps may call while it is pending review, restricted, suspended or "
       "cleared out. See Governance notices in the portal.")),
    ("insufficient_scope", 403, _("The token lacks the scope this call needs"),
     _("Request a token with the scope named in the detail: isv:read or isv:merchants for the "
       "ISV API, pack:<code> for a capability (the app must hold an active subscription to "
       "that pack).")),
    ("pack_not_subscribed", 403, _("The app is not subscribed to the pack"),
     _("Subscribe the app to a function pack containing this capability in the portal's "
       "catalog; a pack that needs review answers once the platform approves it.")),
    ("merchant_not_authorized", 403, _("No merchant authorization for this call"),
     _("Call with a token obtained through the merchant's authorization (authorization code "
       "with PKCE), and make sure the merchant granted this pack and did not revoke it. A "
       "client_credentials token acts for no merchant.")),
    ("merchant_suspended", 403, _("The merchant may not be served"),
     _("The merchant is suspended, cleared out, not active yet, or governance restricted this "
       "pack for it or for your app. See Governance notices in the portal.")),
    ("permission_denied", 403, _("Not allowed"),
     _("The credentials are valid but may not perform this action. Check the app, its ISV and "
       "the token's scopes.")),
    ("quota_exceeded", 429, _("Quota used up"),
     _("Wait the number of seconds in Retry-After; the RateLimit headers say what is left. "
       "Spread calls over time or ask for a higher quota for the pack.")),
])

_REQUEST = _codes(ErrorGroup.REQUEST, [
    ("validation_error", 400, _("Some fields are invalid"),
     _("Read errors: each entry names the field, a code (see the field errors below) and "
       "how to fix it. Correct those fields and send again.")),
    ("malformed_request", 400, _("The body could not be parsed"),
     _("Send valid JSON with Content-Type: application/json (or form data where the "
       "endpoint documents it).")),
    ("not_found", 404, _("No such object among yours"),
     _("Check the id or URL. Objects of other ISVs and merchants are never visible, so they "
       "answer 404 too.")),
    ("method_not_allowed", 405, _("Method not allowed"),
     _("Use one of the methods the Allow header lists (see the API reference).")),
    ("not_acceptable", 406, _("Cannot answer in the requested format"),
     _("Accept application/json (or omit the Accept header).")),
    ("request_too_large", 413, _("The request body is too large"),
     _("Keep bodies under the limit in the detail; upload large files in smaller parts or "
       "compress images.")),
    ("unsupported_media_type", 415, _("Unsupported Content-Type"),
     _("Send Content-Type: application/json.")),
    ("server_error", 500, _("The platform failed"),
     _("Retry later with the same Idempotency-Key; if it persists, quote the instance id to "
       "support.")),
    ("error", 400, _("Other request error"),
     _("Read the detail; it says what to change.")),
])

_IDEMPOTENCY = _codes(ErrorGroup.IDEMPOTENCY, [
    ("invalid_idempotency_key", 400, _("Invalid Idempotency-Key"),
     _("Send a key of 1 to 255 characters, unique per distinct request: a random UUID is best.")),
    ("idempotency_in_flight", 409, _("The first request with this key is still running"),
     _("Wait a moment and retry with the same key and body: you will get its response.")),
    ("idempotency_key_reused", 422, _("Idempotency-Key reused with another body"),
     _("Use a new key for a new request; reuse a key only to retry the identical request.")),
])

_CONFLICT = _codes(ErrorGroup.CONFLICT, [
    ("illegal_transition", 409, _("This state change is not allowed"),
     _("Read the object's current state (GET it) and follow the allowed transitions in the "
       "API reference.")),
    ("domain_error", 409, _("A business rule refused the action"),
     _("Read the detail for the rule that applies.")),
    ("already_in_team", 409, _("Already in a team"),
     _("A person belongs to one service provider; leave the other team first.")),
    ("already_member", 409, _("Already a member"),
     _("The person is already on the team; change their role instead.")),
    ("already_linked", 409, _("Already linked to the merchant"),
     _("Nothing to do: the person already acts for this merchant.")),
    ("already_subscribed", 409, _("Already subscribed"),
     _("The app already holds a subscription to this pack; read its state instead.")),
    ("authorization_not_active", 409, _("Authorization not active"),
     _("The authorization was revoked or expired; ask the merchant to authorize again.")),
    ("bill_not_ready", 409, _("The statement is not ready"),
     _("The day is not closed yet; retry after 01:00 the next day.")),
    ("buyer_balance_insufficient", 409, _("The buyer's balance is not enough"),
     _("Ask the buyer to pay another way or with a smaller amount.")),
    ("deadline_passed", 409, _("The rectification deadline has passed"),
     _("Evidence can no longer be sent for this order; it escalates. Contact the platform "
       "through the governance notice.")),
    ("endpoint_disabled", 409, _("The webhook endpoint is disabled"),
     _("Enable the endpoint before sending it a test event.")),
    ("external_id_conflict", 409, _("external_id already used"),
     _("Another merchant of yours has this external_id; use a new one or update that "
       "merchant.")),
    ("insufficient_funds", 409, _("Insufficient funds"),
     _("The account does not hold enough to cover this movement; check the amount.")),
    ("invitation_accepted", 409, _("Invitation already accepted"),
     _("Sign in: the invitation was used.")),
    ("invitation_expired", 409, _("Invitation expired"),
     _("Ask the team for a new invitation.")),
    ("invitation_other_address", 409, _("Invitation for another address"),
     _("Sign in with the address the invitation was sent to.")),
    ("invitation_revoked", 409, _("Invitation withdrawn"),
     _("Ask the team for a new invitation.")),
    ("isv_not_active", 409, _("Your service provider is not active"),
     _("Wait for the registration's approval, or resolve the governance measure on it.")),
    ("last_owner", 409, _("The last owner cannot leave"),
     _("Make someone else an owner first.")),
    ("merchant_not_active", 409, _("The merchant is not active"),
     _("Only an active merchant can authorize apps or be sent an authorization link; finish "
       "its onboarding first.")),
    ("merchant_not_editable", 409, _("The merchant cannot be edited now"),
     _("A merchant is edited as a draft or while rectifying; submitted and active merchants "
       "are read-only.")),
    ("no_endpoint", 409, _("No webhook endpoint wants this event"),
     _("Add or enable a webhook endpoint subscribed to this event type.")),
    ("not_a_rectification", 409, _("Not a rectification order"),
     _("Evidence answers rectification orders only; other measures need no answer.")),
    ("not_a_warning", 409, _("Not a warning"),
     _("Only warnings are acknowledged.")),
    ("not_applicable", 409, _("Not applicable to this target"),
     _("Read the detail: the measure does not apply to this kind of target.")),
    ("not_sandbox", 403, _("Sandbox only"),
     _("Simulating a payment works for sandbox apps only; in production the buyer pays.")),
    ("nothing_to_reinstate", 409, _("Nothing to reinstate"),
     _("The target is neither suspended nor restricted.")),
    ("out_refund_no_conflict", 409, _("out_refund_no already used"),
     _("Use a new refund number, or retry with the same Idempotency-Key and body.")),
    ("out_trade_no_conflict", 409, _("out_trade_no already used"),
     _("Use a new order number, or retry with the same Idempotency-Key and body.")),
    ("pack_not_in_solution", 409, _("The pack is not in this solution"),
     _("Subscribe to the pack directly, or to a solution that contains it.")),
    ("refund_exceeds_paid", 409, _("Refund larger than what is left"),
     _("Refund at most the paid amount minus what was already refunded.")),
    ("registration_not_editable", 409, _("The registration cannot be corrected now"),
     _("Only a rejected registration can be corrected.")),
    ("review_required", 409, _("Production apps go live through review"),
     _("Submit the production app for review.")),
    ("sandbox_needs_no_review", 409, _("Sandbox apps need no review"),
     _("Take the sandbox app live directly.")),
    ("trade_expired", 409, _("The trade has expired"),
     _("Create a new trade.")),
    ("trade_not_paid", 409, _("The trade is not paid"),
     _("Refunds and settlement need a paid trade; query it first.")),
    ("uscc_already_live", 409, _("USCC already used by a live merchant"),
     _("This company is already onboarded; ask the merchant to authorize your app instead.")),
    ("verification_expired", 409, _("Verification link expired"),
     _("Ask for a new verification email.")),
    ("verification_invalid", 409, _("Verification link invalid"),
     _("Open the latest verification email, or ask for a new one.")),
    ("webhook_url_refused", 409, _("Webhook URL refused"),
     _("Use a public https URL; private, loopback and link-local addresses are refused.")),
])

_FIELD = _codes(ErrorGroup.FIELD, [
    ("required", 400, _("Required"), _("Send the field; it may not be empty.")),
    ("null", 400, _("May not be null"), _("Send a value instead of null.")),
    ("blank", 400, _("May not be blank"), _("Send a non-empty value.")),
    ("invalid", 400, _("Invalid value"), _("Send a value of the documented type and format.")),
    ("invalid_choice", 400, _("Not one of the choices"),
     _("Send one of the values the API reference lists for the field.")),
    ("max_length", 400, _("Too long"), _("Shorten the value to the documented maximum.")),
    ("min_length", 400, _("Too short"), _("Lengthen the value to the documented minimum.")),
    ("max_value", 400, _("Too large"), _("Send a smaller number.")),
    ("min_value", 400, _("Too small"), _("Send a larger number.")),
    ("empty", 400, _("Empty list"), _("Send at least one item.")),
    ("not_a_list", 400, _("Not a list"), _("Send a JSON array.")),
    ("does_not_exist", 400, _("Unknown reference"),
     _("Send the id or code of an existing object of yours.")),
    ("incorrect_type", 400, _("Wrong type"), _("Send the type the API reference documents.")),
    ("unique", 400, _("Already exists"), _("Use a value not taken yet.")),
    ("unknown_field", 400, _("Unknown field"),
     _("Remove the field: the API refuses fields it does not know, so typos are not ignored.")),
    ("uscc_length", 400, _("USCC has the wrong length"),
     _("A unified social credit code has exactly 18 characters.")),
    ("uscc_charset", 400, _("USCC has invalid characters"),
     _("Use digits and upper-case letters except I, O, S, V and Z.")),
    ("uscc_checksum", 400, _("USCC check character wrong"),
     _("Copy the code again from the business licence; a character is mistyped.")),
    ("uscc_already_live", 400, _("USCC already used by a live merchant"),
     _("This company is already onboarded; ask the merchant to authorize your app instead.")),
    ("uscc_taken", 400, _("USCC already registered"),
     _("This company already has a service provider account; ask its owner to invite you.")),
    ("id_number_length", 400, _("ID number has the wrong length"),
     _("A resident ID number has 18 characters.")),
    ("id_number_format", 400, _("ID number badly formed"),
     _("Use 17 digits followed by a digit or X.")),
    ("id_number_birth_date", 400, _("ID number has an impossible birth date"),
     _("Copy the number again from the ID card.")),
    ("id_number_checksum", 400, _("ID number check digit wrong"),
     _("Copy the number again from the ID card; a digit is mistyped.")),
    ("bank_card_length", 400, _("Bank account has the wrong length"),
     _("Send 12 to 19 digits.")),
    ("bank_card_format", 400, _("Bank account badly formed"), _("Send digits only.")),
    ("bank_card_checksum", 400, _("Bank card check digit wrong"),
     _("Copy the number again; a digit is mistyped.")),
    ("phone_format", 400, _("Phone number badly formed"),
     _("Send an 11-digit mainland mobile number.")),
    ("domain_format", 400, _("Domain badly formed"),
     _("Send a host name such as shop.example.com.")),
    ("mcc_format", 400, _("MCC badly formed"), _("Send a four-digit merchant category code.")),
    ("mcc_unknown", 400, _("Unknown MCC"),
     _("Send a merchant category code from the platform's list.")),
    ("external_id_taken", 400, _("external_id already used"),
     _("Another merchant of yours has this external_id; use a new one.")),
    ("pack_not_subscribed", 400, _("The app is not subscribed to the pack"),
     _("Name only packs the app holds an active subscription to.")),
    ("pack_or_solution", 400, _("Name a pack or a solution"),
     _("Send exactly one of pack and solution.")),
    ("redirect_uri_not_registered", 400, _("Redirect URI not registered"),
     _("Use one of the app's registered redirect URIs.")),
    ("redirect_uri_scheme", 400, _("Redirect URI must use https"),
     _("Use https; a sandbox app may also use http on 127.0.0.1 or localhost.")),
    ("invalid_event_types", 400, _("Unknown event types"),
     _("Use event types from the event catalogue, or [\"*\"] for all.")),
    ("webhook_url_refused", 400, _("Webhook URL refused"),
     _("Use a public https URL; private, loopback and link-local addresses are refused.")),
    ("deadline_in_past", 400, _("Deadline in the past"), _("Choose a future date and time.")),
    ("amount_not_positive", 400, _("Amount not positive"),
     _("Send the amount in fen as a positive integer.")),
    ("amount_over_limit", 400, _("Amount over the limit"),
     _("Send at most the maximum amount the API reference documents.")),
    ("invalid_payment_code", 400, _("Unknown or expired payment code"),
     _("Ask the buyer to refresh the payment code and scan it again.")),
    ("file_type", 400, _("Unsupported file type"), _("Send a PDF, JPEG or PNG file.")),
    ("too_large", 400, _("File too large"), _("Send a file under the documented size limit.")),
    ("licence_file_type", 400, _("Unsupported licence file"),
     _("Upload the licence as a PDF, JPEG or PNG file.")),
    ("licence_too_large", 400, _("Licence file too large"),
     _("Compress the scan or photo below the limit.")),
    ("merchant_not_allowed", 400, _("No merchant for a company ISV"),
     _("Only a merchant developing for itself names a merchant.")),
    ("merchant_required", 400, _("Merchant required"),
     _("Name the merchant this developer account acts for.")),
    ("merchant_not_yours", 400, _("Not your merchant"),
     _("Name a merchant you act for.")),
    ("merchant_taken", 400, _("Merchant already has a developer account"),
     _("Ask the owner of that account to invite you.")),
    ("already_member", 400, _("Already a member"),
     _("The person is already on the team.")),
    ("invalid_overlap", 400, _("Overlap out of range"),
     _("Choose how long the previous client secret keeps working: 0 to the documented maximum "
       "of hours.")),
    ("entry_exists", 400, _("Negative-list entry exists"),
     _("The negative list already holds this value; edit that entry instead.")),
    ("packs_required", 400, _("Name the packs"),
     _("A restriction names at least one function pack.")),
])

ERROR_CODES: dict[str, ErrorCode] = {
    error.code: error for error in [*_ACCESS, *_REQUEST, *_IDEMPOTENCY, *_CONFLICT]}
FIELD_ERROR_CODES: dict[str, ErrorCode] = {error.code: error for error in _FIELD}


def catalogue() -> list[tuple[ErrorGroup, list[ErrorCode]]]:
    """The codes by group, in the order the docs page shows them."""
    every = [*ERROR_CODES.values(), *FIELD_ERROR_CODES.values()]
    return [(group, [error for error in every if error.group == group]) for group in ErrorGroup]
