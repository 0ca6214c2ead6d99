import strawberry_django
from strawberry import auto, relay

from catalog.models import Product


@strawberry_django.type(Product, name="Product", description="A product of this tenant's catalog.")
class ProductType(relay.Node):
    name: auto
    description: auto
    sku: auto
    price: auto
    is_active: auto
    created_at: auto
    updated_at: auto
