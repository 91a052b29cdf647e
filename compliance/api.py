"""REST API of the sanction cases: list, detail, the steps, the units' follow-ups, the letters.

Objects are fetched through :mod:`compliance.access`, so the API answers like the pages: 404
for what the user may not see, 403 for what they may see but not change. A step the case
refuses answers 409 with the reason in ``detail``. Files go as multipart form data.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance import access, services
from compliance.forms import EVIDENCE_EXTENSIONS, MAX_EVIDENCE_BYTES
from compliance.models import (
    CaseEvent,
    CaseEvidence,
    CaseLetter,
    EvidenceFile,
    NonComplianceUpload,
    SanctionCase,
    ServiceFollowUp,
)
from compliance.states import Category, EvidenceKind, Status, TransitionRefused
from compliance.uploads import noncompliance_list_upload
from core.pagecache import cached_get
from core.pagination import BoundedLimitOffsetPagination
from registry.models import Employer


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Langkah ini tidak dapat dilakukan pada kasus ini."
    default_code = "conflict"


# --- Output serializers ---


class EmployerOutput(serializers.ModelSerializer):
    region = serializers.CharField(source="region.kode_bps", default=None)

    class Meta:
        model = Employer
        fields = ["id", "name", "npp", "nib", "npwp", "address", "region", "kbli_code"]


class CaseOutput(serializers.ModelSerializer):
    employer = EmployerOutput()

    class Meta:
        model = SanctionCase
        fields = [
            "id",
            "employer",
            "category",
            "status",
            "opened_on",
            "deadline",
            "overdue_since",
            "closed_at",
            "reference_period",
            "registered_workers",
            "expected_workers",
            "arrears_amount",
            "warning_1_on",
            "warning_2_on",
            "fine_on",
            "fine_amount",
            "fine_basis",
            "recommendation_number",
            "recommendation_on",
            "revocation_number",
            "revocation_on",
        ]


class FollowUpOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.short_name")

    class Meta:
        model = ServiceFollowUp
        fields = [
            "id",
            "service",
            "unit",
            "status",
            "due_on",
            "overdue_since",
            "withheld_reference",
            "withheld_on",
            "released_reference",
            "released_on",
        ]


class EvidenceOutput(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvidence
        fields = ["id", "kind", "original_name", "sha256", "size", "download"]

    def get_download(self, evidence: CaseEvidence) -> str:
        return reverse("compliance:evidence", args=[evidence.pk])


class EventOutput(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)
    evidence = EvidenceOutput(many=True, source="evidence.all")

    class Meta:
        model = CaseEvent
        fields = ["id", "action", "from_status", "to_status", "actor", "at", "note", "followup", "evidence"]


class LetterOutput(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = CaseLetter
        fields = ["id", "kind", "number", "issued_on", "sha256", "download"]

    def get_download(self, letter: CaseLetter) -> str:
        return reverse("compliance-api:letter-download", args=[letter.pk])


class CaseDetailOutput(CaseOutput):
    followups = FollowUpOutput(many=True, source="followups.all")
    events = serializers.SerializerMethodField()
    letters = LetterOutput(many=True, source="letters.all")
    next_steps = serializers.SerializerMethodField()

    class Meta(CaseOutput.Meta):
        fields = [*CaseOutput.Meta.fields, "followups", "events", "letters", "next_steps"]

    @extend_schema_field(EventOutput(many=True))
    def get_events(self, case: SanctionCase) -> Any:
        events = self.context.get("events", case.events.all())
        return EventOutput(events, many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_next_steps(self, case: SanctionCase) -> list[str]:
        user = self.context["request"].user
        if not access.can_write(user):
            return []
        return [t.action for t in case.available_transitions(user) if t.action in services.STEPS]


# --- Input serializers ---


def _check_files(attrs: dict[str, Any], names: list[str]) -> None:
    """The same limits as the pages' forms: PDF/JPG/PNG, at most 10 MB each."""
    errors = {}
    for name in names:
        file = attrs.get(name)
        if file and file.size > MAX_EVIDENCE_BYTES:
            errors[name] = "Berkas bukti paling besar 10 MB."
        elif file and not file.name.lower().endswith(EVIDENCE_EXTENSIONS):
            errors[name] = "Bukti harus berupa PDF, JPG atau PNG."
    if errors:
        raise serializers.ValidationError(errors)


