from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/dibaca/", views.mark_read, name="mark-read"),
    path("semua-dibaca/", views.mark_all_read, name="mark-all-read"),
    path("pengaturan/", views.preferences, name="preferences"),
    path("kalender/", views.calendar_month, name="calendar"),
    path("kalender/<str:token>.ics", views.feed, name="feed"),
    path("kalender/token/baru/", views.token_create, name="token-create"),
    path("kalender/token/cabut/", views.token_revoke, name="token-revoke"),
    path("eskalasi/", views.escalations, name="escalations"),
]
