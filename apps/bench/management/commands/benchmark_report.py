"""Measure the province's periodic report: figures (in the request) and PDF (in the worker).

    manage.py benchmark_report                         # the last ended quarter, current database
    manage.py benchmark_report --kind year --year 2026
    manage.py benchmark_report --seed-persons 20000    # first seed case files (apps.bench.benchmark)

The figures are read as ``bench.tinh`` (created if missing: province staff role, area = the
province, no usable password), or as ``--username``; no superuser account is needed.

Prints the wall time of collecting the figures, of rendering the PDF (with every commune in the
annex), the page count and size, and the peak memory: Python allocations (tracemalloc) and the
process's peak resident size (getrusage). Targets: PDF under 10 s and under 500 MB.
"""

from __future__ import annotations

import json
import resource
import time
import tracemalloc

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import timezone

from apps.accounts import roles
from apps.areas.models import AdministrativeUnit
from apps.bench import benchmark as bench
from apps.reporting.periods import latest_ended
from apps.reports import documents, narrative, services, sources
from apps.reports.pdf import html_document, render_pdf

TARGET_SECONDS = 10.0
READER_USERNAME = "bench.tinh"
TARGET_MB = 500.0


class Command(BaseCommand):
    help = "Đo thời gian và bộ nhớ tạo báo cáo định kỳ cấp tỉnh (PDF, phụ lục đủ các xã, phường)."

    def add_arguments(self, parser):
        parser.add_argument("--kind", default="quarter", help="month, quarter, half, nine_months, year")
        parser.add_argument("--year", type=int, default=None)
        parser.add_argument("--number", type=int, default=None, help="tháng hoặc quý")
        parser.add_argument("--seed-persons", type=int, default=0, help="tạo trước N người (dữ liệu đo hiệu năng)")
        parser.add_argument("--output", default="", help="ghi tệp PDF ra đường dẫn này")
        parser.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
        parser.add_argument(
            "--username",
            default="",
            help=f"đọc số liệu bằng tài khoản này (mặc định: tài khoản đo {READER_USERNAME}, vai trò cán bộ tỉnh)",
        )
        parser.add_argument(
            "--trace-python",
            action="store_true",
            help="đo thêm đỉnh bộ nhớ Python (tracemalloc) ở một lần tạo thứ hai (chậm hơn nhiều lần)",
        )

    def handle(self, *args, **options):
        province = (
            AdministrativeUnit.objects.current().filter(level="province", code=settings.PCMT_PROVINCE_CODE).first()
        )
        if province is None:
            raise CommandError("Chưa có danh mục đơn vị hành chính: chạy `manage.py load_units` trước.")
        if options["seed_persons"]:
            if not bench.benchmark_files().exists():
                bench.seed(bench.SeedOptions(persons=options["seed_persons"]), lambda line: self.stderr.write(line))
        user = self._reader(province, options["username"])
        period = self._period(options)

        started = time.perf_counter()
        figures = sources.collect(user=user, unit=province, period=period)
        figures_seconds = time.perf_counter() - started
        context = documents.periodic_context(
            header=services.header_for(province),
            figures=figures,
            narrative=narrative.prefill(figures),
            number="",
            document_date=timezone.localdate(),
        )

        started = time.perf_counter()
        document = html_document(render_to_string("reports/pdf/periodic.html", context))
        content = document.write_pdf()
        pdf_seconds = time.perf_counter() - started
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
        python_peak = None
        if options["trace_python"]:  # a separate run: tracemalloc slows Python down several times
            tracemalloc.start()
            render_pdf("reports/pdf/periodic.html", context)
            python_peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()

        if options["output"]:
            with open(options["output"], "wb") as handle:
                handle.write(content)
        result = {
            "period": figures["period"]["label"],
            "communes": len(figures["rows"]),
            "people_total": figures["total"].get("people_total"),
            "figures_seconds": round(figures_seconds, 3),
            "pdf_seconds": round(pdf_seconds, 3),
            "pdf_bytes": len(content),
            "pdf_pages": len(document.pages),
            "python_peak_mb": round(python_peak / 1024 / 1024, 1) if python_peak is not None else None,
            "process_peak_rss_mb": round(rss_mb, 1),
            "targets": {"pdf_seconds": TARGET_SECONDS, "memory_mb": TARGET_MB},
            "ok": pdf_seconds < TARGET_SECONDS and rss_mb < TARGET_MB,
        }
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            f"Báo cáo {result['period']} toàn tỉnh ({result['communes']} xã, phường; "
            f"{result['people_total']} người có hồ sơ):\n"
            f"  số liệu: {result['figures_seconds']} s\n"
            f"  PDF: {result['pdf_seconds']} s, {result['pdf_pages']} trang, {result['pdf_bytes']:,} byte\n"
            f"  bộ nhớ: tiến trình đỉnh {result['process_peak_rss_mb']} MB"
            + (f"; Python đỉnh {result['python_peak_mb']} MB\n" if python_peak is not None else "\n")
            + f"  mục tiêu < {TARGET_SECONDS:g} s và < {TARGET_MB:g} MB: {'ĐẠT' if result['ok'] else 'KHÔNG ĐẠT'}"
        )

    def _reader(self, province: AdministrativeUnit, username: str):
        """The account whose scope the report is read in. A fresh database has no superuser, and
        the report needs none: a province-staff account (no usable password) reads what the
        province's staff would, which is what is measured."""
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"Không có tài khoản “{username}” đang hoạt động.")
            return user
        roles.sync_roles()
        return bench.bench_account(
            READER_USERNAME, role=roles.PROVINCE_STAFF, area=province, full_name="Cán bộ tỉnh đo hiệu năng báo cáo"
        )

    def _period(self, options):
        kind = options["kind"]
        if options["year"] is None:
            return latest_ended(kind)
        return sources.get_period(kind, options["year"], options["number"] or 1)