class StepInput(serializers.Serializer):
    """Every field any step reads; each step takes what it needs and refuses what is missing."""

    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.FileField(required=False)
    evidence_kind = serializers.ChoiceField(choices=EvidenceKind.choices, required=False, default=EvidenceKind.OTHER)
    payment = serializers.FileField(required=False, help_text="Bukti pembayaran (ajukan_pencabutan).")
    registration = serializers.FileField(required=False, help_text="Bukti pendaftaran (ajukan_pencabutan).")
    corrected_data = serializers.FileField(required=False, help_text="Bukti data benar (ajukan_pencabutan).")
    issued_on = serializers.DateField(required=False, allow_null=True, default=None)
    imposed_on = serializers.DateField(required=False, allow_null=True, default=None)
    revoked_on = serializers.DateField(required=False, allow_null=True, default=None)
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True, default=None)
    contributions_owed = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        required=False,
        allow_null=True,
        default=None,
        help_text="Iuran terutang (denda): denda = 0,1% x iuran x bulan sejak teguran II berakhir.",
    )
    number = serializers.CharField(required=False, allow_blank=True, default="")
    services = serializers.ListField(
        child=serializers.ChoiceField(choices=ServiceFollowUp.Service.choices), required=False, default=list
    )

    PROOFS = {
        "payment": EvidenceKind.PAYMENT,
        "registration": EvidenceKind.REGISTRATION,
        "corrected_data": EvidenceKind.DATA,
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_files(attrs, ["evidence", *self.PROOFS])
        return attrs

    def evidence_files(self) -> list[EvidenceFile]:
        data = self.validated_data
        files = [EvidenceFile(kind=kind, file=data[name]) for name, kind in self.PROOFS.items() if data.get(name)]
        if data.get("evidence"):
            files.append(EvidenceFile(kind=data["evidence_kind"], file=data["evidence"]))
        return files


class FollowUpInput(serializers.Serializer):
    reference_number = serializers.CharField()
    on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.FileField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_files(attrs, ["evidence"])
        return attrs


# --- Views ---


class CaseListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", enum=Status.values),
            OpenApiParameter("category", enum=Category.values),
            OpenApiParameter("region", description="Kode BPS wilayah, misalnya 3171"),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        # The answer is paginated (LimitOffsetPagination), as the body below returns it.
        operation_id="compliance_cases_list",
        responses=inline_serializer(
            "PaginatedCaseList",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": CaseOutput(many=True),
            },
        ),
    )
    @cached_get
    def get(self, request: Request) -> Response:
        cases = access.cases_for_user(request.user).with_employer().order_by("-opened_on", "-pk")
        params = request.query_params
        if any("\x00" in value for value in params.values()):  # PostgreSQL text cannot hold NUL: no such case
            raise serializers.ValidationError({"detail": "Parameter berisi karakter NUL."})
        if params.get("status"):
            cases = cases.filter(status=params["status"])
        if params.get("category"):
            cases = cases.filter(category=params["category"])
        if params.get("region"):
            cases = cases.filter(employer__region__kode_bps=params["region"])
        if params.get("overdue") in {"1", "true"}:
            cases = cases.open().filter(overdue_since__isnull=False)
        paginator = BoundedLimitOffsetPagination()
        page = paginator.paginate_queryset(cases, request, view=self)
        return paginator.get_paginated_response(CaseOutput(page, many=True).data)


def _case_detail(request: Request, pk: int) -> Response:
    case = access.get_case_for_user(request.user, pk)
    events = case.events.select_related("actor").prefetch_related("evidence")
    return Response(CaseDetailOutput(case, context={"request": request, "events": events}).data)


class CaseDetailApi(APIView):
    @extend_schema(responses=CaseDetailOutput)
    def get(self, request: Request, pk: int) -> Response:
        return _case_detail(request, pk)


