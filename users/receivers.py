"""Keep the bearer-token cache true: any change to a user or token row drops the cached answers."""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from users.models import AuthToken, User
from users.services import forget_token, forget_user_tokens


@receiver([post_save, pre_delete], sender=User, dispatch_uid="users.forget_cached_tokens")
def forget_cached_tokens(sender, instance: User, **kwargs):
    if instance.pk is not None:
        forget_user_tokens(user=instance)


@receiver([post_save, post_delete], sender=AuthToken, dispatch_uid="users.forget_cached_token")
def forget_cached_token(sender, instance: AuthToken, **kwargs):
    forget_token(key_hash=instance.key_hash)
