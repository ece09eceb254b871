from django.urls import path

from tests.plugin_capability.views import ping_page

urlpatterns = [path("ping/", ping_page, name="ping")]
