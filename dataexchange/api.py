"""Data-exchange API: upload a file for a period (dinas systems, BPJS's systems) and read its result."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dataexchange import access, services
from dataexchange.models import Submission
from dataexchange.uploads import submission_start


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="Baris seperti terlihat di Excel; kosong: seluruh berkas."
    )
    column = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()


class SubmissionOutputSerializer(serializers.ModelSerializer[Submission]):
    accepted = serializers.SerializerMethodField()
    # DRF's metaclass takes declared fields off the class, so Serializer.errors (validation) is left as it is.
    errors = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="1.000 kesalahan pertama; laporan lengkap diunduh sebagai CSV/XLSX."
    )

    class Meta:
        model = Submission
        fields = ["id", "status", "filename", "sha256", "rows", "accepted", "error_count", "errors",
                  "matched_active", "matched_inactive", "not_registered", "created_at", "finished_at"]  # fmt: skip

    def get_accepted(self, submission: Submission) -> bool:
        return submission.status == Submission.Status.ACCEPTED

    @extend_schema_field(RowErrorSerializer(many=True))
    def get_errors(self, submission: Submission) -> list[dict[str, Any]]:
        return [e.as_dict() for _n, e in zip(range(1000), services.submission_errors(submission), strict=False)]


class ExchangeUploadInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (koma, titik koma atau tab; UTF-8 atau Windows-1252) atau XLSX.")


UPLOAD_RESPONSES = {
    201: OpenApiResponse(SubmissionOutputSerializer, description="Diproses: diterima atau ditolak seluruhnya."),
    202: OpenApiResponse(SubmissionOutputSerializer, description="Berkas besar: diproses di latar belakang."),
    400: OpenApiResponse(description="Permintaan tanpa berkas (galat per kolom permintaan)."),
    403: OpenApiResponse(description="Boleh membaca, tidak boleh mengunggah."),
    404: OpenApiResponse(description="Tidak ada, atau bukan milik unit Anda."),
}


def _started(submission: Submission, *, new: bool) -> Response:
    submission, queued = submission_start(submission, new=new)
    code = status.HTTP_202_ACCEPTED if queued else status.HTTP_201_CREATED
    return Response(SubmissionOutputSerializer(submission).data, status=code)


class MembershipCreateAPI(APIView):
    """BPJS's systems send the membership extract (NIK, Status Kepesertaan, Bulan Iuran Terakhir) for a stream.

    Only the receiving BPJS office (token of one of its officers); processed all or nothing like a list,
    a re-sent file is recognised by SHA-256 and answered with the first result.
    """

    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="exchange_membership_upload",
        request={"multipart/form-data": ExchangeUploadInputSerializer},
        responses=UPLOAD_RESPONSES,
    )
    def post(self, request: Request, code: str) -> Response:
        stream = access.get_membership_stream_for_user(request.user, code, write=True)
        data = ExchangeUploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        submission, new = services.submission_receive(
            file=upload, filename=upload.name, organization=stream.receiver, period=None, by=request.user,
            schema=services.schema_for(stream, membership=True), source=Submission.Source.API,
        )  # fmt: skip
        return _started(submission, new=new)


class SubmissionCreateAPI(APIView):
    """Upload a CSV/XLSX for an exchange period; 201 with the result, or 202 while a task processes it."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": ExchangeUploadInputSerializer}, responses=UPLOAD_RESPONSES)
    def post(self, request: Request, pk: int) -> Response:
        period = access.get_period_for_user(request.user, pk, write=True)
        data = ExchangeUploadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        submission, new = services.submission_receive(
            file=upload, filename=upload.name, organization=period.unit, period=period, by=request.user,
            schema=services.schema_for(period.stream), source=Submission.Source.API,
        )  # fmt: skip
        return _started(submission, new=new)


class SubmissionDetailAPI(APIView):
    @extend_schema(responses=SubmissionOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        submission = access.get_submission_for_user(request.user, pk)
        return Response(SubmissionOutputSerializer(submission).data)
