"""Product writes over HTTP: staff create/update/delete, members and anonymous refused, validation
errors as OperationInfo naming the field, and ids of the other tenant never reaching its rows."""

import pytest
from django_tenants.utils import tenant_context

from tests.support import error_codes, marker

pytestmark = pytest.mark.django_db

CREATE = """
mutation($input: ProductInput!) {
  createProduct(input: $input) {
    __typename
    ... on Product { id name sku price description isActive }
    ... on OperationInfo { messages { kind field message code } }
  }
}
"""
UPDATE = """
mutation($id: ID!, $input: ProductPatch!) {
  updateProduct(id: $id, input: $input) {
    __typename
    ... on Product { id name sku price description isActive }
    ... on OperationInfo { messages { kind field message code } }
  }
}
"""
DELETE = """
mutation($id: ID!) {
  deleteProduct(id: $id) {
    __typename
    ... on DeletedProduct { id }
    ... on OperationInfo { messages { kind field message } }
  }
}
"""


def new_product(**overrides) -> dict:
    return {"name": f"Tunnel paint {marker('acme')}", "sku": "PAINT-1", "price": "12.50", **overrides}


def rows(tenant) -> dict[str, str]:
    from catalog.models import Product

    with tenant_context(tenant):
        return dict(Product.objects.values_list("sku", "name"))


def test_staff_creates_a_product(gql, acme, beta, django_capture_on_commit_callbacks):
    """Tenant staff create a product in their own schema only; description and isActive have defaults."""
    with django_capture_on_commit_callbacks(execute=True):
        result = gql.on("acme").as_user("owner").execute(CREATE, {"input": new_product()})
    product = result["data"]["createProduct"]
    assert product["__typename"] == "Product"
    assert product["name"] == f"Tunnel paint {marker('acme')}"
    assert product["price"] == "12.50"
    assert product["description"] == ""
    assert product["isActive"] is True
    assert rows(acme) == {"PAINT-1": f"Tunnel paint {marker('acme')}"}
    assert "PAINT-1" not in rows(beta)


def test_staff_updates_only_the_given_fields(gql, catalog, acme, beta):
    """updateProduct changes the fields sent and keeps the rest; beta's row with the same pk is untouched."""
    result = gql.on("acme").as_user("owner").execute(UPDATE, {"id": catalog[9001], "input": {"price": "11.00"}})
    product = result["data"]["updateProduct"]
    assert product["price"] == "11.00"
    assert product["name"] == f"Anvil {marker('acme')}"
    assert product["sku"] == "SKU-1"
    from catalog.models import Product

    with tenant_context(beta):
        assert Product.objects.get(pk=9001).price == 10
        assert marker("beta") in Product.objects.get(pk=9001).name


def test_staff_deletes_a_product(gql, catalog, acme, beta):
    """deleteProduct returns the deleted id and removes the row from acme only."""
    result = gql.on("acme").as_user("owner").execute(DELETE, {"id": catalog[9002]})
    assert result["data"]["deleteProduct"] == {"__typename": "DeletedProduct", "id": catalog[9002]}
    assert "SKU-2" not in rows(acme)
    assert rows(beta)["SKU-2"] == f"Rocket skates {marker('beta')}"


@pytest.mark.parametrize(
    ("mutation", "variables"),
    [
        (CREATE, {"input": new_product()}),
        (UPDATE, {"id": "UHJvZHVjdDo5MDAx", "input": {"name": "Renamed"}}),
        (DELETE, {"id": "UHJvZHVjdDo5MDAx"}),
    ],
)
def test_members_may_not_write(gql, catalog, acme, mutation, variables):
    """A member gets FORBIDDEN and nothing changes."""
    before = rows(acme)
    result = gql.on("acme").as_user("member").execute(mutation, variables)
    assert error_codes(result) == ["FORBIDDEN"]
    assert result["data"] is None
    assert rows(acme) == before


@pytest.mark.parametrize(
    ("mutation", "variables"),
    [
        (CREATE, {"input": new_product()}),
        (UPDATE, {"id": "UHJvZHVjdDo5MDAx", "input": {"name": "Renamed"}}),
        (DELETE, {"id": "UHJvZHVjdDo5MDAx"}),
    ],
)
def test_anonymous_may_not_write(gql, catalog, acme, mutation, variables):
    """Without a sign-in, writes are UNAUTHENTICATED and nothing changes."""
    before = rows(acme)
    assert error_codes(gql.on("acme").execute(mutation, variables)) == ["UNAUTHENTICATED"]
    assert rows(acme) == before


