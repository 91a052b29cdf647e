from django.urls import path

from workplan import views

app_name = "workplan"

urlpatterns = [
    path("", views.plan, name="plan"),
]
