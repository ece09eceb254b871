import uuid
from pathlib import PurePath
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractApplication

from isv.choices import (
    OPEN_SUBSCRIPTION_STATES,
    AppEnvironment,
    AppState,
    InvitationState,
    IsvKind,
    IsvState,
    MemberRole,
    SubscriptionState,
)
from openplatform.data.validators import validate_mobile_phone, validate_uscc
from openplatform.models import TimeStampedModel, choices_check


def licence_upload_to(instance: "Isv", filename: str) -> str:
    """A random name: the uploader's file name says nothing, and no one can guess another's."""
    return f"isv/licences/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class IsvQuerySet(models.QuerySet):
    def for_user(self, user) -> "IsvQuerySet":
        """The ISVs ``user`` is a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(members__user=user)


class Isv(TimeStampedModel):
    """A service provider (服务商), or a merchant that is its own developer (kind ``self``)."""

    name = models.CharField(_("company name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc]
    )
    kind = models.CharField(_("kind"), max_length=16, choices=IsvKind.choices,
                            default=IsvKind.COMPANY)
    # Set only for kind "self": the merchant this developer account acts for.
    merchant = models.OneToOneField(
        "merchants.Merchant", on_delete=models.PROTECT, null=True, blank=True,
        related_name="developer_account", verbose_name=_("own merchant"),
    )
    legal_representative = models.CharField(_("legal representative"), max_length=100)
    contact_name = models.CharField(_("contact name"), max_length=100)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, validators=[validate_mobile_phone]
    )
    business_licence = models.FileField(
        _("business licence"), upload_to=licence_upload_to, blank=True
    )
    state = models.CharField(_("state"), max_length=20, choices=IsvState.choices,
                             default=IsvState.PENDING_REVIEW, db_index=True)
    rejection_reason = models.TextField(_("rejection reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    objects = IsvQuerySet.as_manager()

    class Meta:
        verbose_name = _("ISV")
        verbose_name_plural = _("ISVs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=choices_check("state", IsvState),
                                   name="isv_state_valid"),
            models.CheckConstraint(condition=choices_check("kind", IsvKind),
                                   name="isv_kind_valid"),
            # A self-developer is tied to its merchant; a company is not.
            models.CheckConstraint(
                condition=models.Q(kind=IsvKind.SELF, merchant__isnull=False)
                | models.Q(kind=IsvKind.COMPANY, merchant__isnull=True),
                name="isv_self_kind_has_merchant",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=IsvState.REJECTED) | ~models.Q(rejection_reason=""),
                name="isv_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_operational(self) -> bool:
        """Whether the ISV's apps may be used at all."""
        return self.state in (IsvState.ACTIVE, IsvState.RESTRICTED)

    def gate_subjects(self) -> list[tuple[type[models.Model], int]]:
        """What a change of this row makes stale in the capability gate's cache."""
        return [(Isv, self.pk)]

    def notification_emails(self) -> list[str]:
        """Where the platform writes about the ISV's operations: its contact address and its
        owners' and administrators'."""
        addresses = {self.contact_email, *self.members.filter(
            role__in=[MemberRole.OWNER, MemberRole.ADMIN]).values_list("user__email", flat=True)}
        return sorted(address for address in addresses if address)


