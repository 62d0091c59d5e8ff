from django.contrib import admin

from clinics.models import AcceptedPayer, Clinic, Condition, Offering, Payer


class OfferingInline(admin.TabularInline):
    model = Offering
    extra = 0
    fields = ["route", "price_min", "price_max", "series_sessions", "series_price", "notes"]


class AcceptedPayerInline(admin.TabularInline):
    model = AcceptedPayer
    extra = 0
    autocomplete_fields = ["payer"]


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "state", "telehealth", "is_verified", "status", "updated_at"]
    list_filter = ["status", "is_verified", "telehealth", "is_sample", "offerings__route", "state"]
    search_fields = ["name", "city", "zip_code", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["conditions"]
    inlines = [OfferingInline, AcceptedPayerInline]
    readonly_fields = ["prices_updated_at", "created_at", "updated_at"]
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "is_verified", "is_sample", "description"]}),
        (
            "Place",
            {"fields": ["street_address", "city", "state", "zip_code", "latitude", "longitude"]},
        ),
        ("Contact", {"fields": ["phone", "website", "email", "hours"]}),
        ("Care", {"fields": ["telehealth", "conditions", "providers"]}),
        ("Dates", {"fields": ["prices_updated_at", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        # list_filter on offerings__route can join rows; distinct keeps one per clinic.
        return super().get_queryset(request).distinct()


@admin.register(Payer)
class PayerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "slug", "position"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    """
    Prices across clinics, to look up. They are changed on the clinic's page
    only, where each change is recorded in the listing's history: a change here
    would be in no history, so a clinic page opened before it would put the
    old price back without a word.
    """

    list_display = ["clinic", "route", "price_min", "price_max", "updated_at"]
    list_filter = ["route"]
    list_select_related = ["clinic"]
    search_fields = ["clinic__name"]
    autocomplete_fields = ["clinic"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
