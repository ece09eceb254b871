from django.db import transaction
from django.shortcuts import render
from rest_framework.response import Response

from isv.access import portal_view
from isv.models import App
from openplatform.api.views import CapabilityAPIView
from openplatform.errors import DomainError
from openplatform.events.services import event_emit
from tests.plugin_capability.plugin import PingError


class EchoView(CapabilityAPIView):
    capability = "ping.echo.query"

    def get(self, request):
        text = request.query_params.get("text", "")
        if len(text) > 20:
            raise DomainError("Too long.", code=PingError.PING_TEXT_TOO_LONG)
        app = App.objects.select_related("isv").get(pk=request.gate.app_id)
        with transaction.atomic():
            event_emit(type="ping.echoed", isv=app.isv, app=app, data={"text": text})
        return Response({"merchant_id": request.gate.merchant_id, "text": text})


@portal_view()
def ping_page(request):
    return render(request, "plugin_capability/ping.html")
