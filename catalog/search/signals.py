"""Receivers that keep each tenant's index in step with its products and with the tenant's life.

Connected in ``CatalogConfig.ready``. Product signals fire for every write path (GraphQL, admin,
code), so the outbox row is written whichever one changed the product.
"""

import logging

from django.db.models.signals import post_delete, post_save
from django_tenants.utils import tenant_context
from elasticsearch import ApiError, TransportError

from catalog.models import Product, SearchOutbox
from catalog.search.indexes import index_drop, index_rebuild
from catalog.search.outbox import outbox_record
from saas.errors import SearchUnavailable
from tenants.signals import tenant_deleting, tenant_provisioned

logger = logging.getLogger(__name__)


def product_saved(sender, instance: Product, **kwargs) -> None:
    outbox_record(product_id=instance.pk, op=SearchOutbox.Operation.INDEX)


def product_deleted(sender, instance: Product, **kwargs) -> None:
    outbox_record(product_id=instance.pk, op=SearchOutbox.Operation.DELETE)


def create_tenant_index(sender, tenant, **kwargs) -> None:
    """A new tenant gets its index. Search being down does not fail the tenant: ``search_sync``
    creates every missing index when it runs."""
    try:
        with tenant_context(tenant):
            index_rebuild()
    except (ApiError, TransportError):
        logger.warning("could not create the search index of %s; search_sync will", tenant.schema_name, exc_info=True)


def drop_tenant_index(sender, tenant, **kwargs) -> None:
    """A deleted tenant's documents go with it; if they cannot, the deletion stops here, before
    the schema is dropped, rather than leave the tenant's data behind in the search server."""
    try:
        with tenant_context(tenant):
            index_drop()
    except (ApiError, TransportError) as error:
        raise SearchUnavailable(
            f"The search index of {tenant.schema_name} could not be deleted, so the tenant was kept. "
            "Try again when search is available."
        ) from error


def connect() -> None:
    post_save.connect(product_saved, sender=Product, dispatch_uid="catalog.search.product_saved")
    post_delete.connect(product_deleted, sender=Product, dispatch_uid="catalog.search.product_deleted")
    tenant_provisioned.connect(create_tenant_index, dispatch_uid="catalog.search.create_tenant_index")
    tenant_deleting.connect(drop_tenant_index, dispatch_uid="catalog.search.drop_tenant_index")
