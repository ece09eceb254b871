from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AccessToken

from merchants.choices import (
    LIVE_MERCHANT_STATES,
    AuthorizationState,
    MerchantState,
    MerchantUserRole,
    StoreState,
)
from openplatform.data import pii, text
from openplatform.data.validators import validate_mcc, validate_mobile_phone, validate_uscc
from openplatform.models import TimeStampedModel, choices_check


class MerchantQuerySet(models.QuerySet):
    def visible_to(self, isv) -> "MerchantQuerySet":
        """The merchants an ISV onboarded: the only ones its people and apps may see."""
        return self.filter(isv=isv)

    def live(self) -> "MerchantQuerySet":
        return self.filter(state__in=LIVE_MERCHANT_STATES)


class Merchant(TimeStampedModel):
    """A merchant (商户) onboarded by an ISV.

    The legal representative's ID number and the settlement account are personal data: each is
    kept as ciphertext, a keyed digest for exact matching (negative list, duplicates) and a
    masked form for display. The clear value exists only while a service seals it.
    """

    isv = models.ForeignKey("isv.Isv", on_delete=models.PROTECT, related_name="merchants",
                            verbose_name=_("onboarding ISV"))
    external_id = models.CharField(
        _("external ID"), max_length=64,
        help_text=_("The ISV's own identifier for this merchant; unique per ISV."),
    )
    legal_name = models.CharField(_("legal name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60)
    uscc = models.CharField(_("unified social credit code"), max_length=18, db_index=True,
                            validators=[validate_uscc])
    legal_rep_name = models.CharField(_("legal representative name"), max_length=100)
    legal_rep_id_number_ciphertext = models.TextField(
        _("legal representative ID number (encrypted)"), editable=False)
    legal_rep_id_number_digest = models.CharField(
        _("legal representative ID number (keyed digest)"), max_length=64, db_index=True,
        editable=False)
    legal_rep_id_number_masked = models.CharField(
        _("legal representative ID number"), max_length=32, editable=False)
    settlement_account_name = models.CharField(_("settlement account name"), max_length=200)
    settlement_bank_name = models.CharField(_("settlement bank"), max_length=100)
    settlement_account_ciphertext = models.TextField(
        _("settlement account (encrypted)"), editable=False)
    settlement_account_digest = models.CharField(
        _("settlement account (keyed digest)"), max_length=64, db_index=True, editable=False)
    settlement_account_masked = models.CharField(
        _("settlement account"), max_length=32, editable=False)
    contact_phone = models.CharField(_("contact phone"), max_length=20, db_index=True,
                                     validators=[validate_mobile_phone])
    contact_email = models.EmailField(_("contact email"), blank=True)
    mcc = models.CharField(_("merchant category code (MCC)"), max_length=4, db_index=True,
                           validators=[validate_mcc])
    address = models.CharField(_("address"), max_length=300)
    business_scope = models.TextField(_("business scope"))
    website = models.CharField(_("website domain"), max_length=253, blank=True, db_index=True)
    # Matched against negative-list keywords: PostgreSQL indexes it by trigrams (migration 0004)
    # so that a new keyword finds its candidates without reading every merchant.
    screening_text = models.TextField(
        _("screening text"), blank=True, editable=False,
        help_text=_("The legal name, short name and business scope in the form negative-list "
                    "keywords are matched in; kept up to date by the merchant services."),
    )
    state = models.CharField(_("state"), max_length=20, choices=MerchantState.choices,
                             default=MerchantState.DRAFT, db_index=True)
    rejection_reason_code = models.CharField(_("rejection reason code"), max_length=64,
                                             blank=True)
    rejection_reason_message = models.TextField(_("rejection reason"), blank=True)
    rectification_deadline = models.DateTimeField(_("rectification deadline"), null=True,
                                                  blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)

    objects = MerchantQuerySet.as_manager()

    class Meta:
        verbose_name = _("merchant")
        verbose_name_plural = _("merchants")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["isv", "external_id"],
                                    name="merchant_external_id_unique_per_isv"),
            models.UniqueConstraint(
                fields=["uscc"], condition=models.Q(state__in=LIVE_MERCHANT_STATES),
                name="merchant_uscc_unique_among_live",
            ),
            models.CheckConstraint(condition=choices_check("state", MerchantState),
                                   name="merchant_state_valid"),
            models.CheckConstraint(
                condition=~models.Q(state=MerchantState.REJECTED)
                | ~models.Q(rejection_reason_code=""),
                name="merchant_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=MerchantState.RECTIFYING)
                | models.Q(rectification_deadline__isnull=False),
                name="merchant_rectifying_has_deadline",
            ),
            # A row never exists with its personal data unsealed.
            models.CheckConstraint(
                condition=~models.Q(legal_rep_id_number_digest="")
                & ~models.Q(settlement_account_digest=""),
                name="merchant_pii_sealed",
            ),
        ]
        indexes = [models.Index(fields=["isv", "state", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.short_name} ({self.external_id})"

    def gate_subjects(self) -> list[tuple[type[models.Model], int]]:
        """What a change of this row makes stale in the capability gate's cache."""
        return [(Merchant, self.pk)]

    def seal_legal_rep_id_number(self, value: str) -> None:
        sealed = pii.seal_id_number(value)
        self.legal_rep_id_number_ciphertext = sealed.ciphertext
        self.legal_rep_id_number_digest = sealed.digest
        self.legal_rep_id_number_masked = sealed.masked

    def seal_settlement_account(self, value: str) -> None:
        sealed = pii.seal_bank_account(value)
        self.settlement_account_ciphertext = sealed.ciphertext
        self.settlement_account_digest = sealed.digest
        self.settlement_account_masked = sealed.masked

    def refresh_screening_text(self) -> None:
        """Derive ``screening_text`` from the names and the scope: the services call it whenever
        they set one of them."""
        self.screening_text = text.screening_text(
            legal_name=self.legal_name, short_name=self.short_name,
            business_scope=self.business_scope)

    def reveal_legal_rep_id_number(self) -> str:
        """The clear ID number: for the settlement and KYC back office only, never for display."""
        return pii.decrypt(self.legal_rep_id_number_ciphertext)

    def reveal_settlement_account(self) -> str:
        return pii.decrypt(self.settlement_account_ciphertext)

    @property
    def is_live(self) -> bool:
        return self.state in LIVE_MERCHANT_STATES


class Store(TimeStampedModel):
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="stores",
                                 verbose_name=_("merchant"))
    external_id = models.CharField(_("external store ID"), max_length=64)
    name = models.CharField(_("name"), max_length=120)
    city = models.CharField(_("city"), max_length=60)
    address = models.CharField(_("address"), max_length=300)
    state = models.CharField(_("state"), max_length=16, choices=StoreState.choices,
                             default=StoreState.OPEN)

    class Meta:
        verbose_name = _("store")
        verbose_name_plural = _("stores")
        ordering = ["merchant", "name"]
        constraints = [
            models.UniqueConstraint(fields=["merchant", "external_id"],
                                    name="store_external_id_unique_per_merchant"),
            models.CheckConstraint(condition=choices_check("state", StoreState),
                                   name="store_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.merchant.short_name} · {self.name}"

    def gate_subjects(self) -> list[tuple[type[models.Model], int]]:
        # A merchant's profile (merchant.info.query) lists its stores.
        return [(Merchant, self.merchant_id)]


class MerchantUser(TimeStampedModel):
    """A person who may authorize apps for a merchant (one person may act for several)."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="users",
                                 verbose_name=_("merchant"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="merchant_roles", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=16, choices=MerchantUserRole.choices,
                            default=MerchantUserRole.OWNER)

    class Meta:
        verbose_name = _("merchant user")
        verbose_name_plural = _("merchant users")
        constraints = [
            models.UniqueConstraint(fields=["merchant", "user"], name="merchant_user_unique"),
            models.CheckConstraint(condition=choices_check("role", MerchantUserRole),
                                   name="merchant_user_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.merchant.short_name}"


class Authorization(TimeStampedModel):
    """A merchant's grant of function packs to an app (Alipay's app_auth_token)."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE,
                                 related_name="authorizations", verbose_name=_("merchant"))
    app = models.ForeignKey("isv.App", on_delete=models.CASCADE, related_name="authorizations",
                            verbose_name=_("app"))
    packs = models.ManyToManyField("capabilities.FunctionPack", related_name="authorizations",
                                   verbose_name=_("packs granted"))
    state = models.CharField(_("state"), max_length=16, choices=AuthorizationState.choices,
                             default=AuthorizationState.ACTIVE, db_index=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("granted by"))
    granted_at = models.DateTimeField(_("granted at"))
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("revocation reason"), blank=True)

    class Meta:
        verbose_name = _("authorization")
        verbose_name_plural = _("authorizations")
        ordering = ["-granted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "app"],
                condition=models.Q(state=AuthorizationState.ACTIVE),
                name="authorization_one_active_per_merchant_app",
            ),
            models.CheckConstraint(condition=choices_check("state", AuthorizationState),
                                   name="authorization_state_valid"),
            models.CheckConstraint(
                condition=~models.Q(state=AuthorizationState.REVOKED)
                | models.Q(revoked_at__isnull=False),
                name="authorization_revoked_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.merchant.short_name} → {self.app} ({self.get_state_display()})"

    def gate_subjects(self) -> list[tuple[type[models.Model], int]]:
        return [(Authorization, self.pk)]


class AuthorizationToken(models.Model):
    """The merchant authorization an access token acts under.

    Tokens from the authorization-code grant act for one merchant; revoking the authorization
    (by the merchant, governance or a clear-out) deletes every token linked here at once.
    """

    access_token = models.OneToOneField(
        "oauth2_provider.AccessToken", on_delete=models.CASCADE,
        related_name="merchant_authorization", verbose_name=_("access token"))
    authorization = models.ForeignKey(Authorization, on_delete=models.CASCADE,
                                      related_name="tokens", verbose_name=_("authorization"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("authorization token")
        verbose_name_plural = _("authorization tokens")

    def __str__(self) -> str:
        return f"token {self.access_token_id} → authorization {self.authorization_id}"

    def gate_subjects(self) -> list[tuple[type[models.Model], int]]:
        # A decision is cached per access token: it dies with the token's link.
        return [(AccessToken, self.access_token_id)]
