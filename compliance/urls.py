from django.urls import path

from compliance import api, program3_api, program3_views, reviews_api, views

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
    path("tinjauan-nama/", views.name_review_list, name="name-reviews"),
    path("tinjauan-nama/<int:pk>/", views.name_review_decide, name="name-review-decide"),
    # The other Program 3 activities (3a, 3b, 3d, 3e/3f).
    path("program-3/", program3_views.overview, name="p3"),
    path("program-3/<slug:kind>/", program3_views.record_list, name="p3-list"),
    path("program-3/<slug:kind>/baru/", program3_views.record_new, name="p3-new"),
    path("program-3/<slug:kind>/<int:pk>/", program3_views.record_detail, name="p3-record"),
    path("program-3/<slug:kind>/<int:pk>/lembar.pdf", program3_views.record_sheet, name="p3-sheet"),
    path("program-3/<slug:kind>/<int:pk>/lampirkan/", program3_views.record_attach, name="p3-attach"),
]

# Mounted under /api/compliance/ by mou_tracker/urls.py, namespace "compliance-api".
api_urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="cases"),
    path("cases/<int:pk>/", api.CaseDetailApi.as_view(), name="case"),
    path("cases/<int:pk>/steps/<slug:action>/", api.CaseStepApi.as_view(), name="case-step"),
    path("followups/<int:pk>/record/", api.FollowUpRecordApi.as_view(), name="followup-record"),
    path("letters/<int:pk>/download/", api.LetterDownloadApi.as_view(), name="letter-download"),
    path("uploads/", api.NonComplianceUploadApi.as_view(), name="uploads"),
    path("program3/<slug:kind>/", program3_api.Program3RecordsApi.as_view(), name="p3-records"),
    path("name-reviews/", reviews_api.NameReviewListApi.as_view(), name="name-reviews"),
    path("name-reviews/<int:pk>/decide/", reviews_api.NameReviewDecideApi.as_view(), name="name-review-decide"),
]
