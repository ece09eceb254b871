"""Make the catalog tables say what the capability plugins declare (``catalog.sync``); migrate
does it too, after every run."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from catalog.models import Capability, FunctionPack, IndustrySolution
from catalog.sync import sync_catalog


class Command(BaseCommand):
    help = _("Sync the capability catalog from the installed capability plugins.")

    def handle(self, *args, **options):
        sync_catalog()
        self.stdout.write(_("Catalog synced: %(capabilities)d capabilities (%(available)d "
                            "available), %(packs)d function packs, %(solutions)d industry "
                            "solutions.") % {
            "capabilities": Capability.objects.count(),
            "available": Capability.objects.filter(status="available").count(),
            "packs": FunctionPack.objects.count(),
            "solutions": IndustrySolution.objects.count()})
