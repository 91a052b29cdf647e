from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from accounts.models import Role

# Where each role starts its day: the page with its own work on it.
START_PAGE: dict[str, str] = {
    Role.DINAS_STAFF: "workplan:tasks",
    Role.BPJS_OFFICER: "workplan:tasks",
    Role.SECRETARIAT: "workplan:review-queue",
    Role.FOLLOWUP_AGENCY: "compliance:cases",
    Role.LEADERSHIP: "evaluation:dashboard",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    role = getattr(request.user, "role", "")
    return redirect(START_PAGE.get(role, "workplan:plan"))


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for the load balancer and docker-compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
