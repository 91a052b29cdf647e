from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from workplan import api, views

app_name = "workplan"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("matriks/", views.matrix, name="matrix"),
    path("tugas/", views.my_tasks, name="tasks"),
    path("kegiatan/<int:pk>/", views.activity_detail, name="activity"),
    path("status/<int:unit_pk>/<int:year>/", views.yearly_status, name="yearly-status"),
    path("laporan/baru/<int:unit_pk>/<int:year>/<int:quarter>/", views.report_new, name="report-new"),
    path("laporan/<int:pk>/", views.report_detail, name="report"),
    path("laporan/<int:pk>/ajukan/", views.report_submit, name="report-submit"),
    path("laporan/<int:pk>/setujui/", views.report_approve, name="report-approve"),
    path("laporan/<int:pk>/kembalikan/", views.report_return, name="report-return"),
    path("laporan/<int:pk>/bukti/", views.evidence_upload, name="evidence-upload"),
    path("laporan/ekspor.csv", views.reports_export, name="reports-export"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence"),
    path("bukti/<int:pk>/hapus/", views.evidence_delete, name="evidence-delete"),
    path("verifikasi/", views.review_queue, name="review-queue"),
]

# Mounted under /api/ by mou_tracker/urls.py, namespace "workplan-api".
api_urlpatterns = [
    path("token/", obtain_auth_token, name="token"),
    path("agreements/", api.AgreementListApi.as_view(), name="agreements"),
    path("agreements/<int:pk>/", api.AgreementDetailApi.as_view(), name="agreement"),
    path("units/", api.OrganizationListApi.as_view(), name="units"),
    path("units/<int:unit_pk>/years/<int:year>/status/", api.YearlyStatusApi.as_view(), name="yearly-status"),
    path("activities/", api.ActivityListApi.as_view(), name="activities"),
    path("activities/<int:pk>/", api.ActivityDetailApi.as_view(), name="activity"),
    path("reports/", api.ReportListApi.as_view(), name="reports"),
    path("reports/<int:pk>/", api.ReportDetailApi.as_view(), name="report"),
    path("reports/<int:pk>/submit/", api.ReportSubmitApi.as_view(), name="report-submit"),
    path("reports/<int:pk>/approve/", api.ReportApproveApi.as_view(), name="report-approve"),
    path("reports/<int:pk>/return/", api.ReportReturnApi.as_view(), name="report-return"),
    path("reports/<int:pk>/evidence/", api.EvidenceListApi.as_view(), name="report-evidence"),
    path("evidence/<int:pk>/download/", api.EvidenceDownloadApi.as_view(), name="evidence-download"),
]
