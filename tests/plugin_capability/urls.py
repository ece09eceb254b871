from django.urls import path

from tests.plugin_capability.views import EchoView

urlpatterns = [path("echo", EchoView.as_view(), name="ping-echo")]
