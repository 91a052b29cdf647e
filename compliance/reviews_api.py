"""REST API of the similar-name review queue: the pending pairs, and the answer to one.

Fetched through :mod:`compliance.access` like the page: 404 to whoever may not see the queue,
403 to leadership on an answer, 409 with the reason when the answer is refused.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance import access, services
from compliance.api import Conflict, EmployerOutput
from compliance.models import NameReview
from compliance.states import TransitionRefused
from core.pagination import BoundedLimitOffsetPagination


class NameReviewOutput(serializers.ModelSerializer):
    candidate = EmployerOutput()
    region = serializers.CharField(source="region.kode_bps")
    upload = serializers.IntegerField(source="upload_id", allow_null=True)
    new_employer = serializers.IntegerField(source="employer_id", allow_null=True)
    decided_by = serializers.CharField(source="decided_by.username", default=None)

    class Meta:
        model = NameReview
        fields = ["id", "upload", "row", "listed", "new_employer", "candidate", "region", "score", "status",
                  "decided_by", "decided_at"]  # fmt: skip


class NameReviewDecisionInput(serializers.Serializer):
    same = serializers.BooleanField(help_text="true: pemberi kerja yang sama (digabung); false: berbeda.")


class NameReviewListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=NameReview.Status.values, description="bawaan: menunggu"),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        operation_id="compliance_name_reviews_list",
        responses=inline_serializer(
            "PaginatedNameReviewList",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": NameReviewOutput(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        if not access.reads_name_reviews(request.user):
            raise NotFound
        wanted = request.query_params.get("status", NameReview.Status.PENDING)
        if wanted not in NameReview.Status.values:
            choices = ", ".join(NameReview.Status.values)
            raise serializers.ValidationError({"status": _("Pilihan: %(choices)s.") % {"choices": choices}})
        reviews = access.name_reviews_for_user(request.user).filter(status=wanted).order_by("pk")
        paginator = BoundedLimitOffsetPagination()
        page = paginator.paginate_queryset(reviews, request, view=self)
        return paginator.get_paginated_response(NameReviewOutput(page, many=True).data)


class NameReviewDecideApi(APIView):
    @extend_schema(
        request=NameReviewDecisionInput,
        responses={200: NameReviewOutput, 409: OpenApiResponse(description="ditolak, alasan di detail")},
    )
    def post(self, request: Request, pk: int) -> Response:
        review = access.get_name_review_for_user(request.user, pk, write=True)
        serializer = NameReviewDecisionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data: dict[str, Any] = serializer.validated_data
        try:
            review = services.name_review_decide(review=review, same=data["same"], by=request.user)  # type: ignore[arg-type]
        except TransitionRefused as refused:
            raise Conflict(detail=str(refused)) from refused
        return Response(NameReviewOutput(access.name_reviews_for_user(request.user).get(pk=review.pk)).data)
