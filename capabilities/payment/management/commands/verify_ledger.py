"""Check the payment ledger: every transaction sums to zero and every account's balance equals
the sum of its entries (and is not negative). Prints each problem; exit status 1 if any."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from capabilities.payment import ledger


class Command(BaseCommand):
    help = _("Verify the payment ledger: balanced transactions, balances equal to "
                        "their entries.")

    def handle(self, *args, **options) -> None:
        report = ledger.verify()
        counts = {"transactions": report.transactions, "accounts": report.accounts}
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(
                _("Ledger broken: %(problems)d problem(s) in %(transactions)d transactions and "
                  "%(accounts)d accounts.") % {"problems": len(report.problems), **counts})
        self.stdout.write(self.style.SUCCESS(
            _("Ledger intact: %(transactions)d transactions balance and %(accounts)d account "
              "balances match their entries.") % counts))
