from django.urls import path

from compliance import api, views

app_name = "compliance"

urlpatterns = [
    path("", views.case_list, name="cases"),
    path("dasbor/", views.dashboard, name="dashboard"),
    path("kasus/<int:pk>/", views.case_detail, name="case"),
    path("kasus/<int:pk>/langkah/<slug:action>/", views.case_step, name="case-step"),
    path("tindak-lanjut/<int:pk>/", views.followup_record, name="followup"),
    path("surat/<int:pk>/", views.letter_download, name="letter"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence"),
    path("unggah/", views.list_upload, name="upload"),
    path("unggah/<int:pk>/kesalahan.<str:file_format>", views.upload_errors, name="upload-errors"),
]

# Mounted under /api/compliance/ by mou_tracker/urls.py, namespace "compliance-api".
api_urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="cases"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="case"),
    path("cases/<int:pk>/steps/<slug:action>/", api.CaseStepApi.as_view(), name="case-step"),
    path("followups/<int:pk>/record/", api.FollowUpRecordApi.as_view(), name="followup-record"),
    path("letters/<int:pk>/download/", api.LetterDownloadApi.as_view(), name="letter-download"),
    path("uploads/", api.NonComplianceUploadApi.as_view(), name="uploads"),
]
