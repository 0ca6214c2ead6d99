"""The channel layer's configuration keeps idle websockets open."""

from channels.layers import get_channel_layer


def test_redis_reads_outlast_the_channel_layers_blocking_receive():
    """channels_redis waits up to ``brpop_timeout`` seconds in BZPOPMIN for each receive; with a
    Redis socket timeout at or below that (redis-py's default is 5 s, like channels_redis'), every
    socket idle for a few seconds would be dropped with 1011."""
    layer = get_channel_layer()
    connection = layer.create_pool(0).make_connection()
    assert connection.socket_timeout is None or connection.socket_timeout > layer.brpop_timeout
