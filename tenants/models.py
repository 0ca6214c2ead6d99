from django.db import models
from django_tenants.models import DomainMixin, TenantMixin


class Plan(models.TextChoices):
    FREE = "free", "Free"
    STANDARD = "standard", "Standard"
    ENTERPRISE = "enterprise", "Enterprise"


class Client(TenantMixin):
    """A tenant: one PostgreSQL schema, its domains and its platform controls."""

    name = models.CharField(max_length=100, help_text="Display name of the tenant.")
    is_active = models.BooleanField(default=True, help_text="Suspended tenants answer 403 and refuse websockets.")
    plan = models.CharField(max_length=20, choices=Plan.choices, default=Plan.STANDARD)
    max_users = models.PositiveIntegerField(default=100, help_text="Platform limit on tenant users.")
    max_products = models.PositiveIntegerField(default=10_000, help_text="Platform limit on products.")
    created_on = models.DateTimeField(auto_now_add=True)
    updated_on = models.DateTimeField(auto_now=True)

    # Schemas are dropped by tenants.services.tenant_delete, never as a side effect of a row delete.
    auto_drop_schema = False
    auto_create_schema = False

    class Meta:
        ordering = ["name"]
        verbose_name = "tenant"

    def __str__(self) -> str:
        return f"{self.name} ({self.schema_name})"


class Domain(DomainMixin):
    """A host name that routes to one tenant."""

    class Meta:
        ordering = ["domain"]


class AuditLog(models.Model):
    """What a platform operator did to a tenant or to a tenant's users (public schema)."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=254, help_text="Email of the operator.")
    action = models.CharField(max_length=64)
    tenant_schema = models.CharField(max_length=63, db_index=True)
    target = models.CharField(max_length=254, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.tenant_schema}"


class TenantLeftover(models.Model):
    """Something a deleted tenant left outside PostgreSQL (search documents, cache keys, channel
    groups) because the service holding it was down at deletion time (public schema).

    Written in the transaction that drops the schema, removed once cleaned: see tenants.leftovers.
    """

    schema_name = models.CharField(max_length=63, db_index=True)
    kind = models.CharField(max_length=32)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["schema_name", "kind"], name="tenant_leftover_once")]

    def __str__(self) -> str:
        return f"{self.kind} of {self.schema_name}"
