import strawberry_django
from strawberry import auto

from users.models import User


@strawberry_django.type(User, name="User", description="A user of this tenant.")
class UserNode:
    id: auto
    email: auto
    full_name: auto
    is_staff: auto
