"""Demo data (README.md, "Quick start"): the public host, tenants acme and beta, their users and products."""

from decimal import Decimal
from typing import TypedDict

from django.conf import settings
from django_tenants.utils import tenant_context

from tenants.models import Client
from tenants.services import public_tenant_ensure, tenant_create


class DemoTenant(TypedDict):
    schema_name: str
    name: str
    domain: str
    products: list[str]


DEMO_TENANTS: list[DemoTenant] = [
    {
        "schema_name": "acme",
        "name": "Acme Corporation",
        "domain": "acme.localhost",
        "products": [
            "Anvil",
            "Rocket Skates",
            "Giant Magnet",
            "Earthquake Pills",
            "Tornado Seeds",
            "Jet-Propelled Unicycle",
            "Bird Seed",
            "Iron Carrot",
            "Dehydrated Boulders",
            "Instant Hole",
            "Spring-Powered Shoes",
            "Batman Outfit",
            "Rocket Sled",
            "Triple-Strength Fortified Leg Muscle Vitamins",
            "Super Outfit",
            "Giant Rubber Band",
            "Invisible Paint",
            "Detonator",
            "Axle Grease",
            "Disintegrating Pistol",
            "Roller Skis",
            "Bat-Man's Outfit",
            "Hi-Speed Tonic",
            "Lightning Bolt Kit",
            "Desert Roadrunner Trap",
            "Cactus Costume",
            "Smoke Bombs",
            "Aspirin Jumbo",
            "Boomerang Deluxe",
            "Catapult",
        ],
    },
    {
        "schema_name": "beta",
        "name": "Beta Industries",
        "domain": "beta.localhost",
        "products": [
            "Quantum Widget",
            "Flux Capacitor",
            "Hyperdrive Coil",
            "Plasma Conduit",
            "Nano Assembler",
            "Gravity Lens",
            "Photon Torpedo",
            "Ion Thruster",
            "Warp Core Casing",
            "Tachyon Emitter",
            "Sonic Screwdriver",
            "Holo Projector",
            "Cryo Chamber",
            "Neutrino Detector",
            "Dark Matter Jar",
            "Fusion Battery",
            "Antimatter Trap",
            "Replicator Pad",
            "Subspace Relay",
            "Cloaking Fabric",
            "Tractor Beam Unit",
            "Phase Inverter",
            "Force Field Dome",
            "Stasis Pod",
            "Graviton Boots",
            "Laser Spanner",
            "Deflector Dish",
            "Chrono Watch",
            "Robot Butler",
            "Teleport Pad",
        ],
    },
]


def _ensure_user(email: str, *, is_staff: bool = False, is_superuser: bool = False):
    from users.models import User
    from users.services import user_create

    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, password=None, is_staff=is_staff, is_superuser=is_superuser)
    user.set_password(settings.DEMO_PASSWORD)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return user


def _ensure_products(schema_name: str, names: list[str]) -> None:
    from catalog import services as catalog_services
    from catalog.models import Product

    existing = set(Product.objects.values_list("sku", flat=True))
    for index, name in enumerate(names, start=1):
        sku = f"{schema_name.upper()}-{index:04d}"
        if sku not in existing:
            catalog_services.product_create(
                name=name,
                sku=sku,
                price=Decimal(f"{index * 3}.99"),
                description=f"{name} from {schema_name}: reliable, tested, shipped worldwide.",
            )


def bootstrap_demo(*, stdout=None) -> None:
    """Create or refresh the demo platform. Safe to run any number of times."""
    public = public_tenant_ensure(domain="localhost")
    with tenant_context(public):
        _ensure_user("admin@platform.test", is_staff=True, is_superuser=True)
    for spec in DEMO_TENANTS:
        tenant = Client.objects.filter(schema_name=spec["schema_name"]).first()
        if tenant is None:
            tenant = tenant_create(name=spec["name"], schema_name=spec["schema_name"], domain=spec["domain"])
            if stdout:
                stdout.write(f"created tenant {spec['schema_name']} ({spec['domain']})")
        with tenant_context(tenant):
            # Products first: seeding the catalog is not news for the demo users' notification feeds.
            _ensure_products(spec["schema_name"], spec["products"])
            _ensure_user(f"owner@{spec['schema_name']}.test", is_staff=True)
            _ensure_user(f"member@{spec['schema_name']}.test")
