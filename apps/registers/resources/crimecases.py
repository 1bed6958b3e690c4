"""Spreadsheet import of the crime-case register and its list of arrested offenders."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from apps.cases.resources import parse_date
from apps.core.exports import day
from apps.core.imports import FieldChange
from apps.core.resources import CodedColumn, choice_column
from apps.core.text import normalize

from .. import actions
from ..choices import CaseStage, CriminalArticle
from ..models import CrimeCase
from ..services import crimecases as crimecase_services
from .base import COL_COMMUNE, COL_NOTES, COL_NUMBER, COL_UNIT, ParsedRow, RegisterResource, units_as_written
from .parsing import parse_article, parse_sex

COL_OCCURRED = "Ngày xảy ra, phát hiện"
COL_ARTICLE = "Tội danh (điều BLHS)"
COL_STAGE = "Giai đoạn"
COL_SUMMARY = "Tóm tắt vụ việc"
COL_COUNT = "Số đối tượng bị bắt"
COL_OFFENDERS = "Đối tượng bị bắt"
COL_HEROIN = "Heroin (gam)"
COL_SYNTHETIC_G = "Ma túy tổng hợp (gam)"
COL_SYNTHETIC_T = "Ma túy tổng hợp (viên)"
COL_CANNABIS = "Cần sa (gam)"
COL_OTHER_G = "Ma túy khác (gam)"
COL_OTHER_DESC = "Mô tả ma túy khác"


def parse_offenders(
    text: Any, *, default_day: dt.date | None
) -> tuple[list[crimecase_services.OffenderInput], list[str]]:
    """“Nguyễn Văn A, 1990, Nam, 12/03/2026; Trần Thị B, 1995, Nữ” → offenders (the arrest date
    defaults to the day of the case), and the problems found."""
    offenders: list[crimecase_services.OffenderInput] = []
    problems: list[str] = []
    if text in (None, ""):
        return offenders, problems
    for index, chunk in enumerate(re.split(r"[;\n]+", str(text)), start=1):
        parts = [p.strip() for p in chunk.split(",") if p.strip()]
        if not parts:
            continue
        name, birth_year, sex, day = parts[0], None, None, None
        for part in parts[1:]:
            if re.fullmatch(r"\d{4}", part):
                birth_year = int(part)
            elif parse_sex(part):
                sex = parse_sex(part)
            else:
                try:
                    day, _y = parse_date(part)
                except ValueError:
                    problems.append(
                        _("Người thứ %(n)s (%(name)s): không hiểu “%(v)s”.") % {"n": index, "name": name, "v": part}
                    )
        if sex is None:
            problems.append(_("Người thứ %(n)s (%(name)s): thiếu giới tính (Nam/Nữ).") % {"n": index, "name": name})
        offenders.append(
            crimecase_services.OffenderInput(
                full_name=name, sex=sex or "", arrested_on=day or default_day, birth_year=birth_year
            )
        )
    return offenders, problems


def format_offenders(offenders) -> str:
    parts = []
    for o in offenders:
        bits = [o.full_name] + ([str(o.birth_year)] if o.birth_year else []) + [o.get_sex_display()]
        bits.append(o.arrested_on.strftime("%d/%m/%Y"))
        parts.append(", ".join(bits))
    return "; ".join(parts)


class CrimeCaseResource(RegisterResource):
    columns = {
        COL_NUMBER: False,
        COL_UNIT: True,
        COL_COMMUNE: False,
        COL_OCCURRED: True,
        COL_ARTICLE: True,
        COL_STAGE: False,
        COL_SUMMARY: True,
        COL_COUNT: False,
        COL_OFFENDERS: False,
        COL_HEROIN: False,
        COL_SYNTHETIC_G: False,
        COL_SYNTHETIC_T: False,
        COL_CANNABIS: False,
        COL_OTHER_G: False,
        COL_OTHER_DESC: False,
        COL_NOTES: False,
    }
    example_row = [
        "",
        "Xã Trung Sơn",
        "",
        "12/01/2026",
        "Điều 251",
        "Khởi tố",
        "Bắt quả tang mua bán trái phép chất ma túy tại thôn Đồng Cầu",
        2,
        "Nguyễn Văn A, 1990, Nam, 12/01/2026; Trần Thị B, 1995, Nữ",
        "1,5",
        "12,25",
        40,
        "",
        "",
        "",
        "",
    ]
    create_service = crimecase_services.crime_case_create
    update_service = crimecase_services.crime_case_update
    record_arg = "crime_case"
    FIELD_COLUMNS = {
        "number": COL_NUMBER,
        "recorded_unit": COL_UNIT,
        "commune": COL_COMMUNE,
        "occurred_on": COL_OCCURRED,
        "article": COL_ARTICLE,
        "stage": COL_STAGE,
        "summary": COL_SUMMARY,
        "offenders_count": COL_COUNT,
        "offenders": COL_OFFENDERS,
        "heroin_g": COL_HEROIN,
        "synthetic_g": COL_SYNTHETIC_G,
        "synthetic_tablets": COL_SYNTHETIC_T,
        "cannabis_g": COL_CANNABIS,
        "other_g": COL_OTHER_G,
        "other_desc": COL_OTHER_DESC,
        "notes": COL_NOTES,
    }

    @classmethod
    def coded_columns(cls) -> dict[str, CodedColumn]:
        return {
            **super().coded_columns(),
            COL_ARTICLE: choice_column(CriminalArticle, strict=False, hint=_("Tên tội danh, hoặc số điều (“251”).")),
            COL_STAGE: choice_column(CaseStage),
        }

    export_action = actions.CRIMECASE_EXPORT
    export_stem = "vu-an-ma-tuy"
    export_prefetch = ("offenders",)

    @staticmethod
    def export_row(c) -> list:
        written, current = units_as_written(c)
        return [
            c.number,
            written,
            current,
            day(c.occurred_on),
            c.get_article_display(),
            c.get_stage_display(),
            c.summary,
            c.offenders_count,
            format_offenders(c.offenders.all()),
            c.heroin_g,
            c.synthetic_g,
            c.synthetic_tablets,
            c.cannabis_g,
            c.other_g,
            c.other_desc,
            c.notes,
        ]

    class Meta(RegisterResource.Meta):
        model = CrimeCase

    def parse(self, row, number: int) -> ParsedRow:
        errors: dict[str, str] = {}
        ref = self.text(row, COL_NUMBER)
        written, commune = self.communes(row, errors)
        occurred = self.date(row, COL_OCCURRED, errors, "occurred_on", required=True)
        try:
            article = parse_article(self.cell(row, COL_ARTICLE))
            if article is None:
                errors["article"] = _("Thiếu tội danh (số điều của Bộ luật Hình sự).")
        except ValueError as exc:
            article, errors["article"] = None, str(exc)
        stage = self.choice(row, COL_STAGE, CaseStage, errors, "stage") or CaseStage.DETECTED
        summary = " ".join(str(self.cell(row, COL_SUMMARY) or "").split())
        if not summary:
            errors["summary"] = _("Thiếu tóm tắt vụ việc.")
        count = self.integer(row, COL_COUNT, errors, "offenders_count")
        amounts = {
            name: self.decimal(row, self.FIELD_COLUMNS[name], errors, name, places=3) or Decimal(0)
            for name in crimecase_services.AMOUNT_FIELDS
        }
        tablets = self.integer(row, COL_SYNTHETIC_T, errors, "synthetic_tablets") or 0
        offenders, problems = parse_offenders(self.cell(row, COL_OFFENDERS), default_day=occurred)
        if problems:
            errors["offenders"] = " ".join(problems)
        if errors:
            raise ValidationError(errors)
        existing = self._match(ref, commune, occurred, article, summary)
        self.once(
            ("number", existing.pk) if existing else (commune.pk, occurred, article, normalize(summary)),
            number,
            "summary",
        )
        if existing is not None and offenders:
            # Keep the recorded offenders (and their links to case files) that the row still names.
            current = {(normalize(o.full_name), o.birth_year): o for o in existing.offenders.all()}
            for offender in offenders:
                match = current.pop((normalize(offender.full_name), offender.birth_year), None)
                if match is not None:
                    offender.pk, offender.person = match.pk, match.person
        data = crimecase_services.CrimeCaseInput(
            occurred_on=occurred,
            article=article,
            summary=summary,
            commune=commune,
            recorded_unit=written,
            offenders_count=count,
            stage=stage,
            synthetic_tablets=tablets,
            other_desc=self.text(row, COL_OTHER_DESC),
            notes=self.text(row, COL_NOTES),
            **amounts,
        )
        kept = ["stage", *crimecase_services.AMOUNT_FIELDS, "synthetic_tablets", "other_desc", "notes"]
        if existing is not None and self.cell(row, COL_OFFENDERS) is None:
            offenders = None  # the recorded offenders stay, and so does their count unless given
            kept.append("offenders_count")
        data = self.keep_blank(row, existing, data, kept)
        return ParsedRow(number, existing, data, {"offenders": offenders})

    def _match(self, ref: str, commune, occurred, article, summary) -> CrimeCase | None:
        qs = self.editable(CrimeCase).prefetch_related("offenders")
        if ref:
            return self.by_number(
                qs, ref, _("Không có vụ án số hiệu “%(n)s” trong phạm vi được giao. Để thêm mới, bỏ trống cột này.")
            )
        key = normalize(summary)
        matches = [
            c for c in qs.filter(commune=commune, occurred_on=occurred, article=article) if normalize(c.summary) == key
        ]
        return self.one_of(matches, _("Có nhiều vụ án trùng ngày, tội danh và nội dung: hãy ghi số hiệu."))

    def stored_other(self, record: models.Model) -> dict[str, str]:
        return {COL_OFFENDERS: format_offenders(sorted(record.offenders.all(), key=lambda o: o.pk))}

    def other_changes(self, old: models.Model, new: models.Model) -> list:
        before = format_offenders(sorted(old.offenders.all(), key=lambda o: o.pk))
        after = format_offenders(new.offenders.order_by("pk"))
        return [] if before == after else [FieldChange(COL_OFFENDERS, before, after)]
