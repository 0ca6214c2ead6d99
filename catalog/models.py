from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models


class Product(models.Model):
    """Something a tenant sells. Lives in the tenant's schema."""

    name = models.CharField(max_length=200, help_text="Display name.")
    description = models.TextField(blank=True, max_length=5000, help_text="Free text, searchable.")
    sku = models.CharField(max_length=64, unique=True, help_text="Stock keeping unit, unique per tenant.")
    price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))], help_text="Unit price."
    )
    is_active = models.BooleanField(default=True, help_text="Inactive products are hidden from shoppers.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(price__gte=0), name="catalog_product_price_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"


class SearchOutbox(models.Model):
    """A product change still to be applied to the tenant's search index (transactional outbox).

    Written by the Product signals in the transaction that changes the product, so the change and
    the promise to index it commit together. The row id doubles as the document version
    (Elasticsearch external versioning): ids only grow, so replaying an old row never overwrites
    a newer document. A relay pushes pending rows after commit and marks them processed;
    ``search_sync`` replays whatever is still pending and prunes the processed ones.
    """

    class Operation(models.TextChoices):
        INDEX = "index", "Index"
        DELETE = "delete", "Delete"

    product_id = models.BigIntegerField(help_text="Product whose document changes; it may no longer exist.")
    op = models.CharField(max_length=6, choices=Operation.choices, help_text="What happened to the product.")
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0, help_text="Failed pushes so far.")
    last_error = models.TextField(blank=True, help_text="Why the last push failed.")
    processed_at = models.DateTimeField(null=True, blank=True, help_text="When the change reached the index.")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(processed_at__isnull=True), name="catalog_outbox_pending"),
            models.Index(fields=["processed_at"], name="catalog_outbox_processed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.op} product {self.product_id} (v{self.pk})"

    @property
    def version(self) -> int:
        """The external document version this change is indexed with."""
        return self.pk
