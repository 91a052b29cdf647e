"""REST API of the work plan: the agreement, units, activities, quarterly reports and their workflow steps.

Session or token authentication (settings.REST_FRAMEWORK). Objects are fetched through
:mod:`workplan.access`, so the API answers exactly like the pages: 404 for what the user may
not see, 403 for what they may see but not change; every list is scoped in its queryset.
A workflow step the report's state does not allow answers 409 with the reason in ``detail``.
"""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.pagecache import cached_get
from core.pagination import BoundedLimitOffsetPagination
from core.workdays import WorkdayCalendar
from workplan import access, progress
from workplan.models import (
    Activity,
    Agreement,
    EvidenceFile,
    Organization,
    ProgressReport,
    Quarter,
    TransitionError,
    WorkStatus,
    quarter_due_date,
    quarter_end,
)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Langkah ini tidak dapat dilakukan pada laporan ini."
    default_code = "conflict"


def _refusal(error: Exception) -> Conflict:
    return Conflict(detail=str(error))


# --- Output serializers ---


class AgreementOutput(serializers.ModelSerializer):
    class Meta:
        model = Agreement
        fields = ["id", "number", "second_number", "title", "signed_on", "starts_on", "ends_on", "status", "plan_years"]


class OrganizationOutput(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "short_name", "name", "institution", "kind", "parent", "is_active"]


class ResponsibleUnitOutput(serializers.Serializer):
    id = serializers.IntegerField()
    organization = serializers.IntegerField(source="organization_id")
    short_name = serializers.CharField(source="organization.short_name")
    position = serializers.IntegerField()


class ResponsibilityOutput(serializers.Serializer):
    side = serializers.IntegerField()
    text = serializers.CharField()
    units = ResponsibleUnitOutput(many=True, source="units.all")


class ActivityOutput(serializers.ModelSerializer):
    code = serializers.CharField()
    program = serializers.IntegerField(source="program.number")
    responsibilities = ResponsibilityOutput(many=True, source="responsibilities.all")

    class Meta:
        model = Activity
        fields = [
            "id",
            "code",
            "program",
            "title",
            "location",
            "funding",
            "years",
            "output",
            "outcome",
            "responsibilities",
        ]


class UnitYearOutput(serializers.Serializer):
    unit = serializers.IntegerField(source="unit.pk")
    short_name = serializers.CharField(source="unit.organization.short_name")
    status = serializers.ChoiceField(choices=WorkStatus.choices)
    reason = serializers.CharField()


class RollupOutput(serializers.Serializer):
    year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=WorkStatus.choices, source="overall.status")
    # null when the party has no unit on the activity or no status yet (the answer holds null, so must the schema)
    first_party = serializers.ChoiceField(
        choices=WorkStatus.choices, source="parties.1.status", default=None, allow_null=True
    )
    second_party = serializers.ChoiceField(
        choices=WorkStatus.choices, source="parties.2.status", default=None, allow_null=True
    )
    holding_up = UnitYearOutput(many=True, source="overall.holding_up")


class ActivityDetailOutput(ActivityOutput):
    rollup = serializers.SerializerMethodField()

    class Meta(ActivityOutput.Meta):
        fields = [*ActivityOutput.Meta.fields, "rollup"]

    @extend_schema_field(RollupOutput(many=True))
    def get_rollup(self, activity: Activity) -> list[dict[str, Any]]:
        cells = progress.activity_years([activity], list(activity.years))
        return [RollupOutput(cells[(activity.pk, year)]).data for year in activity.years]


class ReportEvidenceOutput(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "original_name", "kind", "size", "sha256", "uploaded_at", "download"]

    def get_download(self, evidence: EvidenceFile) -> str:
        return reverse("workplan-api:evidence-download", args=[evidence.pk])


class ReportOutput(serializers.ModelSerializer):
    activity = serializers.CharField(source="unit.responsibility.activity.code")
    organization = serializers.CharField(source="unit.organization.short_name")
    lock_reason = serializers.CharField()
    due_date = serializers.SerializerMethodField()
    achievement_band = serializers.CharField()

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "unit",
            "activity",
            "organization",
            "year",
            "quarter",
            "work_status",
            "realisation",
            "achievement",
            "achievement_band",
            "obstacles",
            "follow_up",
            "state",
            "lock_reason",
            "due_date",
            "submitted_at",
            "approved_at",
            "returned_at",
            "return_reason",
        ]

    def get_due_date(self, report: ProgressReport) -> datetime.date:
        # One working-day calendar for the whole list (it grows by a year at a time), not a query per row.
        shared = cast(dict[str, Any], self.context)  # the list's context, shared by every row
        calendar = shared.get("calendar")
        if calendar is None:
            calendar = shared["calendar"] = WorkdayCalendar(
                quarter_end(report.year, 1), quarter_end(report.year, 4) + datetime.timedelta(days=60)
            )
        return quarter_due_date(report.year, report.quarter, calendar)


