from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from annual_wheel.models import Activity
from qms import permissions


@login_required
def index(request):
    return render(request, "annual_wheel/index.html")


@login_required
def activity_detail(request, pk: int):
    activity = permissions.get_object_or_404(request.user, Activity, pk=pk)
    return render(request, "annual_wheel/index.html", {"activity": activity})
