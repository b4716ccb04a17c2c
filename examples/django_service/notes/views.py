"""Views of the notes API."""
import csv
import io
import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from . import services
from .decorators import api_key_required, no_store


def health(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


@api_key_required
@csrf_exempt
def note_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data: Any = json.loads(request.body or b"{}")
        return JsonResponse(services.create(str(data["title"]), str(data.get("body", ""))),
                            status=201)
    return JsonResponse({"notes": services.summarize(list(services.NOTES.values()))})


@method_decorator(no_store, name="dispatch")
class NoteDetail(View):
    @method_decorator(api_key_required)
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        note = services.NOTES.get(pk)
        if note is None:
            return JsonResponse({"error": "not found"}, status=404)
        return JsonResponse(note)


def export_csv(request: HttpRequest) -> HttpResponse:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "title"])
    for note in services.NOTES.values():
        writer.writerow([note["id"], note["title"]])
    return HttpResponse(out.getvalue(), content_type="text/csv")
