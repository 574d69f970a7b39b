from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from qms.models import ApiToken, Membership, OrgUnit, User


class UserBriefSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name"]

    def get_name(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class LeaderSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.id")
    name = serializers.CharField(source="user.get_full_name")
    role = serializers.CharField()


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SerializerMethodField()
    leaders = serializers.SerializerMethodField()

    class Meta:
        model = OrgUnit
        fields = ["id", "name", "code", "kind", "depth", "path", "parent", "headcount", "leaders"]

    def get_parent(self, obj: OrgUnit) -> int | None:
        return self.context.get("parent_ids", {}).get(obj.path[: -OrgUnit.steplen])

    @extend_schema_field(LeaderSerializer(many=True))
    def get_leaders(self, obj: OrgUnit) -> list[dict]:
        return [
            {"id": m.user_id, "name": m.user.get_full_name() or m.user.username, "role": m.role}
            for m in obj.leadership
        ]


class MembershipSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["unit", "unit_name", "role"]


class MeSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    memberships = MembershipSerializer(many=True, read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "email", "job_title", "memberships", "roles"]

    def get_name(self, obj: User) -> str:
        return obj.get_full_name() or obj.username

    def get_roles(self, obj: User) -> list[str]:
        return sorted(obj.groups.values_list("name", flat=True))


class ApiTokenSerializer(serializers.ModelSerializer):
    days = serializers.IntegerField(
        write_only=True, required=False, min_value=1, help_text="Validity in days (capped)."
    )

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "days"]
        read_only_fields = ["prefix", "created_at", "expires_at", "last_used_at"]


class IssuedTokenSerializer(serializers.Serializer):
    """A new key: shown in this answer only."""

    id = serializers.IntegerField()
    token = serializers.CharField(source="key")
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()
