"""Demo data (README.md, "Quick start"): the public host, tenants acme and beta, their users and products.

The tenants come from here; what is in them comes from the apps' seeders (``tenants.hooks.demo_seeders``:
catalog.demo, users.demo), which get each tenant's entry of ``DEMO_TENANTS``."""

from typing import TypedDict

from django_tenants.utils import tenant_context

from tenants.hooks import demo_seeders
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


def _seed(schema_name: str, spec: DemoTenant | None) -> None:
    # Each app's demo data (tenants.hooks.demo_seeders), in their order: products before users, so
    # seeding the catalog is not news for the demo users' notification feeds.
    for _name, seeder in sorted(demo_seeders.items(), key=lambda item: item[1].order):
        seeder.seed(schema_name, spec)


def bootstrap_demo(*, stdout=None) -> None:
    """Create or refresh the demo platform. Safe to run any number of times."""
    public = public_tenant_ensure(domain="localhost")
    with tenant_context(public):
        _seed(public.schema_name, None)
    for spec in DEMO_TENANTS:
        tenant = Client.objects.filter(schema_name=spec["schema_name"]).first()
        if tenant is None:
            tenant = tenant_create(name=spec["name"], schema_name=spec["schema_name"], domain=spec["domain"])
            if stdout:
                stdout.write(f"created tenant {spec['schema_name']} ({spec['domain']})")
        with tenant_context(tenant):
            _seed(spec["schema_name"], spec)
