"""The catalog's domain signal: sent by catalog.services, in the transaction of the change.

``product_changed(sender=Product, product=..., action=...)`` with ``action`` one of
``ProductAction``. Receivers run inside the writing transaction (so what they write commits or
rolls back with the product) and defer anything outside PostgreSQL to ``transaction.on_commit``.
Connected today: notifications.receivers.product_changed (the tenant-wide notification).
"""

from enum import StrEnum

from django.dispatch import Signal


class ProductAction(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DELETED = "deleted"


product_changed = Signal()
