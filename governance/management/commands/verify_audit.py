"""Recompute the audit trail's hash chain and report the first broken link (exit status 1)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from openplatform.audit.trail import verify_audit_chain


class Command(BaseCommand):
    help = _("Verify the audit trail's hash chain and report the first broken link.")

    def handle(self, *args, **options) -> None:
        result = verify_audit_chain()
        if not result.ok:
            raise CommandError(result.problem)
        self.stdout.write(self.style.SUCCESS(
            _("Audit trail intact: %(count)d rows verified.") % {"count": result.rows_checked}))
