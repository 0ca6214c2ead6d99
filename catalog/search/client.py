"""The Elasticsearch client, built once per process from settings."""

from functools import lru_cache
from typing import Any

from django.conf import settings
from elastic_transport import HttpHeaders, Urllib3HttpNode
from elastic_transport.client_utils import DEFAULT, DefaultType
from elasticsearch import Elasticsearch

# The client's versioned media types and the plain ones the emulator accepts instead.
_PLAIN_MEDIA_TYPES = {
    "vnd.elasticsearch+json": "application/json",
    "vnd.elasticsearch+x-ndjson": "application/x-ndjson",
}


class PlainJsonNode(Urllib3HttpNode):
    """Sends plain ``application/json`` (and ``application/x-ndjson`` for bulk bodies): the
    in-memory emulator answers 406 to the client's ``application/vnd.elasticsearch+json;
    compatible-with=9`` media types."""

    def perform_request(
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: HttpHeaders | None = None,
        request_timeout: DefaultType | float | None = DEFAULT,
    ):
        if headers:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                for versioned, plain in _PLAIN_MEDIA_TYPES.items():
                    if name in headers and versioned in headers[name]:
                        headers[name] = plain
        return super().perform_request(method, target, body=body, headers=headers, request_timeout=request_timeout)


@lru_cache(maxsize=1)
def get_client() -> Elasticsearch:
    options: dict[str, Any] = {
        "request_timeout": settings.ELASTICSEARCH_TIMEOUT_SECONDS,
        "max_retries": settings.ELASTICSEARCH_MAX_RETRIES,
        "retry_on_timeout": True,
    }
    if settings.ELASTICSEARCH_ENGINE == "emulator":
        options["node_class"] = PlainJsonNode
    return Elasticsearch(settings.ELASTICSEARCH_URL, **options)
