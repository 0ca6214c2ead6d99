"""Serves the built React app's index.html for the client-side routes of a tenant host.

The app's own routes are "/" and "/products/<id>" (web/src/features/products/productRoute.ts);
any other path that no view or static file answers is a 404, not the app with 200.
"""

import re

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.views.decorators.http import require_GET

CLIENT_ROUTES = (
    re.compile(r"^/$"),
    re.compile(r"^/products/[^/]+/?$"),
)


def is_client_route(path: str) -> bool:
    return any(route.match(path) for route in CLIENT_ROUTES)


@require_GET
def web_app(request):
    if not is_client_route(request.path):
        raise Http404("No such page.")
    index = settings.WEB_DIST_DIR / "index.html"
    if not index.exists():
        return HttpResponse("The web app is not built. Run `make run` or `npm --prefix web run build`.", status=503)
    response = FileResponse(index.open("rb"), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response