class CaseStepApi(APIView):
    """Take one step (``action`` as in ``compliance.states.TRANSITIONS``) on a case."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": StepInput, "application/json": StepInput},
        responses={200: CaseDetailOutput, 409: OpenApiResponse(description="langkah ditolak, alasan di detail")},
    )
    def post(self, request: Request, pk: int, action: str) -> Response:
        if action not in services.STEPS:
            raise NotFound
        case = access.get_case_for_user(request.user, pk, write=True)
        data: Any = request.data
        serializer = StepInput(data=data)
        serializer.is_valid(raise_exception=True)
        try:
            services.case_take_step(
                case=case,
                by=request.user,  # type: ignore[arg-type]
                action=action,
                values=dict(serializer.validated_data),
                evidence=serializer.evidence_files(),
            )
        except TransitionRefused as refused:
            raise Conflict(detail=str(refused)) from refused
        return _case_detail(request, pk)


class FollowUpRecordApi(APIView):
    """A service unit records that it withheld its service (or, after revocation, restored it)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": FollowUpInput, "application/json": FollowUpInput},
        responses={200: FollowUpOutput, 409: OpenApiResponse(description="ditolak, alasan di detail")},
    )
    def post(self, request: Request, pk: int) -> Response:
        followup = access.get_followup_for_user(request.user, pk, write=True)
        serializer = FollowUpInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evidence = [EvidenceFile(EvidenceKind.SERVICE_NOTICE, data["evidence"])] if data.get("evidence") else []
        withholding = followup.status == ServiceFollowUp.Status.REQUESTED
        try:
            if withholding:
                followup.record_withheld(
                    by=request.user,  # type: ignore[arg-type]
                    reference_number=data["reference_number"],
                    withheld_on=data["on"],
                    note=data["note"],
                    evidence=evidence,
                )
            else:
                followup.record_released(
                    by=request.user,  # type: ignore[arg-type]
                    reference_number=data["reference_number"],
                    released_on=data["on"],
                    note=data["note"],
                    evidence=evidence,
                )
        except TransitionRefused as refused:
            raise Conflict(detail=str(refused)) from refused
        return Response(FollowUpOutput(followup).data)


class LetterDownloadApi(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="surat PDF")})
    def get(self, request: Request, pk: int) -> FileResponse:
        letter = access.get_letter_for_user(request.user, pk)
        response = FileResponse(
            letter.file.open("rb"),
            as_attachment=True,
            filename=f"surat-{letter.kind}-{letter.case_id}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        return response


class UploadInput(serializers.Serializer):
    file = serializers.FileField(help_text="Daftar ketidakpatuhan, CSV atau XLSX.")
    dry_run = serializers.BooleanField(required=False, default=False, help_text="Periksa saja, tanpa menyimpan.")


class RowErrorOutput(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()


class UploadSummaryOutput(serializers.Serializer):
    rows = serializers.IntegerField()
    accepted = serializers.BooleanField()
    stored = serializers.BooleanField()
    # Declared fields leave the class attributes, so Serializer.errors is not shadowed at run time.
    errors = RowErrorOutput(many=True)  # type: ignore[assignment]
    employers_created = serializers.IntegerField(required=False)
    cases_opened = serializers.IntegerField(required=False)
    cases_existing = serializers.IntegerField(required=False)
    notes = serializers.ListField(child=serializers.CharField())


class NonComplianceUploadApi(APIView):
    """BPJS uploads a non-compliance list: 201 applied, 200 dry run passed, 400 refused with every row error."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": UploadInput},
        # 400 is either the refused list's summary or DRF's field errors of the request itself (no file).
        responses={
            201: UploadSummaryOutput,
            200: UploadSummaryOutput,
            400: PolymorphicProxySerializer(
                component_name="UploadRefused",
                serializers=[
                    UploadSummaryOutput,
                    inline_serializer(
                        "UploadInputErrors", {"file": serializers.ListField(child=serializers.CharField())}
                    ),
                ],
                resource_type_field_name=None,
            ),
        },
    )
    def post(self, request: Request) -> Response:
        if not access.can_upload_lists(request.user):
            raise PermissionDenied
        serializer = UploadInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        file, dry_run = serializer.validated_data["file"], serializer.validated_data["dry_run"]
        outcome = noncompliance_list_upload(
            file=file,
            filename=file.name,
            by=request.user,  # type: ignore[arg-type]
            source=NonComplianceUpload.Source.API,
            dry_run=dry_run,
        )
        code: int
        if not outcome.result.accepted:
            code = status.HTTP_400_BAD_REQUEST
        else:
            code = status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED
        return Response(outcome.summary(), status=code)
