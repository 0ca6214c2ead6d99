"""Baseline views of the read-path benchmark, mounted under /graphql/bench/ only in the server that
``make bench`` starts (``BENCH_READPATH=1``), behind the same middleware as /graphql/.

- ``/graphql/bench/cached/``: the same 50 product rows as the GraphQL page, from one Redis key.
- ``/graphql/bench/orm/``: the same 50 rows and the count, read from PostgreSQL on every request.
- ``/graphql/bench/hello/``: a constant.

``BenchMiddleware`` (outermost) reports the SQL statements a request ran in ``X-Bench-SQL``;
``RetireCatalogMiddleware`` (just after the tenant middleware), for a request carrying
``X-Bench-Uncached``, retires the tenant's catalog generation first (one Redis SET), so the
request meets the caches as the first read after a write does.
"""

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.urls import path

from catalog.models import Product
from saas import cache as cache_keys

FIELDS = ("id", "name", "description", "sku", "price", "is_active", "created_at", "updated_at")
PAGE = 50


def _rows() -> dict:
    queryset = Product.objects.order_by("pk")
    return {"rows": list(queryset.values(*FIELDS)[:PAGE]), "total_count": queryset.count()}


def cached_rows(request):
    page = cache.get("bench:readpath:rows")
    if page is None:
        page = _rows()
        cache.set("bench:readpath:rows", page, timeout=None)
    return JsonResponse(page)


def orm_rows(request):
    return JsonResponse(_rows())


def hello(request):
    return JsonResponse({"hello": "world"})


urlpatterns = [
    path("cached/", cached_rows),
    path("orm/", orm_rows),
    path("hello/", hello),
]


class BenchMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        statements = 0

        def count(execute, sql, params, many, context):
            nonlocal statements
            statements += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = self.get_response(request)
        response["X-Bench-SQL"] = str(statements)
        return response


class RetireCatalogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "X-Bench-Uncached" in request.headers:
            cache_keys.bump_generation(cache_keys.PRODUCTS)
        return self.get_response(request)
