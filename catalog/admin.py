"""The catalog in the governance console. Entries the capability plugins (and the planned
catalog) declare are synced from them after every migrate (``catalog.sync``); staff may add
their own. A capability's status is never edited: it is available exactly when a plugin
serves it."""

from django.contrib import admin

from catalog.models import Capability, FunctionPack, IndustrySolution


@admin.register(Capability)
class CapabilityAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_zh", "layer", "status", "updated_at")
    list_filter = ("layer", "status", "created_at")
    search_fields = ("code", "name", "name_zh")
    ordering = ("code",)
    readonly_fields = ("status", "created_at", "updated_at")
    fields = ("code", "layer", "status", "name", "name_zh", "description", "description_zh",
              "created_at", "updated_at")


@admin.register(FunctionPack)
class FunctionPackAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_zh", "layer", "requires_review",
                    "default_daily_quota", "default_per_second_quota")
    list_filter = ("layer", "requires_review", "created_at")
    search_fields = ("code", "name", "name_zh")
    ordering = ("layer", "code")
    filter_horizontal = ("capabilities",)
    readonly_fields = ("created_at", "updated_at")
    fields = ("code", "layer", "name", "name_zh", "description", "description_zh",
              "requires_review", "default_daily_quota", "default_per_second_quota",
              "capabilities", "created_at", "updated_at")


@admin.register(IndustrySolution)
class IndustrySolutionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_zh", "industry")
    list_filter = ("industry", "created_at")
    search_fields = ("code", "name", "name_zh")
    ordering = ("code",)
    filter_horizontal = ("packs",)
    readonly_fields = ("created_at", "updated_at")
    fields = ("code", "industry", "name", "name_zh", "description", "description_zh", "packs",
              "created_at", "updated_at")