# --- Input serializers ---


class ReportContentInput(serializers.Serializer):
    work_status = serializers.ChoiceField(choices=WorkStatus.choices, required=False)
    realisation = serializers.CharField(required=False, allow_blank=True)
    achievement = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True
    )
    obstacles = serializers.CharField(required=False, allow_blank=True)
    follow_up = serializers.CharField(required=False, allow_blank=True)


class ReportCreateInput(ReportContentInput):
    unit = serializers.IntegerField()
    year = serializers.IntegerField()
    quarter = serializers.ChoiceField(choices=Quarter.choices)


class ReportFilterInput(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=1900, max_value=9999)  # a smallint column
    quarter = serializers.ChoiceField(choices=Quarter.choices, required=False)
    state = serializers.ChoiceField(choices=ProgressReport.State.choices, required=False)


class ReturnInput(serializers.Serializer):
    reason = serializers.CharField()


class YearlyStatusInput(serializers.Serializer):
    status = serializers.ChoiceField(choices=WorkStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReportEvidenceInput(serializers.Serializer):
    file = serializers.FileField()


# --- Views ---


class AgreementListApi(APIView):
    @extend_schema(responses=AgreementOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(AgreementOutput(Agreement.objects.all(), many=True).data)


class AgreementDetailApi(APIView):
    @extend_schema(responses=AgreementOutput)
    def get(self, request: Request, pk: int) -> Response:
        agreement = Agreement.objects.filter(pk=pk).first()
        if agreement is None:
            raise Http404
        return Response(AgreementOutput(agreement).data)


class OrganizationListApi(APIView):
    @extend_schema(responses=OrganizationOutput(many=True))
    def get(self, request: Request) -> Response:
        return Response(OrganizationOutput(Organization.objects.all(), many=True).data)


class ActivityListApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("year", int), OpenApiParameter("organization", int)],
        responses=ActivityOutput(many=True),
    )
    @cached_get
    def get(self, request: Request) -> Response:
        activities = Activity.objects.with_plan()
        year, organization = request.query_params.get("year"), request.query_params.get("organization")
        # Digits only, and short enough for the columns they are compared with (a year is a smallint):
        # a longer number is no year or unit of this plan and matches nothing.
        if year and year.isascii() and year.isdigit():  # "¹¹".isdigit() is true, int("¹¹") fails
            activities = activities.in_year(int(year)) if len(year) <= 4 else activities.none()
        if organization and organization.isascii() and organization.isdigit():
            organization_id = int(organization) if len(organization) <= 18 else 0
            activities = activities.filter(responsibilities__units__organization_id=organization_id).distinct()
        return Response(ActivityOutput(activities, many=True).data)


class ActivityDetailApi(APIView):
    @extend_schema(responses=ActivityDetailOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ActivityDetailOutput(access.get_activity_for_user(request.user, pk)).data)


# What ReportOutput reads, and no more: with_context() joined 10 tables and built 7 model objects per
# row (the creator and returner too, every user column); profile in docs/assurance.md, section 6.
REPORT_LIST_RELATED = ("unit__organization", "unit__responsibility__activity__program", "submitted_by", "approved_by")
REPORT_LIST_FIELDS = (
    *(name for name in ReportOutput.Meta.fields if name in {f.name for f in ProgressReport._meta.concrete_fields}),
    "unit__organization__short_name",
    "unit__responsibility__activity__letter",
    "unit__responsibility__activity__program__number",
    *(f"{who}__{name}" for who in ("submitted_by", "approved_by") for name in ("username", "first_name", "last_name")),
)


class ReportListApi(APIView):
    """Reports the user may see (``GET``), or a new draft for a unit the user reports for (``POST``)."""

    @extend_schema(
        operation_id="reports_list",
        parameters=[ReportFilterInput, OpenApiParameter("limit", int), OpenApiParameter("offset", int)],
        responses=inline_serializer(
            "PaginatedReportList",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": ReportOutput(many=True),
            },
        ),
    )
    @cached_get
    def get(self, request: Request) -> Response:
        filters = {name: value for name, value in _valid(ReportFilterInput, request.query_params).items() if value}
        reports = access.reports_visible_to(request.user).filter(**filters)
        reports = reports.select_related(*REPORT_LIST_RELATED).only(*REPORT_LIST_FIELDS)
        paginator = BoundedLimitOffsetPagination()
        page = paginator.paginate_queryset(reports.order_by("year", "quarter", "unit", "pk"), request, view=self)
        return paginator.get_paginated_response(ReportOutput(page, many=True).data)

    @extend_schema(
        request=ReportCreateInput, responses={201: ReportOutput, 409: OpenApiResponse(description="ditolak")}
    )
    def post(self, request: Request) -> Response:
        data = _valid(ReportCreateInput, request.data)
        unit = access.get_unit_for_user(request.user, data.pop("unit"), write=True)
        year, quarter = data.pop("year"), int(data.pop("quarter"))
        if ProgressReport.objects.filter(unit=unit, year=year, quarter=quarter).exists():
            raise Conflict("Laporan triwulan ini sudah ada.")
        try:
            report = progress.report_start(unit=unit, year=year, quarter=quarter, by=request.user)
            report.edit(by=request.user, **data)
        except TransitionError as error:
            raise _refusal(error) from error
        return Response(ReportOutput(report).data, status=status.HTTP_201_CREATED)


