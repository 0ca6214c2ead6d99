"""Read path: searchProducts finds by relevance with typos, hydrates from the tenant's own schema in index
order, never reaches another tenant's index whatever the query says, and caches briefly."""

import pytest
from django_tenants.utils import tenant_context

from catalog.models import Product
from catalog.search.services import product_search
from saas.schema import schema
from tests.search.helpers import SEARCH, names
from tests.support import error_codes, free_port, marker

pytestmark = pytest.mark.django_db


def search(gql, schema_name: str, query: str, first: int | None = None, role: str = "member") -> dict:
    variables = {"query": query} if first is None else {"query": query, "first": first}
    return gql.on(schema_name).as_user(role).execute(SEARCH, variables)


@pytest.fixture
def twin_products(acme, beta, add_product, colliding_id):
    """Same id in both tenants, different names: a search that reached the other index would show it."""
    return (
        add_product(acme, "Zanzibar Harmonica", pk=colliding_id),
        add_product(beta, "Quokka Lantern", pk=colliding_id),
    )


def test_schema_declares_the_contract_signature():
    """The field is exactly searchProducts(query: String!, first: Int = 20): [Product!]!, described."""
    query_type = schema._schema.query_type
    assert query_type is not None
    field = query_type.fields["searchProducts"]
    assert str(field.type) == "[Product!]!"
    assert {name: str(argument.type) for name, argument in field.args.items()} == {"query": "String!", "first": "Int"}
    assert field.args["first"].default_value == 20
    assert field.description and all(argument.description for argument in field.args.values())


def test_typo_query_finds_the_product_in_its_tenant_only(gql, twin_products):
    """A misspelled query finds acme's product in acme; beta, sharing its id, finds nothing of it."""
    acme_result = search(gql, "acme", "zanzibr harmonika")
    assert names(acme_result) == ["Zanzibar Harmonica"]
    assert acme_result["data"]["searchProducts"][0]["description"] == marker("acme")
    assert names(search(gql, "beta", "zanzibr harmonika")) == []
    assert names(search(gql, "beta", "quokka lanterm")) == ["Quokka Lantern"]


HOSTILE_QUERIES = [
    "*",
    "_index:beta*",
    "saas_beta_products",
    '"unbalanced quote',
    "back\\slash\\",
    "name:Quokka OR description:BETA-MARKER",
    '{"match_all": {}}',
    "Quokka Lantern",
    "quokka",
    "BETA-MARKER",
    "lanter~2 | quok*",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_no_query_reaches_the_other_tenant(gql, twin_products, query):
    """Syntax, wildcards, index names and beta's own words find nothing of beta's from acme."""
    result = search(gql, "acme", query, first=100)
    products = result["data"]["searchProducts"]
    assert "Quokka Lantern" not in names(result)
    assert all(marker("beta") not in product["description"] for product in products)
    assert all(product["sku"].startswith("ACME") for product in products)


def test_oversized_query_is_refused(gql, twin_products):
    """A 10 kB query is BAD_USER_INPUT, not a 500 and not a search."""
    result = search(gql, "acme", "Quokka " * 1500)
    assert error_codes(result) == ["BAD_USER_INPUT"]
    assert result["data"] is None


@pytest.mark.parametrize(
    ("first", "code"), [(101, "BAD_USER_INPUT"), (-1, "BAD_USER_INPUT"), (10**6, "BAD_USER_INPUT")]
)
def test_first_is_capped(gql, twin_products, first, code):
    """first outside 0-100 is refused with BAD_USER_INPUT."""
    assert error_codes(search(gql, "acme", "harmonica", first=first)) == [code]


def test_blank_query_and_zero_first_find_nothing(gql, twin_products):
    """Whitespace-only queries and first: 0 answer an empty list without asking the index."""
    assert names(search(gql, "acme", "   ")) == []
    assert names(search(gql, "acme", "harmonica", first=0)) == []


def test_results_are_in_relevance_order(acme, gql, add_product):
    """A name hit ranks above a description hit, an exact SKU above both; first limits the list."""
    in_name = add_product(acme, "Marmoset Telescope")
    in_description = add_product(acme, "Brass Tripod", description="fits any marmoset telescope")
    by_sku = add_product(acme, "Plain Box", sku="ACME_ZEBU-7")
    assert names(search(gql, "acme", "marmoset telescope"))[:2] == [in_name.name, in_description.name]
    assert names(search(gql, "acme", "acme_zebu-7"))[0] == by_sku.name
    assert names(search(gql, "acme", "ZEBU 7"))[0] == by_sku.name
    assert len(names(search(gql, "acme", "marmoset", first=1))) == 1


def test_products_gone_from_the_database_are_dropped(acme, add_product):
    """Ids the index still has but the schema no longer does are left out; the rest keep index order."""
    kept = add_product(acme, "Vanishing Violin Case")
    gone = add_product(acme, "Vanishing Violin")
    with tenant_context(acme):
        before = [product.pk for product in product_search(query="vanishing violin")]
        assert set(before) >= {kept.pk, gone.pk}
        # Deleted without running its on-commit relay: the document outlives the row.
        Product.objects.filter(pk=gone.pk).delete()
        after = [product.pk for product in product_search(query="vanishing violin")]
    assert after == [pk for pk in before if pk != gone.pk]


def test_search_needs_a_user_of_this_tenant(gql, twin_products):
    """Anonymous callers and tokens of another tenant get UNAUTHENTICATED."""
    anonymous = gql.on("acme").execute(SEARCH, {"query": "harmonica"})
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    foreign = gql.on("acme").as_user("owner", schema="beta").execute(SEARCH, {"query": "harmonica"})
    assert error_codes(foreign) == ["UNAUTHENTICATED"]
    assert foreign["data"] is None


def test_results_are_cached_until_the_next_write(acme, gql, twin_products, add_product, search_at):
    """A repeated search is answered from the cache even with search down; a write retires it."""
    assert names(search(gql, "acme", "zanzibar")) == ["Zanzibar Harmonica"]
    search_at(f"http://127.0.0.1:{free_port()}")
    assert names(search(gql, "acme", "zanzibar")) == ["Zanzibar Harmonica"]
    assert error_codes(search(gql, "acme", "harmonica zanzibar")) == ["SEARCH_UNAVAILABLE"]
    add_product(acme, "Cache Buster")
    assert error_codes(search(gql, "acme", "zanzibar")) == ["SEARCH_UNAVAILABLE"]