def test_staff_of_another_tenant_may_not_write(gql, catalog, beta):
    """beta's owner token is anonymous on acme: UNAUTHENTICATED, beta's rows unchanged too."""
    beta_owner = gql.on("beta").as_user("owner").token
    before = rows(beta)
    result = gql.on("acme").with_token(beta_owner).execute(DELETE, {"id": "UHJvZHVjdDo5MDAx"})
    assert error_codes(result) == ["UNAUTHENTICATED"]
    assert rows(beta) == before


@pytest.mark.parametrize("mutation", [UPDATE, DELETE])
def test_id_existing_only_in_the_other_tenant_is_not_found(gql, acme, beta, mutation):
    """A beta-only product id used on acme is NOT_FOUND; the beta row is neither changed nor deleted."""
    from catalog.models import Product

    with tenant_context(beta):
        only_beta = Product.objects.create(name=f"Bolt {marker('beta')}", sku="BOLT", price="2.00")
    from tests.catalog.rows import product_gid

    variables = {"id": product_gid(only_beta.pk), "input": {"name": "Stolen"}}
    result = gql.on("acme").as_user("owner").execute(mutation, variables)
    assert error_codes(result) == ["NOT_FOUND"]
    assert marker("beta") not in str(result)
    with tenant_context(beta):
        assert Product.objects.get(pk=only_beta.pk).name == f"Bolt {marker('beta')}"


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"price": "-1.00"}, "price", "min_value"),
        ({"price": "1.234"}, "price", "max_decimal_places"),
        ({"price": "NaN"}, "price", "invalid"),
        ({"name": ""}, "name", "blank"),
        ({"name": "   "}, "name", "blank"),
        ({"name": "x" * 201}, "name", "max_length"),
        ({"sku": "S" * 65}, "sku", "max_length"),
        ({"description": "d" * 5001}, "description", "max_length"),
        ({"sku": "SKU-1"}, "sku", "unique"),
    ],
)
def test_create_validation_errors_name_the_field(gql, catalog, acme, fields, field, code):
    """Invalid input comes back as OperationInfo with a VALIDATION message on the camelCase field."""
    before = rows(acme)
    result = gql.on("acme").as_user("owner").execute(CREATE, {"input": new_product(**fields)})
    info = result["data"]["createProduct"]
    assert info["__typename"] == "OperationInfo"
    assert {(m["kind"], m["field"], m["code"]) for m in info["messages"]} == {("VALIDATION", field, code)}
    assert rows(acme) == before


def test_same_sku_is_fine_in_another_tenant(gql, acme, beta):
    """sku is unique per tenant: beta may use a sku acme already has."""
    gql.on("acme").as_user("owner").execute(CREATE, {"input": new_product()})
    result = gql.on("beta").as_user("owner").execute(CREATE, {"input": new_product(name=f"Paint {marker('beta')}")})
    assert result["data"]["createProduct"]["__typename"] == "Product"
    assert rows(acme)["PAINT-1"] == f"Tunnel paint {marker('acme')}"
    assert rows(beta)["PAINT-1"] == f"Paint {marker('beta')}"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"price": "-5"}, "price"),
        ({"name": None}, "name"),
        ({"sku": "SKU-2"}, "sku"),
        ({"isActive": None}, "isActive"),
    ],
)
def test_update_validation_errors_name_the_field(gql, catalog, acme, patch, field):
    """A bad patch is reported on its field and the row keeps its old values."""
    before = rows(acme)
    result = gql.on("acme").as_user("owner").execute(UPDATE, {"id": catalog[9001], "input": patch})
    info = result["data"]["updateProduct"]
    assert info["__typename"] == "OperationInfo"
    assert [m["field"] for m in info["messages"]] == [field]
    assert rows(acme) == before


def test_lost_race_for_a_sku_reports_the_field(acme, catalog):
    """A duplicate sku that reaches the database (a concurrent write) is still a sku validation error."""
    from django.core.exceptions import ValidationError

    from catalog import services
    from catalog.models import Product

    with tenant_context(acme):
        duplicate = Product(name="Twin", sku="SKU-1", price="1.00")
        with pytest.raises(ValidationError) as raised:
            services._save(duplicate)
        assert list(raised.value.message_dict) == ["sku"]
        assert Product.objects.filter(sku="SKU-1").count() == 1
