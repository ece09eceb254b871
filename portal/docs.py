"""Developer docs: the quickstart (with the developer's own sandbox client id), the event
catalogue, and the public error-code catalogue that problem+json ``type`` URLs point at.

The quickstart's commands are rendered from the templates with the site's own address, so a
developer can paste them as they are; a browser test runs them against a live server.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from isv.access import portal_view
from isv.choices import AppEnvironment
from isv.models import App, Isv
from isv.scopes import ISV_SCOPES
from isv.selectors import apps_for_isv
from openplatform.errors import catalogue
from openplatform.events import registry, signing

# The capability the quickstart calls for a merchant, and the pack that holds it.
QUICKSTART_CAPABILITY = "merchant.info.query"
QUICKSTART_PACK = "merchant_basics"
PLACEHOLDER_REDIRECT_URI = "https://example.com/callback"

# Shown as it is on the quickstart page; tests/portal/test_docs.py runs it against a signature
# made by openplatform.events.signing, so it cannot drift from what the platform sends.
HMAC_VERIFY_SNIPPET = f'''import base64
import hashlib
import hmac
import time

SECRET = "whsec_..."  # the endpoint's signing secret, shown when you created the endpoint
TOLERANCE_SECONDS = 5 * 60


def verify(body: bytes, headers) -> bool:
    """True when the request comes from the platform and is fresh."""
    message_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        return False  # too old (or from the future): maybe a replay
    key = base64.b64decode(SECRET.removeprefix("{signing.SECRET_PREFIX}"))
    signed = f"{{message_id}}.{{timestamp}}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # While a secret rotates the header carries one signature per secret: any may match.
    for candidate in headers["webhook-signature"].split():
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False
'''

STANDARD_WEBHOOKS_SNIPPET = '''# pip install standardwebhooks
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

webhook = Webhook("whsec_...")  # the endpoint's signing secret


def receive(request):  # a Django view; any framework gives you the raw body and headers
    try:
        event = webhook.verify(request.body, request.headers)
    except WebhookVerificationError:
        return HttpResponse(status=400)
    handle(event["type"], event["data"])  # answer 2xx quickly; work in the background
    return HttpResponse(status=204)
'''


def sandbox_app_for(isv: Isv) -> App | None:
    """The ISV's first sandbox app: the one the quickstart is written for."""
    return (apps_for_isv(isv=isv).filter(environment=AppEnvironment.SANDBOX)
            .order_by("created", "id").first())


@require_GET
@portal_view()
def quickstart(request: HttpRequest) -> HttpResponse:
    app = sandbox_app_for(request.portal.isv)
    redirect_uris = app.redirect_uris.split() if app else []
    return render(request, "portal/docs/quickstart.html", {
        "app": app,
        "base_url": request.build_absolute_uri("/").rstrip("/"),
        "redirect_uri": redirect_uris[0] if redirect_uris else PLACEHOLDER_REDIRECT_URI,
        "redirect_uri_registered": bool(redirect_uris),
        "isv_scopes": " ".join(ISV_SCOPES),
        "capability": QUICKSTART_CAPABILITY,
        "pack": QUICKSTART_PACK,
        "hmac_snippet": HMAC_VERIFY_SNIPPET,
        "standard_webhooks_snippet": STANDARD_WEBHOOKS_SNIPPET,
    })


def event_catalogue() -> list[dict]:
    """Event types grouped by their payload shape, each group with its payload's fields."""
    groups: dict[str, list] = {}
    for event_type in registry.event_types().values():
        groups.setdefault(event_type.payload, []).append(event_type)
    payloads = registry.payloads()
    return [{"payload": payload, "fields": payloads[payload], "types": types}
            for payload, types in groups.items()]


@require_GET
@portal_view()
def events(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/docs/events.html", {"groups": event_catalogue()})


@require_GET
def errors(request: HttpRequest) -> HttpResponse:
    """Public: every error code with its status and fix, one anchor per code."""
    return render(request, "docs/errors.html", {"groups": catalogue()})
