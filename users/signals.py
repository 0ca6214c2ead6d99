"""Signals of the users app, for other apps to react to without users importing them."""

from django.dispatch import Signal

# Sent with ``user`` when every credential of that user stops being valid (password reset).
credentials_revoked = Signal()
