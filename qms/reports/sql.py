"""Small SQL building blocks the statistics need on PostgreSQL and on the embedded SQLite."""

from __future__ import annotations

import math

from django.db import connection
from django.db.models import Aggregate, F, FloatField, Func


class DaysBetween(Func):
    """``end - start`` in (fractional) days."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sql(self, compiler, conn, **extra):  # pragma: no cover - per-vendor below
        raise NotImplementedError(f"DaysBetween has no SQL for {conn.vendor}")

    def as_postgresql(self, compiler, conn, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)", (*end_params, *start_params)

    def as_sqlite(self, compiler, conn, **extra):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return f"(julianday({end}) - julianday({start}))", (*end_params, *start_params)


class PercentileCont(Aggregate):
    """PostgreSQL's ``percentile_cont(p) WITHIN GROUP (ORDER BY expr)``."""

    function = "percentile_cont"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        self.fraction = float(fraction)
        super().__init__(expression, **extra)

    def as_sql(self, compiler, conn, **extra):
        expr, params = compiler.compile(self.source_expressions[0])
        sql = f"percentile_cont({self.fraction!r}) WITHIN GROUP (ORDER BY {expr})"
        if self.filter is not None:
            where, where_params = compiler.compile(self.filter)
            sql += f" FILTER (WHERE {where})"
            params = (*params, *where_params)
        return sql, params


def percentile_cont(ordered, fraction: float) -> float | None:
    """PostgreSQL's ``percentile_cont`` of ascending values, to the last bit: the two
    neighbouring values and ``first + (second - first) * proportion`` in doubles."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    first = ordered[low]
    if high == low:
        return first
    return first + (ordered[high] - first) * (position - low)


def percentiles(queryset, expression, fractions: tuple[float, ...]) -> list[float | None]:
    """Continuous percentiles of ``expression`` over ``queryset`` (:func:`percentile_cont`).
    One query: on PostgreSQL the aggregate, on SQLite the ordered values."""
    queryset = queryset.order_by()
    if connection.vendor == "postgresql":
        row = queryset.aggregate(
            **{f"p{i}": PercentileCont(expression, f) for i, f in enumerate(fractions)}
        )
        return [row[f"p{i}"] for i in range(len(fractions))]
    ordered = list(
        queryset.annotate(_v=expression)
        .filter(_v__isnull=False)
        .order_by("_v")
        .values_list("_v", flat=True)
    )
    return [percentile_cont(ordered, fraction) for fraction in fractions]


def days_to_close():
    return DaysBetween(F("closed_at"), F("created_at"))
