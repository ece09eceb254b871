from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from governance.choices import (
    ActionKind,
    ActionState,
    EntryCategory,
    EntryKind,
    TargetType,
)
from openplatform.models import TimeStampedModel, choices_check


class NegativeListEntry(TimeStampedModel):
    """One entry of the negative list (负面清单).

    ``value`` is the normalised value, or for ID numbers and bank accounts its keyed digest;
    ``display_value`` is what staff see (the masked form for digests).
    """

    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    value = models.CharField(_("value"), max_length=255)
    display_value = models.CharField(_("shown as"), max_length=255)
    category = models.CharField(_("category"), max_length=16, choices=EntryCategory.choices)
    source = models.CharField(_("source"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("created by"))

    class Meta:
        verbose_name = _("negative list entry")
        verbose_name_plural = _("negative list")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="negative_entry_unique"),
            models.CheckConstraint(condition=choices_check("kind", EntryKind),
                                   name="negative_entry_kind_valid"),
            models.CheckConstraint(condition=choices_check("category", EntryCategory),
                                   name="negative_entry_category_valid"),
            models.CheckConstraint(condition=~models.Q(value=""),
                                   name="negative_entry_value_present"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display_value} ({self.get_category_display()})"


class GovernanceAction(TimeStampedModel):
    """A warning, rectification order, restriction, suspension, clear-out or reinstatement."""

    target_type = models.CharField(_("target type"), max_length=16, choices=TargetType.choices)
    isv = models.ForeignKey("isv.Isv", on_delete=models.PROTECT, null=True, blank=True,
                            related_name="governance_actions", verbose_name=_("ISV"))
    app = models.ForeignKey("isv.App", on_delete=models.PROTECT, null=True, blank=True,
                            related_name="governance_actions", verbose_name=_("app"))
    merchant = models.ForeignKey("merchants.Merchant", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="governance_actions",
                                 verbose_name=_("merchant"))
    kind = models.CharField(_("kind"), max_length=16, choices=ActionKind.choices)
    reason_code = models.CharField(_("reason code"), max_length=64)
    reason = models.TextField(_("reason"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    evidence_required = models.TextField(_("evidence required"), blank=True)
    statement = models.TextField(_("statement by the ISV"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="governance/evidence/", blank=True)
    restricted_packs = models.ManyToManyField("capabilities.FunctionPack", blank=True,
                                              related_name="restrictions",
                                              verbose_name=_("restricted packs"))
    state = models.CharField(_("state"), max_length=20, choices=ActionState.choices,
                             default=ActionState.OPEN, db_index=True)
    decision_note = models.TextField(_("staff decision"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("issued by"))
    # Rectification orders that escalated point at the suspension they opened.
    escalated_to = models.OneToOneField("self", on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="escalated_from",
                                        verbose_name=_("escalated to"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("governance action")
        verbose_name_plural = _("governance actions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=choices_check("kind", ActionKind),
                                   name="governance_action_kind_valid"),
            models.CheckConstraint(condition=choices_check("state", ActionState),
                                   name="governance_action_state_valid"),
            # Exactly the foreign key named by target_type is set.
            models.CheckConstraint(
                condition=(
                    models.Q(target_type=TargetType.ISV, isv__isnull=False, app__isnull=True,
                             merchant__isnull=True)
                    | models.Q(target_type=TargetType.APP, isv__isnull=True, app__isnull=False,
                               merchant__isnull=True)
                    | models.Q(target_type=TargetType.MERCHANT, isv__isnull=True,
                               app__isnull=True, merchant__isnull=False)
                ),
                name="governance_action_one_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ActionKind.RECTIFY) | models.Q(deadline__isnull=False),
                name="governance_rectify_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.target}"

    @property
    def target(self):
        return {TargetType.ISV: self.isv, TargetType.APP: self.app,
                TargetType.MERCHANT: self.merchant}[self.target_type]

    def gate_subjects(self) -> list[tuple[type[models.Model], int | None]]:
        """A measure on an ISV, app or merchant changes what the gate lets through for it."""
        return [(field.related_model, getattr(self, field.attname))
                for field in (self._meta.get_field(name) for name in ("isv", "app", "merchant"))]
