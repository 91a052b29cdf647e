from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.report_list, name="reports"),
    path("laporan/<int:pk>/", views.report_detail, name="report"),
    path("laporan/<int:pk>/status/", views.report_status, name="report-status"),
    path("laporan/<int:pk>/rekomendasi/", views.report_recommendations, name="report-recommendations"),
    path("laporan/<int:pk>/final/", views.report_finalise, name="report-finalise"),
    path("laporan/<int:pk>/setujui/", views.report_approve, name="report-approve"),
    path("laporan/<int:pk>/unduh/", views.report_download, name="report-download"),
    path("verifikasi/", views.verify, name="verify"),
    path("verifikasi/<uuid:token>/", views.verify, name="verify-token"),
    path("dasbor/", views.dashboard_view, name="dashboard"),
    path("dasbor/matriks.xlsx", views.export_matrix, name="export-matrix"),
    path("dasbor/triwulan-<int:year>.xlsx", views.export_quarters, name="export-quarters"),
    path("dasbor/kasus-<int:year>.<str:file_format>", views.export_cases, name="export-cases"),
]
