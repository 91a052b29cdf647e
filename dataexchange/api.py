"""Data-exchange API: upload a file for a period (dinas systems, BPJS's systems) and read its result."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dataexchange import access, services, tasks
from dataexchange.models import Submission


class SubmissionOutputSerializer(serializers.ModelSerializer[Submission]):
    accepted = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = ["id", "status", "filename", "sha256", "rows", "accepted", "error_count",
                  "matched_active", "matched_inactive", "not_registered", "created_at", "finished_at"]  # fmt: skip

    def get_accepted(self, submission: Submission) -> bool:
        return submission.status == Submission.Status.ACCEPTED

    def to_representation(self, instance: Submission) -> dict[str, Any]:
        """Adds ``errors``: the first 1,000 (``row``, ``column``, ``value``, ``message``); the full report is the
        CSV/XLSX download. (A field cannot be called ``errors`` on a DRF serializer.)"""
        data = dict(super().to_representation(instance))
        data["errors"] = [e.as_dict() for _n, e in zip(range(1000), services.submission_errors(instance), strict=False)]
        return data


class SubmissionCreateAPI(APIView):
    """Upload a CSV/XLSX for an exchange period; 201 with the result, or 202 while a task processes it."""

    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()

    @extend_schema(
        request={"multipart/form-data": InputSerializer},
        responses={201: SubmissionOutputSerializer, 202: SubmissionOutputSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        period = access.get_period_for_user(request.user, pk, write=True)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        submission, new = services.submission_receive(
            file=upload, filename=upload.name, organization=period.unit, period=period, by=request.user,
            schema=services.schema_for(period.stream), source=Submission.Source.API,
        )  # fmt: skip
        if new and submission.size > settings.EXCHANGE_ASYNC_MIN_BYTES:
            transaction.on_commit(lambda: tasks.process_submission.delay(submission.pk))
            return Response(SubmissionOutputSerializer(submission).data, status=status.HTTP_202_ACCEPTED)
        if new:
            submission = services.submission_process(submission_id=submission.pk)
        return Response(SubmissionOutputSerializer(submission).data, status=status.HTTP_201_CREATED)


class SubmissionDetailAPI(APIView):
    @extend_schema(responses=SubmissionOutputSerializer)
    def get(self, request: Request, pk: int) -> Response:
        submission = access.get_submission_for_user(request.user, pk)
        return Response(SubmissionOutputSerializer(submission).data)
