from django.contrib import admin

from openplatform.jobs.models import Job
from openplatform.web.admin import ReadOnlyAdmin


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "kind", "isv", "state", "done", "total", "finished_at")
    list_filter = ("kind", "state")
    search_fields = ("isv__name", "message")
    list_select_related = ("isv",)
