"""The channel layer's configuration keeps idle websockets open."""

from channels.layers import get_channel_layer


def test_redis_reads_outlast_the_channel_layers_blocking_receive():
    """channels_redis waits up to ``brpop_timeout`` seconds in BZPOPMIN for each receive; with a
    Redis socket timeout at or below that (redis-py's default is 5 s, like channels_redis'), every
    socket idle for a few seconds would be dropped with 1011."""
    layer = get_channel_layer()
    connection = layer.create_pool(0).make_connection()
    assert connection.socket_timeout is None or connection.socket_timeout > layer.brpop_timeout


def test_group_add_many_joins_every_group_with_the_channel_layers_expiry():
    """Several groups joined in one call (saas/channel_layer.py): each group then reaches the channel,
    and each group key expires like one ``group_add`` made."""
    import asyncio
    import uuid

    async def run():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        groups = [f"join-many.{uuid.uuid4().hex}", f"join-many.{uuid.uuid4().hex}"]
        await layer.group_add_many(groups, channel)
        received = []
        for index, group in enumerate(groups):
            await layer.group_send(group, {"type": "probe", "index": index})
            received.append((await asyncio.wait_for(layer.receive(channel), 5))["index"])
        ttls = [await layer.connection(layer.consistent_hash(group)).ttl(layer._group_key(group)) for group in groups]
        for group in groups:
            await layer.group_discard(group, channel)
        return received, ttls

    received, ttls = asyncio.run(run())
    layer = get_channel_layer()
    assert received == [0, 1]
    assert all(layer.group_expiry - 5 <= ttl <= layer.group_expiry for ttl in ttls), ttls
