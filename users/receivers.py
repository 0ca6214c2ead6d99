"""Keep the bearer-token cache true: any change to a user row drops its cached token answers."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from users.models import User
from users.services import forget_user_tokens


@receiver([post_save, pre_delete], sender=User, dispatch_uid="users.forget_cached_tokens")
def forget_cached_tokens(sender, instance: User, **kwargs):
    if instance.pk is not None:
        forget_user_tokens(user=instance)
