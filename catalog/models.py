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
