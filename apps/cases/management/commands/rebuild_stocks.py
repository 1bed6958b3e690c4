"""Recompute every case file's counting spans (``apps.cases.stocks``) from its events.

The services keep the spans current; run this after loading files past them (a restore, a bulk
SQL fix) or after changing the definition. The stored dashboard figures are forgotten too."""

from django.core.management.base import BaseCommand

from apps.cases import stocks
from apps.cases.models import CaseFile
from apps.cases.services import load_clock
from apps.core.registry import forget_derived_figures


class Command(BaseCommand):
    help = "Tính lại các khoảng thời gian được tính vào số liệu của mọi hồ sơ"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, **options):
        from django.db import transaction

        clock = load_clock()
        ids = list(CaseFile.objects.order_by("pk").values_list("pk", flat=True))
        written = 0
        for i in range(0, len(ids), options["batch"]):
            with transaction.atomic():
                written += stocks.rebuild(ids[i : i + options["batch"]], clock=clock)
        forget_derived_figures()
        self.stdout.write(f"{len(ids)} hồ sơ, {written} khoảng thời gian.")
