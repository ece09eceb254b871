"""The event type registry over the API: public, like the catalog."""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from openplatform.events import registry
from openplatform.events.api.serializers import EventTypeSerializer


class EventTypeListView(APIView):
    """The event type registry: public, like the catalog."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(tags=["events"], summary="List the event types",
                   description="Every event type the platform sends, with the fields of its "
                               "data.",
                   responses={200: EventTypeSerializer(many=True)}, auth=[])
    def get(self, request):
        return Response(EventTypeSerializer(registry.event_types().values(), many=True).data)
