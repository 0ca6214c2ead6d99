"""Receivers that keep each tenant's index in step with its products and with the tenant's life.

Connected in ``CatalogConfig.ready``. Product signals fire for every write path (GraphQL, admin,
code), so the outbox row is written whichever one changed the product.
"""

import logging

from django.db.models.signals import post_delete, post_save
from django_tenants.utils import tenant_context
from elasticsearch import ApiError, TransportError

from catalog.models import Product, SearchOutbox
from catalog.search.indexes import TenantGone, index_drop, index_rebuild
from catalog.search.outbox import outbox_record
from tenants import leftovers
from tenants.signals import tenant_provisioned

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
    except TenantGone:
        logger.info("tenant %s was deleted before its index was created", tenant.schema_name)
    except (ApiError, TransportError):
        logger.warning("could not create the search index of %s; search_sync will", tenant.schema_name, exc_info=True)


def drop_tenant_index(schema_name: str, detail: dict) -> None:
    """A deleted tenant's documents and alias go with it (in either strategy). Queued by the
    deletion (tenants.leftovers): if search is down, they are removed once it is back."""
    index_drop(schema=schema_name)


def connect() -> None:
    post_save.connect(product_saved, sender=Product, dispatch_uid="catalog.search.product_saved")
    post_delete.connect(product_deleted, sender=Product, dispatch_uid="catalog.search.product_deleted")
    tenant_provisioned.connect(create_tenant_index, dispatch_uid="catalog.search.create_tenant_index")
    leftovers.register("search", drop_tenant_index)
