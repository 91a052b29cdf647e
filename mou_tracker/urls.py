from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from compliance.urls import api_urlpatterns as compliance_api
from core import views as core_views
from workplan.urls import api_urlpatterns as workplan_api

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("rencana-kerja/", include("workplan.urls")),
    path("pertukaran-data/", include("dataexchange.urls")),
    path("klausul/", include("clauses.urls")),
    path("pemberitahuan/", include("notifications.urls")),
    path("kepatuhan/", include("compliance.urls")),
    path("evaluasi/", include("evaluation.urls")),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file: our CSP forbids inline scripts.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="workplan/api_docs.html"),
        name="api-docs",
    ),
    path("api/compliance/", include((compliance_api, "compliance-api"))),
    path("api/", include((workplan_api, "workplan-api"))),
]

# MEDIA_ROOT is never served as /media/, not even in DEBUG: evidence files are confidential
# (Pasal 10) and are downloaded only through access-checked views (workplan.views.evidence_download).
