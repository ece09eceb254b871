"""The outbox, read-only: what each ISV was (or will be) told, in order."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from openplatform.admin_helpers import ReadOnlyAdmin, pretty_json
from openplatform.events.models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "type", "isv", "app", "id")
    list_filter = ("type", "created_at")
    search_fields = ("type", "isv__name", "isv__uscc", "app__name", "app__client_id")
    date_hierarchy = "created_at"
    list_select_related = ("isv", "app")
    show_full_result_count = False
    fields = ("id", "type", "isv", "app", "created_at", "payload_json")
    readonly_fields = ("payload_json",)

    @admin.display(description=_("payload"))
    def payload_json(self, obj):
        return pretty_json(obj.payload)
