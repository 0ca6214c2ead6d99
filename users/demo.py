"""Demo accounts (tenants.demo): the platform operator in public, an owner and a member per tenant,
all with ``DEMO_PASSWORD``."""

from django.conf import settings

from users.models import User
from users.services import user_create


def _ensure_user(email: str, *, is_staff: bool = False, is_superuser: bool = False) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(email=email, password=None, is_staff=is_staff, is_superuser=is_superuser)
    user.set_password(settings.DEMO_PASSWORD)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    return user


def seed_users(schema_name: str, spec: dict | None) -> None:
    if spec is None:
        _ensure_user("admin@platform.test", is_staff=True, is_superuser=True)
        return
    _ensure_user(f"owner@{schema_name}.test", is_staff=True)
    _ensure_user(f"member@{schema_name}.test")
