"""``@prepared`` gives the rows the ORM gives, compiles each query once per process, and refuses a
query it could not replay faithfully."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, Q, Value
from django.db.models.functions import Concat

from apps.areas.models import AdministrativeUnit
from apps.core.lookups import Dates, Ids
from apps.core.prepared import prepared, single_row
from apps.reporting.models import StoredFigures
from tests.factories.areas import UnitFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="only PostgreSQL replays the compiled SQL"
)

D1, D2, D3 = dt.date(2025, 1, 1), dt.date(2025, 3, 31), dt.date(2025, 6, 30)


def _units():
    parent = UnitFactory(level="province", kind="tinh", name="Tuyên Quang")
    communes = [UnitFactory(parent=parent) for _ in range(4)]
    for i, commune in enumerate(communes):
        StoredFigures.objects.create(
            unit=commune, kind=StoredFigures.WINDOW, start=D1, end=D2 if i % 2 else D3, stamp=f"s{i}",
            data={"v": [i, None, "1.5"], "level": "key" if i else ""},
        )  # fmt: skip
    return parent, communes


def _builders():
    @prepared
    def tuples(*, ids: Ids, start: dt.date, kind: str):
        return (
            StoredFigures.objects.filter(unit_id__in_ids=ids, start=start, kind=kind)
            .annotate(label=Concat("stamp", Value("!")))
            .order_by("unit_id")
            .values_list("unit_id", "end", "data", "label")
        )

    @prepared
    def flat(*, parent_id: int):
        return AdministrativeUnit.objects.filter(parent_id=parent_id).order_by("-pk").values_list("pk", flat=True)

    @prepared
    def dicts(*, ends: Dates):
        return StoredFigures.objects.filter(end__in_dates=ends).order_by("pk").values("unit_id", "end")

    @prepared
    def models(*, ids: Ids):
        return (
            AdministrativeUnit.objects.filter(pk__in_ids=ids)
            .only("pk", "code", "full_name")
            .annotate(n=Value(7))
            .order_by("code")
        )

    return tuples, flat, dicts, models


def test_the_rows_are_the_orms_for_each_call():
    parent, communes = _units()
    tuples, flat, dicts, models = _builders()
    ids = [c.pk for c in communes]
    calls = [
        (tuples, {"ids": Ids(ids), "start": D1, "kind": StoredFigures.WINDOW}),
        (tuples, {"ids": Ids(ids[:2]), "start": D1, "kind": StoredFigures.WINDOW}),
        (tuples, {"ids": Ids(ids), "start": D2, "kind": StoredFigures.WINDOW}),
        (tuples, {"ids": Ids([]), "start": D1, "kind": StoredFigures.WINDOW}),
        (flat, {"parent_id": parent.pk}),
        (flat, {"parent_id": communes[0].pk}),
        (dicts, {"ends": Dates([D2])}),
        (dicts, {"ends": Dates([D2, D3])}),
    ]
    for run, kwargs in calls:
        expected = list(run.__wrapped__(**kwargs)) if kwargs.get("ids") != Ids([]) else []
        assert run(**kwargs) == expected, (run.__name__, kwargs)
    # converters ran: the JSON document is decoded, the annotation is there
    first = tuples(ids=Ids(ids), start=D1, kind=StoredFigures.WINDOW)[0]
    assert first[2] == {"v": [0, None, "1.5"], "level": ""} and first[3] == "s0!"
    got = models(ids=Ids(ids[1:3]))
    want = list(models.__wrapped__(ids=Ids(ids[1:3])))
    assert [(u.pk, u.code, u.full_name, u.n) for u in got] == [(u.pk, u.code, u.full_name, u.n) for u in want]
    assert got[0].name == want[0].name  # a deferred field still loads on access


def test_an_aggregate_as_one_row():
    _parent, communes = _units()

    @prepared
    def counts(*, ids: Ids, end: dt.date):
        return single_row(
            StoredFigures.objects.filter(unit_id__in_ids=ids),
            total=Count("pk"),
            late=Count("pk", filter=Q(end__gte=end)),
        )

    ids = Ids([c.pk for c in communes])
    assert counts(ids=ids, end=D3) == [{"total": 4, "late": 2}]
    assert counts(ids=ids, end=D1) == [
        StoredFigures.objects.filter(unit_id__in=ids.values).aggregate(
            total=Count("pk"), late=Count("pk", filter=Q(end__gte=D1))
        )
    ]
    assert counts(ids=Ids([-1]), end=D1) == [{"total": 0, "late": 0}]


def test_one_query_per_call(django_assert_num_queries):
    _parent, communes = _units()
    tuples, *_rest = _builders()
    kwargs = {"ids": Ids([c.pk for c in communes]), "start": D1, "kind": StoredFigures.WINDOW}
    tuples(**kwargs)
    with django_assert_num_queries(1):
        assert len(tuples(**kwargs)) == 4


@on_postgresql
def test_compiled_once_then_replayed():
    _parent, communes = _units()
    built = []

    @prepared
    def rows(*, ids: Ids):
        built.append(1)
        return StoredFigures.objects.filter(unit_id__in_ids=ids).values_list("stamp", flat=True)

    rows(ids=Ids([communes[0].pk]))
    after_first = len(built)
    for commune in communes:
        assert rows(ids=Ids([commune.pk])) == [StoredFigures.objects.get(unit=commune).stamp]
    assert len(built) == after_first  # no queryset built again
    assert len(rows.compiled) == 1


def _starting(*, text: str):
    return AdministrativeUnit.objects.filter(name__startswith=text).values_list("pk", flat=True)


def _among(*, first: int):
    return AdministrativeUnit.objects.filter(pk__in=[first, first + 1]).values_list("pk", flat=True)


def _ignoring(*, unit_id: int):
    return AdministrativeUnit.objects.filter(level="commune").values_list("pk", flat=True)


def _by_flag(*, flag: bool):
    return AdministrativeUnit.objects.filter(valid_to__isnull=flag).values_list("pk", flat=True)


def _since(*, moment: dt.datetime):
    return StoredFigures.objects.filter(computed_at__gte=moment).values_list("pk", flat=True)


@on_postgresql
@pytest.mark.parametrize(
    ("build", "kwargs", "error", "match"),
    [
        (_starting, {"text": "Tân"}, ValueError, "transformed a parameter"),  # "Tân%"
        (_among, {"first": 1}, ValueError, "transformed a parameter"),  # first + 1 is neither
        (_ignoring, {"unit_id": 1}, ValueError, "reach no SQL parameter"),
        (_by_flag, {"flag": True}, TypeError, "shape"),
        (_since, {"moment": dt.datetime(2026, 1, 1)}, TypeError, "naive datetime"),  # noqa: DTZ001
    ],
)
def test_a_query_that_cannot_be_replayed_is_refused(build, kwargs, error, match):
    with pytest.raises(error, match=match):
        prepared(build)(**kwargs)


def test_a_tuple_is_spread_and_its_length_is_part_of_the_shape():
    parent, communes = _units()

    @prepared
    def of_levels(*, levels: tuple[str, ...], parent_id: int):
        return (
            AdministrativeUnit.objects.filter(level__in=levels, parent_id=parent_id)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    ids = [c.pk for c in communes]
    assert of_levels(levels=("commune",), parent_id=parent.pk) == ids
    assert of_levels(levels=("province", "commune"), parent_id=parent.pk) == ids
    assert of_levels(levels=("province", "district"), parent_id=parent.pk) == []
    assert of_levels(levels=("district",), parent_id=parent.pk) == []
    if connection.vendor == "postgresql":
        assert len(of_levels.compiled) == 2


def test_related_objects_come_with_the_rows(django_assert_num_queries):
    parent, communes = _units()

    @prepared
    def with_parent(*, pk: int):
        return AdministrativeUnit.objects.select_related("parent").filter(pk=pk)

    with_parent(pk=communes[0].pk)
    for commune in communes:
        with django_assert_num_queries(1):
            (unit,) = with_parent(pk=commune.pk)
            assert (unit.pk, unit.parent.pk, unit.parent.name) == (commune.pk, parent.pk, "Tuyên Quang")
    assert with_parent(pk=-5) == []


def test_the_sql_to_run_inside_a_larger_statement():
    _parent, communes = _units()

    @prepared
    def stamps(*, ids: Ids):
        return StoredFigures.objects.filter(unit_id__in_ids=ids).values("stamp")

    for chosen in (communes[:1], communes):
        sql, params = stamps.sql(ids=Ids([c.pk for c in chosen]))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) t", params)  # noqa: S608 - the ORM's SQL
            assert cursor.fetchone()[0] == len(chosen)


def test_an_aware_datetime_is_a_value():
    _parent, communes = _units()
    from django.utils import timezone

    @prepared
    def since(*, moment: dt.datetime):
        return StoredFigures.objects.filter(computed_at__gte=moment).order_by("pk").values_list("stamp", flat=True)

    now = timezone.now()
    assert since(moment=now - dt.timedelta(hours=1)) == ["s0", "s1", "s2", "s3"]
    assert since(moment=now + dt.timedelta(hours=1)) == []


def test_an_empty_tuple_gives_nothing_as_the_orm_does(django_assert_num_queries):
    _units()

    @prepared
    def of_levels(*, levels: tuple[str, ...]):
        return AdministrativeUnit.objects.filter(level__in=levels).values_list("pk", flat=True)

    with django_assert_num_queries(0):
        assert of_levels(levels=()) == []
    assert len(of_levels(levels=("commune",))) == 4
