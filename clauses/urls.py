from django.urls import path

from clauses import views

app_name = "clauses"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("perpanjangan/baru/", views.extension_new, name="extension-new"),
    path("keadaan-kahar/baru/", views.force_majeure_new, name="force-majeure-new"),
    path("keadaan-kahar/<int:pk>/", views.force_majeure_detail, name="force-majeure"),
    path("keadaan-kahar/<int:pk>/tanggapan/", views.force_majeure_respond, name="force-majeure-respond"),
    path("keadaan-kahar/<int:pk>/penyesuaian/", views.force_majeure_adjust, name="force-majeure-adjust"),
    path("alamat/baru/", views.address_change_new, name="address-change-new"),
    path("surat/", views.letters, name="letters"),
    path("surat/baru/", views.letter_new, name="letter-new"),
    path("pengakhiran/baru/", views.termination_new, name="termination-new"),
    path("kerahasiaan/baru/", views.disclosure_new, name="disclosure-new"),
    path("kerahasiaan/<int:pk>/keputusan/", views.disclosure_decide, name="disclosure-decide"),
    path("adendum/", views.amendments, name="amendments"),
    path("adendum/baru/", views.amendment_new, name="amendment-new"),
    path("adendum/<int:pk>/", views.amendment_detail, name="amendment"),
    path("adendum/<int:pk>/terapkan/", views.amendment_apply, name="amendment-apply"),
    path("rencana-kerja/versi/<int:number>/", views.plan_version, name="plan-version"),
]
