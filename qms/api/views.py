from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings

from qms import tokens
from qms.api.pagination import StandardPagination
from qms.api.serializers import (
    ApiTokenSerializer,
    IssuedTokenSerializer,
    MeSerializer,
    OrgUnitSerializer,
)
from qms.api.viewsets import Perm, RestrictedReadOnlyViewSet, RestrictedViewSetMixin
from qms.models import ApiToken, Membership, OrgUnit, User


class OrgUnitViewSet(RestrictedReadOnlyViewSet):
    """The organisation tree in path order (parent before children), through the permission layer.

    Filter with ``?under=<id>`` for one subtree.
    """

    queryset = OrgUnit.objects.filter(is_active=True).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.leadership().select_related("user"),
            to_attr="leadership",
        )
    )
    serializer_class = OrgUnitSerializer
    pagination_class = StandardPagination
    ordering = ["path"]
    ordering_fields = ["path", "name"]
    filterset_fields = ["kind"]

    def get_queryset(self):
        qs = super().get_queryset().order_by("path")
        under = self.request.query_params.get("under")
        if under and under.isdigit():
            root = OrgUnit.objects.filter(pk=int(under)).first()
            qs = qs.filter(path__startswith=root.path) if root else qs.none()
        return qs

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # Parent ids for the page in one query, keyed by path.
        context["parent_ids"] = dict(OrgUnit.objects.values_list("path", "pk"))
        return context


class MeView(generics.RetrieveAPIView):
    """The signed-in user with units and organisation-wide roles."""

    serializer_class = MeSerializer
    permission_exempt = "the signed-in user's own profile"

    @extend_schema(operation_id="me_retrieve")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_object(self):
        return User.objects.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("unit"))
        ).get(pk=self.request.user.pk)


class BoundedAuthTokenSerializer(AuthTokenSerializer):
    # A username longer than any user's (150) is refused before authentication, so the
    # failed-login log (django-axes, varchar 255) never sees an oversized value.
    username = serializers.CharField(label="Brukernavn", max_length=150, write_only=True)
    password = serializers.CharField(
        label="Passord", max_length=4096, style={"input_type": "password"}, write_only=True
    )


class TokenView(ObtainAuthToken):
    """Username and password for a new key that expires in API_TOKEN_DAYS (qms.tokens)."""

    serializer_class = BoundedAuthTokenSerializer
    permission_exempt = "exchanges a username and password for the caller's own token"
    # ObtainAuthToken accepts form and multipart too; like every other endpoint, JSON only.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    @extend_schema(responses=IssuedTokenSerializer)
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = tokens.issue_token(serializer.validated_data["user"], name="API")
        return Response(IssuedTokenSerializer({**vars(token), "key": key}).data)


class ApiTokenViewSet(
    RestrictedViewSetMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's own API keys: list them, make one (the key is in the answer, once),
    revoke one (DELETE). Another user's key is not found."""

    serializer_class = ApiTokenSerializer
    pagination_class = StandardPagination
    queryset = ApiToken.objects.order_by("-pk")  # the layer keeps the owner's own (qms/rules.py)
    permission_map = {
        "list": Perm("view", object=False),
        "create": Perm("add", object=False),
        "destroy": Perm("delete"),
    }

    @extend_schema(request=ApiTokenSerializer, responses={201: IssuedTokenSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = tokens.issue_token(
            request.user, serializer.validated_data["name"], serializer.validated_data.get("days")
        )
        return Response(
            IssuedTokenSerializer({**vars(token), "key": key}).data, status=status.HTTP_201_CREATED
        )

    def perform_destroy(self, instance):
        tokens.revoke(self.request.user, instance.pk)


obtain_auth_token = TokenView.as_view()
