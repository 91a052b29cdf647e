"""REST API of the other Program 3 activities: list and create per kind (3a, 3b, 3d, 3e/3f).

``GET /api/compliance/program3/<kind>/`` (paginated, ``year`` filter) and ``POST`` the same URL
with JSON. Access as on the pages (:func:`compliance.access.check_program3`): 404 to outsiders,
403 to leadership on a create. A record the service refuses answers 400 with ``detail``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance import access
from compliance.program3 import KINDS, Inspection, JointProgramme, Training, TrainingParticipant, WorkAccident
from compliance.program3_services import RecordRefused, program3_record_create
from core.pagination import BoundedLimitOffsetPagination
from registry.models import Region

Names = serializers.ListField(child=serializers.CharField(max_length=200), allow_empty=False)


class EmployerInput(serializers.Serializer):
    employer_npp = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)
    employer_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    employer_region = serializers.SlugRelatedField(
        slug_field="kode_bps", queryset=Region.objects.all(), required=False, allow_null=True, default=None,
        help_text="Kode BPS kota, misalnya 3171.",
    )  # fmt: skip

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("employer_npp") and not attrs.get("employer_name", "").strip():
            raise serializers.ValidationError("Isi NPP pemberi kerja, atau nama dan kotanya.")
        return attrs


class InspectionInput(EmployerInput, serializers.ModelSerializer):
    labour_inspectors = Names
    bpjs_examiners = Names

    class Meta:
        model = Inspection
        fields = ["employer_npp", "employer_name", "employer_region", "inspected_on", "labour_inspectors",
                  "bpjs_examiners", "findings", "result", "note_number", "note_on", "notes"]  # fmt: skip

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if attrs["result"] == Inspection.Result.NON_COMPLIANT and not (
            attrs.get("note_number") and attrs.get("note_on")
        ):
            raise serializers.ValidationError({"note_number": "Hasil tidak patuh memerlukan nomor dan tanggal nota."})
        if attrs.get("note_on") and attrs["note_on"] < attrs["inspected_on"]:
            raise serializers.ValidationError({"note_on": "Nota pemeriksaan sebelum tanggal pemeriksaan."})
        return attrs


class WorkAccidentInput(EmployerInput, serializers.ModelSerializer):
    urc_team = Names
    workers_affected = serializers.IntegerField(min_value=1, max_value=32767)

    class Meta:
        model = WorkAccident
        fields = ["employer_npp", "employer_name", "employer_region", "occurred_on", "reported_on", "location",
                  "description", "workers_affected", "severity", "coverage", "urc_team", "bpjs_officers", "status",
                  "actions", "closed_on", "notes"]  # fmt: skip

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if attrs["reported_on"] < attrs["occurred_on"]:
            raise serializers.ValidationError({"reported_on": "Tanggal laporan sebelum tanggal kejadian."})
        if attrs.get("status") == WorkAccident.Status.CLOSED and not attrs.get("closed_on"):
            raise serializers.ValidationError({"closed_on": "Kasus yang selesai memerlukan tanggal selesai."})
        return attrs


class JointProgrammeInput(serializers.ModelSerializer):
    groups = serializers.ListField(child=serializers.ChoiceField(choices=JointProgramme.Group.choices))
    year = serializers.IntegerField(min_value=2025, max_value=2100)

    class Meta:
        model = JointProgramme
        fields = ["title", "year", "agreed_on", "groups", "content", "notes"]

    def validate_groups(self, groups: list[str]) -> list[str]:
        if not {JointProgramme.Group.BPJS_EXAMINERS, JointProgramme.Group.LABOUR_INSPECTORS} <= set(groups):
            raise serializers.ValidationError("Sedikitnya petugas pemeriksa BPJS dan pengawas ketenagakerjaan.")
        return groups


class ParticipantInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    position = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    organization = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    npp = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class TrainingInput(serializers.ModelSerializer):
    participants = ParticipantInput(many=True, allow_empty=False)

    class Meta:
        model = Training
        fields = ["kind", "title", "starts_on", "ends_on", "location", "organizer", "participants", "notes"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError({"ends_on": "Tanggal selesai sebelum tanggal mulai."})
        attrs["participants"] = [dict(p) for p in attrs["participants"]]
        return attrs


class EmployerRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    npp = serializers.CharField()


class InspectionOutput(serializers.ModelSerializer):
    employer = EmployerRef()

    class Meta:
        model = Inspection
        fields = ["id", "employer", "inspected_on", "labour_inspectors", "bpjs_examiners", "findings", "result",
                  "note_number", "note_on", "case", "notes", "created_at"]  # fmt: skip


class WorkAccidentOutput(serializers.ModelSerializer):
    employer = EmployerRef()

    class Meta:
        model = WorkAccident
        fields = ["id", "employer", "occurred_on", "reported_on", "location", "description", "workers_affected",
                  "severity", "coverage", "urc_team", "bpjs_officers", "status", "actions", "closed_on", "notes",
                  "created_at"]  # fmt: skip


class JointProgrammeOutput(serializers.ModelSerializer):
    class Meta:
        model = JointProgramme
        fields = ["id", "title", "year", "agreed_on", "groups", "content", "notes", "created_at"]


class ParticipantOutput(serializers.ModelSerializer):
    class Meta:
        model = TrainingParticipant
        fields = ["name", "position", "organization", "employer"]


class TrainingOutput(serializers.ModelSerializer):
    participants = ParticipantOutput(many=True)

    class Meta:
        model = Training
        fields = ["id", "kind", "title", "starts_on", "ends_on", "location", "organizer", "participants", "notes",
                  "created_at"]  # fmt: skip


SERIALIZERS: dict[str, tuple[type[serializers.Serializer], type[serializers.Serializer]]] = {
    "pemeriksaan": (InspectionInput, InspectionOutput),
    "kecelakaan": (WorkAccidentInput, WorkAccidentOutput),
    "program-kerja": (JointProgrammeInput, JointProgrammeOutput),
    "pelatihan": (TrainingInput, TrainingOutput),
}


def _kind(kind: str) -> tuple[type[serializers.Serializer], type[serializers.Serializer]]:
    if kind not in SERIALIZERS:
        raise NotFound
    return SERIALIZERS[kind]


class Program3RecordsApi(APIView):
    """List (``GET``) or create (``POST``) one kind's records: pemeriksaan, kecelakaan, program-kerja, pelatihan."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int), OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
        operation_id="compliance_program3_list",
        responses=inline_serializer(
            "PaginatedProgram3List",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request, kind: str) -> Response:
        _input, output = _kind(kind)
        access.check_program3(request.user)
        records = KINDS[kind].objects.for_listing()
        year = request.query_params.get("year", "")
        if year.isascii() and year.isdigit() and len(year) == 4:
            records = records.in_year(int(year))
        paginator = BoundedLimitOffsetPagination()
        page = paginator.paginate_queryset(records, request, view=self)
        return paginator.get_paginated_response(output(page, many=True).data)

    @extend_schema(
        operation_id="compliance_program3_create",
        request=PolymorphicProxySerializer(
            "Program3RecordInput", serializers=[i for i, _o in SERIALIZERS.values()], resource_type_field_name=None
        ),
        responses={
            201: PolymorphicProxySerializer(
                "Program3Record", serializers=[o for _i, o in SERIALIZERS.values()], resource_type_field_name=None
            )
        },
    )
    def post(self, request: Request, kind: str) -> Response:
        input_class, output = _kind(kind)
        access.check_program3(request.user, write=True)
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            record = program3_record_create(kind=kind, by=request.user, values=dict(serializer.validated_data))  # type: ignore[arg-type]
        except RecordRefused as refused:
            raise ValidationError({"detail": str(refused)}) from refused
        return Response(output(record).data, status=status.HTTP_201_CREATED)
