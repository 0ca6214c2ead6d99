"""Users and their bearer tokens, always in the active schema."""

import hashlib
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import SESSION_KEY, authenticate, password_validation
from django.contrib.auth import login as session_login
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_out
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from saas import cache as cache_keys
from saas.errors import RateLimited, Unauthenticated
from saas.schemas import on_commit_in_this_schema
from tenants.limits import limit_enforce
from users.models import AuthToken, User
from users.signals import credentials_revoked
from users.token_cache import forget_token_hashes

logger = logging.getLogger(__name__)


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
    limit_enforce(limit_field="max_users", current_count=User.objects.count(), label="users")
    user.save()
    return user


@transaction.atomic
def user_set_password(*, user: User, password: str | None) -> User:
    """A new password (``None``: password sign-in disabled); every token and live socket of the user ends."""
    if password is None:
        user.set_unusable_password()
    else:
        password_validation.validate_password(password, user)
        user.set_password(password)
    user.save(update_fields=["password"])
    token_revoke_all(user=user)
    credentials_revoked.send(sender=User, user=user)
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
    # Spent tokens are kept only until the user signs in again.
    AuthToken.objects.filter(user=user).filter(Q(revoked_at__isnull=False) | Q(expires_at__lte=timezone.now())).delete()
    AuthToken.objects.create(
        user=user,
        key_hash=_hash(raw),
        expires_at=timezone.now() + timedelta(seconds=settings.AUTH_TOKEN_TTL_SECONDS),
    )
    _warm_token_cache_on_commit(raw)
    return raw


def _warm_token_cache_on_commit(raw_token: str) -> None:
    """Fill the token cache once the new token commits, so the client's first request or socket
    (usually within a second of signing in) does not read PostgreSQL. The entry is filled by
    ``token_user_cached`` itself, reading the committed rows in the schema active now, exactly as
    a first request would."""

    def warm() -> None:
        try:
            token_user_cached(raw_token=raw_token)
        except Exception:  # noqa: BLE001 - an unwarmed cache only costs the first request a query
            logger.warning("could not warm the token cache", exc_info=True)

    on_commit_in_this_schema(warm)


def token_user_uncached(*, raw_token: str) -> User | None:
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


# What the token cache keeps of a user: everything but the password hash, which stays in PostgreSQL
# (a cached user loads it lazily if something asks).
_CACHED_USER_FIELDS = tuple(field.attname for field in User._meta.concrete_fields if field.attname != "password")


def token_user_cached(*, raw_token: str) -> User | None:
    """``token_user_uncached`` answered from Redis for up to ``AUTH_TOKEN_CACHE_SECONDS``: no SQL per request.

    An entry is deleted, now and on commit, by anything that may change the answer: a revoke
    (``token_revoke``, ``token_revoke_all``, so also password changes and deactivation), any save
    or deletion of the user or the token (users/receivers.py) and any queryset ``update()`` of
    users or of tokens' validity (users.models.UserQuerySet, AuthTokenQuerySet), which send no
    ``post_save``. The token's own expiry is checked
    here too. Websockets use it to authenticate (``connection_init``) and when a subscription
    starts; queries and mutations sent over a socket re-check the database with ``token_user_uncached``.
    """
    if not raw_token or len(raw_token) > 256:
        return None
    key_hash = _hash(raw_token)
    key = cache_keys.auth_token_key(key_hash)
    entry = cache.get(key)
    now = timezone.now()
    if entry is not None and entry["expires_at"] > now:
        return User.from_db(DEFAULT_DB_ALIAS, list(entry["user"]), list(entry["user"].values()))
    token = (
        AuthToken.objects.select_related("user")
        .filter(key_hash=key_hash, revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    lifetime = min(settings.AUTH_TOKEN_CACHE_SECONDS, int((token.expires_at - now).total_seconds()))
    if lifetime > 0:
        user_row = {name: getattr(token.user, name) for name in _CACHED_USER_FIELDS}
        cache.set(key, {"user": user_row, "expires_at": token.expires_at}, timeout=lifetime)
    return token.user


def forget_token(*, key_hash: str) -> None:
    """The cached answer for one token is dropped (on commit): its row changed."""
    forget_token_hashes([key_hash])


def forget_user_tokens(*, user: User) -> None:
    """Every cached token answer for ``user`` is dropped (on commit): their row changed."""
    forget_token_hashes(AuthToken.objects.filter(user_id=user.pk).values_list("key_hash", flat=True))


def token_revoke(*, raw_token: str) -> bool:
    """Revoke one token; the queryset update forgets its cached answer (users.models.AuthTokenQuerySet)."""
    return bool(
        AuthToken.objects.filter(key_hash=_hash(raw_token), revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


def token_revoke_all(*, user: User) -> int:
    """Revoke every live token of ``user``; the queryset update forgets their cached answers."""
    return AuthToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def client_address(request) -> str:
    """The peer address (a proxy's, unless the proxy is the client): what login attempts are counted by."""
    if isinstance(request, HttpRequest):
        return request.META.get("REMOTE_ADDR") or "unknown"
    client = getattr(request, "scope", {}).get("client")
    return client[0] if client else "unknown"


def user_authenticate(*, email: str, password: str, client_address: str, request: HttpRequest | None = None) -> User:
    """The user these credentials belong to, with sign-in attempts rate limited.

    Attempts are counted per tenant, per client address and per account, before the password is
    checked, so concurrent guesses cannot all slip under the limit; a successful sign-in gives its
    attempt back. Over ``LOGIN_RATE_LIMIT`` attempts within ``LOGIN_RATE_WINDOW_SECONDS`` raises
    ``RateLimited``. Wrong credentials raise ``Unauthenticated`` with one message, whether or not
    the email exists. The GraphQL ``login`` and both admin login forms sign in through here.
    """
    email = email.strip().lower()
    keys = cache_keys.login_attempts_keys(client_address=client_address, email=email)
    counts = [cache_keys.counter_increment(key, settings.LOGIN_RATE_WINDOW_SECONDS) for key in keys]
    if any(count > settings.LOGIN_RATE_LIMIT for count in counts):
        raise RateLimited()
    user = authenticate(request, email=email, password=password)
    if user is None:
        raise Unauthenticated("Invalid email or password.")
    for key in keys:
        cache_keys.counter_decrement(key)
    return user


def user_login(
    *,
    email: str,
    password: str,
    client_address: str,
    request: HttpRequest | None = None,
    start_session: bool = False,
) -> tuple[User, str]:
    """Check the credentials (``user_authenticate``), issue a bearer token and, when asked to
    (``start_session``, with an HTTP request), start a cookie session too. Whether the caller may
    have a session is the interface's decision (saas/graphql/sessions.py)."""
    user = user_authenticate(email=email, password=password, client_address=client_address, request=request)
    token = token_issue(user=user)
    if start_session and request is not None:
        session_login(request, user)
    return user, token


def user_logout(*, request, user: User) -> bool:
    """End what signed this request in: the bearer token it carries, and its session when that
    session is the same user's. ``user_logged_out`` is sent before the session ends, so listeners
    can still tell which sign-in ended (they close its live streams).
    """
    raw_token = getattr(request, "auth_token", None)
    revoked = token_revoke(raw_token=raw_token) if raw_token else False
    session = getattr(request, "session", None)
    ends_session = session is not None and session.get(SESSION_KEY) == str(user.pk)
    user_logged_out.send(sender=User, request=request, user=user)
    if ends_session and session is not None:
        session.flush()
    if isinstance(request, HttpRequest):
        request.user = AnonymousUser()
    return revoked or ends_session