class ReportDetailApi(APIView):
    """One report (``GET``); its e-Monev fields while it is a draft or returned (``PATCH``)."""

    @extend_schema(responses=ReportOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ReportOutput(access.get_report_for_user(request.user, pk)).data)

    @extend_schema(request=ReportContentInput, responses=ReportOutput)
    def patch(self, request: Request, pk: int) -> Response:
        report = access.get_report_for_user(request.user, pk, write=True)
        try:
            report.edit(by=request.user, **_valid(ReportContentInput, request.data))
        except TransitionError as error:
            raise _refusal(error) from error
        return Response(ReportOutput(report).data)


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ReportSubmitApi(APIView):
    @extend_schema(request=None, responses={200: ReportOutput, 409: OpenApiResponse(description="ditolak")})
    def post(self, request: Request, pk: int) -> Response:
        report = access.get_report_for_user(request.user, pk, write=True)
        return _step(report, lambda: report.submit(by=request.user))


class ReportApproveApi(APIView):
    @extend_schema(request=None, responses={200: ReportOutput, 409: OpenApiResponse(description="ditolak")})
    def post(self, request: Request, pk: int) -> Response:
        report = access.get_report_for_user(request.user, pk, review=True)
        return _step(report, lambda: report.approve(by=request.user))


class ReportReturnApi(APIView):
    @extend_schema(request=ReturnInput, responses={200: ReportOutput, 409: OpenApiResponse(description="ditolak")})
    def post(self, request: Request, pk: int) -> Response:
        report = access.get_report_for_user(request.user, pk, review=True)
        reason = _valid(ReturnInput, request.data)["reason"]
        return _step(report, lambda: report.return_(by=request.user, reason=reason))


def _step(report: ProgressReport, action: Any) -> Response:
    try:
        action()
    except TransitionError as error:
        raise _refusal(error) from error
    return Response(ReportOutput(report).data)


class EvidenceListApi(APIView):
    """A report's evidence files (``GET``); upload one while the report is editable (``POST``, multipart)."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=ReportEvidenceOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        report = access.get_report_for_user(request.user, pk)
        return Response(ReportEvidenceOutput(report.evidence.all(), many=True).data)

    @extend_schema(request={"multipart/form-data": ReportEvidenceInput}, responses={201: ReportEvidenceOutput})
    def post(self, request: Request, pk: int) -> Response:
        report = access.get_report_for_user(request.user, pk, write=True)
        upload = _valid(ReportEvidenceInput, request.data)["file"]
        try:
            evidence = progress.evidence_attach(report=report, upload=upload, by=request.user)
        except progress.EvidenceRejected as error:
            raise serializers.ValidationError({"file": [str(error)]}) from error
        except TransitionError as error:
            raise _refusal(error) from error
        return Response(ReportEvidenceOutput(evidence).data, status=status.HTTP_201_CREATED)


class EvidenceDownloadApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiResponse(description="berkas bukti dukung")})
    def get(self, request: Request, pk: int) -> FileResponse:
        evidence = access.get_evidence_for_user(request.user, pk)
        response = FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.original_name,
            content_type=progress.CONTENT_TYPES[evidence.kind],
        )
        response["Cache-Control"] = "private, no-store"
        return response


class YearlyStatusApi(APIView):
    """Set a responsible unit's status for a year; refused (409) with the reason when its reports disagree."""

    @extend_schema(
        request=YearlyStatusInput,
        responses={
            200: inline_serializer(
                "YearlyStatusOutput",
                {
                    "unit": serializers.IntegerField(),
                    "year": serializers.IntegerField(),
                    "status": serializers.CharField(),
                    "reason": serializers.CharField(),
                },
            )
        },
    )
    def put(self, request: Request, unit_pk: int, year: int) -> Response:
        unit = access.get_unit_for_user(request.user, unit_pk, write=True)
        data = _valid(YearlyStatusInput, request.data)
        try:
            row = progress.yearly_status_set(unit=unit, year=year, by=request.user, **data)
        except TransitionError as error:
            raise _refusal(error) from error
        return Response({"unit": unit.pk, "year": row.year, "status": row.status, "reason": row.reason})
