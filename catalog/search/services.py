"""Search service: the only code that talks to Elasticsearch."""

from catalog.search.client import get_client


def search_health() -> dict:
    info = get_client().info()
    return {"ok": True, "version": info.get("version", {}).get("number")}
