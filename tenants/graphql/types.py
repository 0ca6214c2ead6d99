import strawberry


@strawberry.type(description="The tenant that owns the host this request was sent to.")
class Tenant:
    name: str = strawberry.field(description="Display name of the tenant.")
    schema_name: str = strawberry.field(description="PostgreSQL schema that holds the tenant's data.")
