"""Tenant lifecycle signals, and the receivers that keep cached host lookups true.

Other apps hook their own per-tenant resources into the lifecycle here (in their apps.py):
``tenant_provisioned`` after a tenant's schema and primary domain exist, ``tenant_deleting``
before its schema is dropped, and ``tenant_status_changed`` after a suspend or resume.
Every receiver gets ``tenant``.
"""

from collections.abc import Sequence
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from saas import cache as cache_keys
from tenants.models import Client, Domain

tenant_provisioned = Signal()
tenant_deleting = Signal()
tenant_status_changed = Signal()


def forget_domains_on_change(hostnames: list[str], tenant_ids: Sequence[int] = ()) -> None:
    """Drop cached host lookups (and host lists of ``tenant_ids``) now and again once the change is
    committed: a request that read the old row before the commit could otherwise cache it again
    for the lookup's lifetime."""
    cache_keys.forget_domains(hostnames, tenant_ids)
    transaction.on_commit(partial(cache_keys.forget_domains, hostnames, tenant_ids))


@receiver([post_save, post_delete], sender=Domain, dispatch_uid="tenants.domain_changed")
def forget_domain(sender, instance: Domain, **kwargs):
    forget_domains_on_change([instance.domain], [instance.tenant_id] if instance.tenant_id else [])


@receiver([post_save, post_delete], sender=Client, dispatch_uid="tenants.client_changed")
def forget_client_domains(sender, instance: Client, **kwargs):
    if instance.pk is None:
        return
    forget_domains_on_change(
        list(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True)), [instance.pk]
    )
