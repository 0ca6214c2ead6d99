"""Products in the tenant admin. Writes go through catalog.services, like the API's, so the cache is
invalidated, the search index is synced and the tenant's users are notified."""

from decimal import Decimal

from django.contrib import admin
from django.db import transaction

from catalog.models import Product
from catalog.services import EDITABLE_FIELDS, product_create, product_delete, product_update
from saas.admin_sites import TenantStaffPermissions, tenant_admin_site


class PriceRangeFilter(admin.SimpleListFilter):
    title = "price"
    parameter_name = "price_range"
    RANGES = {
        "lt10": ("under 10", None, Decimal("10")),
        "10-100": ("10 to 100", Decimal("10"), Decimal("100")),
        "100-1000": ("100 to 1,000", Decimal("100"), Decimal("1000")),
        "gte1000": ("1,000 and more", Decimal("1000"), None),
    }

    def lookups(self, request, model_admin):
        return [(key, label) for key, (label, _, _) in self.RANGES.items()]

    def queryset(self, request, queryset):
        value = self.value()
        if value not in self.RANGES:
            return queryset
        _, low, high = self.RANGES[value]
        if low is not None:
            queryset = queryset.filter(price__gte=low)
        if high is not None:
            queryset = queryset.filter(price__lt=high)
        return queryset


@admin.register(Product, site=tenant_admin_site)
class ProductAdmin(TenantStaffPermissions, admin.ModelAdmin):
    list_display = ["name", "sku", "price", "is_active", "updated_at"]
    list_filter = ["is_active", PriceRangeFilter]
    search_fields = ["name", "sku"]
    ordering = ["name"]
    fields = [*EDITABLE_FIELDS, "created_at", "updated_at"]
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50

    def save_model(self, request, obj, form, change):
        if change:
            changes = {field: form.cleaned_data[field] for field in form.changed_data if field in EDITABLE_FIELDS}
            if changes:
                product_update(product=obj, **changes)
            return
        values = {field: form.cleaned_data[field] for field in EDITABLE_FIELDS if field in form.cleaned_data}
        product = product_create(**values)
        # The admin goes on with ``obj`` (history entry, redirect), so it takes the new row's key.
        obj.pk = product.pk

    def delete_model(self, request, obj):
        product_delete(product=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for product in queryset:
            product_delete(product=product)
