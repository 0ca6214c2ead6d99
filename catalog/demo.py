"""The catalog's demo data (tenants.demo): each demo tenant's products, created through the services."""

from decimal import Decimal

from catalog import services
from catalog.models import Product


def seed_products(schema_name: str, spec: dict | None) -> None:
    if spec is None:  # the public schema has no catalog
        return
    existing = set(Product.objects.values_list("sku", flat=True))
    for index, name in enumerate(spec["products"], start=1):
        sku = f"{schema_name.upper()}-{index:04d}"
        if sku not in existing:
            services.product_create(
                name=name,
                sku=sku,
                price=Decimal(f"{index * 3}.99"),
                description=f"{name} from {schema_name}: reliable, tested, shipped worldwide.",
            )
