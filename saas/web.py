"""Serves the built React app's index.html for every client-side route of a tenant host."""

from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def web_app(request):
    index = settings.WEB_DIST_DIR / "index.html"
    if not index.exists():
        return HttpResponse("The web app is not built. Run `make run` or `npm --prefix web run build`.", status=503)
    response = FileResponse(index.open("rb"), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
