"""Channel-layer leftovers of a deleted tenant: live sockets and group memberships.

``tenant_deleting`` already asks the tenant's sockets to close, best effort. This cleaner, run
from the deletion's leftover queue (tenants.leftovers), does it again and raises when Redis is
unreachable, so it is retried until it worked; then it deletes the tenant's group keys on every
channel-layer host (a process that died without leaving its groups leaves them behind).
"""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from notifications import events


async def _clear(schema_name: str) -> int:
    layer = get_channel_layer()
    await layer.group_send(
        events.broadcast_group(schema_name),
        {
            "type": events.STREAM_END_EVENT,
            "schema": schema_name,
            "user_id": None,
            "credential": None,
            "reason": events.StreamEndReason.TENANT_UNAVAILABLE,
        },
    )
    deleted = 0
    # Group names start with the schema and a dot (notifications.events), keys with the layer's prefix.
    pattern = layer._group_key(f"{events.broadcast_group(schema_name).split('.')[0]}.*").decode()
    for index in range(layer.ring_size):
        connection = layer.connection(index)
        keys = [key async for key in connection.scan_iter(match=pattern, count=1000)]
        if keys:
            deleted += await connection.unlink(*keys)
    return deleted


def tenant_channels_clear(schema_name: str, detail: dict | None = None) -> int:
    """Close the tenant's sockets and delete its channel groups; raises when Redis is down."""
    return async_to_sync(_clear)(schema_name)
