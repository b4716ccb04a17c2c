"""View decorators for the notes API."""
import functools
from functools import wraps
from typing import Any, Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

View = Callable[..., HttpResponse]


def api_key_required(view: View) -> View:
    """401 unless the request carries the service's API key in ``X-Api-Key``."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.headers.get("X-Api-Key") != settings.NOTES_API_KEY:
            return JsonResponse({"error": "missing or wrong API key"}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


def no_store(view: View) -> View:
    """Forbid caches from storing the response (``Cache-Control: no-store``)."""

    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        return response

    return functools.update_wrapper(wrapper, view)
