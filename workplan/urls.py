from django.urls import path

from workplan import views

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
