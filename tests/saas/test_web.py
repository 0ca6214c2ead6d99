"""The React app is served on its own client-side routes only; other unknown paths are 404."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def built_app(settings, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    settings.WEB_DIST_DIR = tmp_path
    return tmp_path


@pytest.mark.parametrize("path", ["/", "/products/UHJvZHVjdDox", "/products/UHJvZHVjdDox/"])
@pytest.mark.parametrize("host", ["acme.localhost", "beta.localhost"])
def test_client_routes_serve_the_app(client, built_app, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200
    assert b"<div id=root>" in b"".join(response.streaming_content)


@pytest.mark.parametrize(
    "path",
    ["/nope", "/wp-login.php", "/products/", "/products/1/edit", "/index.php", "/.env", "/products"],
)
def test_unknown_paths_on_a_tenant_host_are_404(client, built_app, path):
    response = client.get(path, HTTP_HOST="acme.localhost")
    assert response.status_code == 404
    assert b"<div id=root>" not in response.content


def test_unknown_host_is_still_404(client, built_app):
    assert client.get("/", HTTP_HOST="nope.localhost").status_code == 404
