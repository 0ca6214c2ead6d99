"""Users and their bearer tokens, always in the active schema."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone

from users.models import AuthToken, User


def _hash(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


@transaction.atomic
def user_create(
    *, email: str, password: str | None, full_name: str = "", is_staff: bool = False, is_superuser: bool = False
) -> User:
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password:
        password_validation.validate_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str) -> User:
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    token_revoke_all(user=user)
    return user


@transaction.atomic
def user_set_active(*, user: User, is_active: bool) -> User:
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    if not is_active:
        token_revoke_all(user=user)
    return user


def token_issue(*, user: User) -> str:
    """A new random token for ``user``; only its hash is stored."""
    raw = secrets.token_urlsafe(32)
    AuthToken.objects.create(
        user=user,
        key_hash=_hash(raw),
        expires_at=timezone.now() + timedelta(seconds=settings.AUTH_TOKEN_TTL_SECONDS),
    )
    return raw


def token_user(*, raw_token: str) -> User | None:
    """The active user owning a valid token of this schema, or None."""
    if not raw_token or len(raw_token) > 256:
        return None
    token = (
        AuthToken.objects.select_related("user")
        .filter(key_hash=_hash(raw_token), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


def token_revoke(*, raw_token: str) -> bool:
    return bool(
        AuthToken.objects.filter(key_hash=_hash(raw_token), revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


def token_revoke_all(*, user: User) -> int:
    return AuthToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
