"""Signals of the users app, for other apps to react to without users importing them."""

from django.dispatch import Signal

# Sent with ``user`` when every credential of that user stops being valid (password reset).
credentials_revoked = Signal()

# Sent with ``user_ids`` (of the active schema) and ``deactivated`` by a queryset ``update()`` of
# users (users.models.UserQuerySet), which sends no ``post_save``: ``deactivated=True`` for users
# it left inactive, ``deactivated=False`` for users whose password it replaced (their tokens are
# revoked, as ``credentials_revoked`` says of one user).
users_access_revoked = Signal()
