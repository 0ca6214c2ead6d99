import strawberry

from saas.graphql.context import Info
from tenants.graphql.types import Tenant


@strawberry.type
class Query:
    @strawberry.field(description="The tenant of this host. Needs no authentication.")
    def tenant(self, info: Info) -> Tenant:
        tenant = info.context.tenant
        return Tenant(name=tenant.name, schema_name=tenant.schema_name)
