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
