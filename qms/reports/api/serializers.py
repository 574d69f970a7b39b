from rest_framework import serializers

from qms.reports import periods


class StatisticsUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    code = serializers.CharField()


class PeriodSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=periods.KINDS)
    start = serializers.DateField()
    end = serializers.DateField(help_text="Første dag etter perioden (ikke inkludert).")
    label = serializers.CharField()


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.JSONField()
    hint = serializers.CharField(allow_blank=True)


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(
        child=serializers.ListField(child=serializers.JSONField()),
        help_text="Hver rad: etikett, deretter verdiene; «< 5» der et lite tall er skjult.",
    )
    suppressed = serializers.BooleanField()
    note = serializers.CharField(allow_blank=True)


class StatisticsSerializer(serializers.Serializer):
    section = serializers.CharField()
    title = serializers.CharField()
    unit = StatisticsUnitSerializer()
    period = PeriodSerializer()
    figures = FigureSerializer(many=True)
    tables = TableSerializer(many=True)
    computed_at = serializers.DateTimeField(
        help_text="Når tallene ble beregnet (store utvalg beregnes på forhånd og holdes en stund)."
    )


class ReportChapterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    title = serializers.CharField()
    good = serializers.CharField(allow_blank=True, help_text="Dette fungerer godt.")
    weak = serializers.CharField(allow_blank=True, help_text="Dette fungerer ikke godt nok.")
    planned = serializers.CharField(allow_blank=True, help_text="Dette vil vi gjøre.")
    parts = serializers.JSONField(
        help_text="De sammenstilte tallene: {key, title, intro, figures, tables, empty}."
    )


class InternalControlReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    uid = serializers.UUIDField(read_only=True)
    unit = serializers.IntegerField(source="unit_id", read_only=True)
    title = serializers.CharField(source="__str__", read_only=True)
    period_kind = serializers.CharField(read_only=True)
    period_start = serializers.DateField(read_only=True)
    period_end = serializers.DateField(read_only=True)
    status = serializers.CharField(read_only=True)
    assembled_at = serializers.DateTimeField(read_only=True)
    approved_at = serializers.DateTimeField(read_only=True)
    approved_by = serializers.IntegerField(source="approved_by_id", read_only=True)
    chapters = ReportChapterSerializer(many=True, read_only=True)
    year = serializers.IntegerField(write_only=True, min_value=2000, max_value=2100)
    tertial = serializers.IntegerField(
        write_only=True,
        required=False,
        allow_null=True,
        min_value=1,
        max_value=3,
        help_text="1–3 for en tertialrapport; tom for hele året.",
    )

    def period(self) -> periods.Period:
        data = self.validated_data
        if data.get("tertial"):
            return periods.tertial(data["year"], data["tertial"])
        return periods.year(data["year"])


class ChapterTextSerializer(serializers.Serializer):
    chapter = serializers.IntegerField()
    good = serializers.CharField(allow_blank=True, max_length=20000)
    weak = serializers.CharField(allow_blank=True, max_length=20000)
    planned = serializers.CharField(allow_blank=True, max_length=20000)
