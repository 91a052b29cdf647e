from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from workplan.models import Activity, Agreement


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    """The annex as a clerk reads it: programs, activities, both parties, years, funding."""
    agreement = Agreement.objects.prefetch_related("parties").order_by("-signed_on").first()
    activities = Activity.objects.for_agreement(agreement).with_plan() if agreement else Activity.objects.none()
    years = agreement.plan_years if agreement else []
    context = {"agreement": agreement, "activities": activities, "years": years}
    return TemplateResponse(request, "workplan/plan.html", context)
