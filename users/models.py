from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models, transaction
from django.utils import timezone

from users.signals import users_access_revoked
from users.token_cache import forget_token_hashes


def _refuse_sliced_update(queryset: models.QuerySet) -> None:
    """What ``QuerySet.update`` refuses, refused before the rows are read."""
    if queryset.query.is_sliced:
        raise TypeError("Cannot update a query once a slice has been taken.")


class UserQuerySet(models.QuerySet["User"]):
    """Queryset writes of users keep the token cache and live sockets true, as ``save()`` does.

    ``update()`` sends no ``post_save``, so it does itself what users/receivers.py and the
    notifications receivers do for a saved user: every update drops the cached token answers of
    the users it wrote (the cache holds the whole row but the password, ``is_staff`` and
    ``is_superuser`` included); one that replaces ``password`` also revokes their tokens; and
    users left inactive or with a new password get their live streams ended
    (``users_access_revoked``). It reads the affected ids and their token hashes (two queries
    besides the update; an ``is_active`` given as an expression costs one more to see who ended
    up inactive) and updates exactly those ids. ``bulk_update()`` goes through ``update()``.
    ``delete()`` needs nothing here: with receivers connected to ``pre_delete``/``post_delete`` of
    ``User`` and ``AuthToken``, Django's deletion collector loads the rows and sends both signals
    for each deleted user and cascaded token.
    """

    def update(self, **kwargs: Any) -> int:
        _refuse_sliced_update(self)
        with transaction.atomic(using=self.db, savepoint=False):
            user_ids = list(self.values_list("pk", flat=True))
            if not user_ids:
                return 0
            rows = super(UserQuerySet, self.filter(pk__in=user_ids)).update(**kwargs)
            user_tokens = AuthToken.objects.db_manager(self.db).filter(user_id__in=user_ids)
            if "password" in kwargs:
                # The plain update: this method forgets every token of these users just below.
                models.QuerySet.update(user_tokens.filter(revoked_at__isnull=True), revoked_at=timezone.now())
            forget_token_hashes(user_tokens.values_list("key_hash", flat=True), using=self.db)
            if "is_active" in kwargs:
                deactivated = self._left_inactive(user_ids, kwargs["is_active"])
                if deactivated:
                    users_access_revoked.send(sender=self.model, user_ids=deactivated, deactivated=True)
            if "password" in kwargs:
                users_access_revoked.send(sender=self.model, user_ids=user_ids, deactivated=False)
        return rows

    def _left_inactive(self, user_ids: list[int], is_active: Any) -> list[int]:
        if is_active is True:
            return []
        if is_active is False:
            return user_ids
        return list(
            self.model._base_manager.db_manager(self.db)
            .filter(pk__in=user_ids, is_active=False)
            .values_list("pk", flat=True)
        )


class AuthTokenQuerySet(models.QuerySet["AuthToken"]):
    """Queryset updates of tokens drop the cached answers of the tokens they wrote.

    An ``update()`` of a field the cached answer depends on (``_CACHED_FIELDS``: revocation,
    expiry, owner, hash) reads the affected ids and hashes first (one query), updates exactly
    those rows and forgets their entries now and again on commit; one that touches only
    ``created_at`` adds no query. ``delete()`` sends ``post_delete`` per row (a receiver is
    connected), which forgets each token (users/receivers.py).
    """

    _CACHED_FIELDS = frozenset({"user", "user_id", "key_hash", "expires_at", "revoked_at"})

    def update(self, **kwargs: Any) -> int:
        if not self._CACHED_FIELDS & kwargs.keys():
            return super().update(**kwargs)
        _refuse_sliced_update(self)
        with transaction.atomic(using=self.db, savepoint=False):
            written = list(self.values_list("pk", "key_hash"))
            if not written:
                return 0
            rows = super(AuthTokenQuerySet, self.filter(pk__in=[pk for pk, _ in written])).update(**kwargs)
            forget_token_hashes([key_hash for _, key_hash in written], using=self.db)
        return rows


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an email address.

    In the public schema: platform operators. In a tenant schema: that tenant's users, where
    ``is_staff`` marks tenant staff (they write products, send notifications, use the tenant admin).
    """

    email = models.EmailField(unique=True, help_text="Sign-in name, unique within the schema.")
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Tenant staff: may write and use the admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        db_table = "users_user"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.email


class AuthToken(models.Model):
    """A bearer token, stored hashed in the schema of the tenant that issued it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="auth_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AuthTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"token of {self.user_id} until {self.expires_at:%Y-%m-%d}"