class IsvMember(TimeStampedModel):
    isv = models.ForeignKey(Isv, on_delete=models.CASCADE, related_name="members",
                            verbose_name=_("ISV"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="isv_memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("invited by"),
    )

    class Meta:
        verbose_name = _("ISV member")
        verbose_name_plural = _("ISV members")
        constraints = [
            models.UniqueConstraint(fields=["isv", "user"], name="isv_member_unique"),
            models.CheckConstraint(condition=choices_check("role", MemberRole),
                                   name="isv_member_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.isv} ({self.get_role_display()})"


class Invitation(TimeStampedModel):
    """An invitation, mailed to ``email``, to join an ISV's team with ``role``."""

    isv = models.ForeignKey(Isv, on_delete=models.CASCADE, related_name="invitations",
                            verbose_name=_("ISV"))
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    state = models.CharField(_("state"), max_length=16, choices=InvitationState.choices,
                             default=InvitationState.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("invited by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("accepted by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=choices_check("role", MemberRole),
                                   name="isv_invitation_role_valid"),
            models.CheckConstraint(condition=choices_check("state", InvitationState),
                                   name="isv_invitation_state_valid"),
            # Inviting the same address again replaces the pending invitation.
            models.UniqueConstraint(fields=["isv", "email"],
                                    condition=models.Q(state=InvitationState.PENDING),
                                    name="isv_invitation_one_pending_per_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.isv} ({self.get_role_display()})"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_open(self) -> bool:
        return self.state == InvitationState.PENDING and not self.is_expired


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


class AppQuerySet(models.QuerySet):
    def for_isv(self, isv: Isv) -> "AppQuerySet":
        return self.filter(isv=isv)


class App(AbstractApplication):
    """An ISV's application, which is also its OAuth 2.0 client.

    It is ``OAUTH2_PROVIDER_APPLICATION_MODEL``, swapped in before the first migration.

    DOT's ``created``/``updated`` columns serve as this model's timestamps.
    """

    isv = models.ForeignKey(Isv, on_delete=models.PROTECT, related_name="apps",
                            verbose_name=_("ISV"))
    description = models.TextField(_("description"), blank=True)
    environment = models.CharField(_("environment"), max_length=16,
                                   choices=AppEnvironment.choices,
                                   default=AppEnvironment.SANDBOX)
    state = models.CharField(_("state"), max_length=16, choices=AppState.choices,
                             default=AppState.DEVELOPING, db_index=True)
    # After a rotation the replaced secret (hashed, as DOT stores client_secret) still
    # authenticates the client until it expires, so deployed systems can switch over.
    previous_client_secret = models.CharField(_("previous client secret (hashed)"),
                                              max_length=255, blank=True)
    previous_client_secret_expires_at = models.DateTimeField(
        _("previous client secret valid until"), null=True, blank=True)
    # The sandbox app the platform creates when it approves the ISV (isv_provision_sandbox).
    provisioned_on_approval = models.BooleanField(_("created on approval"), default=False)

    objects = AppQuerySet.as_manager()

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
        verbose_name = _("app")
        verbose_name_plural = _("apps")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(condition=choices_check("state", AppState),
                                   name="app_state_valid"),
            models.CheckConstraint(condition=choices_check("environment", AppEnvironment),
                                   name="app_environment_valid"),
        ]

    def __str__(self) -> str:
        return self.name or self.client_id

    @property
    def created_at(self):
        return self.created

    @property
    def updated_at(self):
        return self.updated

    @property
    def is_sandbox(self) -> bool:
        return self.environment == AppEnvironment.SANDBOX

    @property
    def previous_client_secret_in_force(self) -> bool:
        """A rotation's overlap is running: the replaced secret is still accepted."""
        expires_at = self.previous_client_secret_expires_at
        return bool(self.previous_client_secret and expires_at and expires_at > timezone.now())

    def permits_redirect_uri(self, uri: str) -> bool:
        """https only; a sandbox app may also use http on the loopback interface (RFC 8252)."""
        parts = urlsplit(uri)
        if parts.scheme == "https":
            return True
        return parts.scheme == "http" and self.is_sandbox and parts.hostname in LOOPBACK_HOSTS

    def is_usable(self, request) -> bool:
        # DOT asks before issuing tokens: a suspended app, or an ISV that may not operate,
        # gets none.
        return self.state != AppState.SUSPENDED and self.isv.is_operational

    def allows_grant_type(self, *grant_types: str) -> bool:
        # One app acts as itself (client credentials) and for merchants (authorization code).
        allowed = {self.GRANT_AUTHORIZATION_CODE, self.GRANT_CLIENT_CREDENTIALS}
        return bool(allowed.intersection(grant_types))

    def gate_subjects(self) -> list[tuple[type[models.Model], int]]:
        return [(App, self.pk)]


class Subscription(TimeStampedModel):
    """An app's subscription to a function pack."""

    app = models.ForeignKey(App, on_delete=models.CASCADE, related_name="subscriptions",
                            verbose_name=_("app"))
    pack = models.ForeignKey("capabilities.FunctionPack", on_delete=models.PROTECT,
                             related_name="subscriptions", verbose_name=_("function pack"))
    # Set when the subscription came with an industry solution.
    solution = models.ForeignKey("capabilities.IndustrySolution", on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="subscriptions",
                                 verbose_name=_("industry solution"))
    state = models.CharField(_("state"), max_length=20, choices=SubscriptionState.choices,
                             default=SubscriptionState.PENDING_REVIEW, db_index=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    daily_quota_override = models.PositiveIntegerField(_("calls per day (override)"),
                                                       null=True, blank=True)
    per_second_quota_override = models.PositiveIntegerField(_("calls per second (override)"),
                                                            null=True, blank=True)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=choices_check("state", SubscriptionState),
                                   name="subscription_state_valid"),
            models.UniqueConstraint(
                fields=["app", "pack"],
                condition=models.Q(state__in=OPEN_SUBSCRIPTION_STATES),
                name="subscription_one_open_per_app_pack",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=SubscriptionState.REJECTED) | ~models.Q(reason=""),
                name="subscription_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.app} → {self.pack.code} ({self.get_state_display()})"

    def gate_subjects(self) -> list[tuple[type[models.Model], int]]:
        # Decisions depend on the app's set of subscriptions, including ones not yet there.
        return [(App, self.app_id)]

    @property
    def daily_quota(self) -> int:
        return self.daily_quota_override or self.pack.default_daily_quota

    @property
    def per_second_quota(self) -> int:
        return self.per_second_quota_override or self.pack.default_per_second_quota
