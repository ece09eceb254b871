from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VerifiedEmail(models.Model):
    """Proof that a user received mail at ``email``: the verification link was opened.

    A user whose current address has no such row is unverified; changing the address
    therefore needs a new proof.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="verified_email", verbose_name=_("user"))
    email = models.EmailField(_("email address"))
    verified_at = models.DateTimeField(_("verified at"))

    class Meta:
        verbose_name = _("verified email address")
        verbose_name_plural = _("verified email addresses")

    def __str__(self) -> str:
        return self.email
