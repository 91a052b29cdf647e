from django.urls import path

from dataexchange import api, views

app_name = "dataexchange"

urlpatterns = [
    path("", views.stream_list, name="streams"),
    path("alur/<str:code>/templat.xlsx", views.stream_template, name="template"),
    path("sdi.<str:fmt>", views.sdi_download, name="sdi"),
    path("tinjauan-perusahaan/", views.review_queue, name="review-queue"),
    path("tinjauan-perusahaan/<int:pk>/", views.review_decide, name="review-decide"),
    path("alur/<str:code>/kepesertaan/", views.membership_upload, name="membership"),
    path("periode/<int:pk>/", views.period_detail, name="period"),
    path("kiriman/<int:pk>/", views.submission_detail, name="submission"),
    path("kiriman/<int:pk>/kemajuan/", views.submission_progress, name="progress"),
    path("kiriman/<int:pk>/kesalahan.<str:fmt>", views.submission_errors, name="errors"),
    path("kiriman/<int:pk>/pemadanan/", views.submission_people, name="people"),
    path("kiriman/<int:pk>/pemadanan/ekspor/", views.submission_people_export, name="people-export"),
    path("kiriman/<int:pk>/rekonsiliasi-kpj/", views.kpj_reconciliation, name="kpj"),
    path("kiriman/<int:pk>/rekonsiliasi-kpj/ekspor/", views.kpj_export, name="kpj-export"),
    path("kiriman/<int:pk>/perubahan/", views.change_report, name="changes"),
    path("kiriman/<int:pk>/perubahan/ekspor/", views.change_report_export, name="changes-export"),
    path("kiriman/<int:pk>/ekspor-tanpa-samaran/", views.submission_export_unmasked, name="export-unmasked"),
    path("api/periode/<int:pk>/kiriman/", api.SubmissionCreateAPI.as_view(), name="api-upload"),
    path("api/alur/<str:code>/kepesertaan/", api.MembershipCreateAPI.as_view(), name="api-membership"),
    path("api/kiriman/<int:pk>/", api.SubmissionDetailAPI.as_view(), name="api-submission"),
]
