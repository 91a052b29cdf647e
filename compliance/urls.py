from django.urls import path

from compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.case_list, name="cases"),
    path("kasus/<int:pk>/", views.case_detail, name="case"),
    path("kasus/<int:pk>/langkah/<slug:action>/", views.case_step, name="case-step"),
    path("tindak-lanjut/<int:pk>/", views.followup_record, name="followup"),
    path("surat/<int:pk>/", views.letter_download, name="letter"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence"),
]
