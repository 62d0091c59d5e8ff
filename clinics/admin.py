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
    # "Verified" follows the claim flow (an approved claim or a work-email link).
    readonly_fields = ["is_verified", "prices_updated_at", "created_at", "updated_at"]
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

    def has_delete_permission(self, request, obj=None):
        # Not even a superuser: deleting would take the listing's history, its
        # inquiries and its old addresses with it. A listing is hidden instead.
        return False


class VocabularyAdmin(admin.ModelAdmin):
    """
    Payers and conditions: every listing (and guide) refers to them, and their
    slugs are in public URLs (/clinics/?insurance=tricare). A slug is set once,
    when the item is added; after that only its name and place in the lists
    change. Editors cannot delete one (the Editors group lacks the
    permission); a superuser deleting one is first told what it takes with it.
    """

    prepopulated_fields = {"slug": ["name"]}
    delete_confirmation_template = "admin/clinics/vocabulary_delete_confirmation.html"
    # A filter URL's parameter for this kind of item.
    url_parameter = ""
    # No bulk delete either: it confirms without saying what each item is used by.
    actions = None

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return [*super().get_readonly_fields(request, obj), "slug"]
        return super().get_readonly_fields(request, obj)

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)

    def used_by(self, obj):
        """[(count, singular, plural)] of what refers to the item."""
        raise NotImplementedError

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context = {
                **(extra_context or {}),
                "used_by": [
                    f"{count} {singular if count == 1 else plural}"
                    for count, singular, plural in self.used_by(obj)
                ],
                "public_url": f"/clinics/?{self.url_parameter}={obj.slug}",
            }
        return super().delete_view(request, object_id, extra_context)


@admin.register(Payer)
class PayerAdmin(VocabularyAdmin):
    list_display = ["name", "kind", "slug", "position"]
    list_filter = ["kind"]
    search_fields = ["name"]
    url_parameter = "insurance"

    def used_by(self, payer):
        clinics = Clinic.objects.filter(accepted_payers__payer=payer).distinct().count()
        return [(clinics, "clinic", "clinics")]


@admin.register(Condition)
class ConditionAdmin(VocabularyAdmin):
    list_display = ["name", "slug", "position"]
    url_parameter = "condition"

    def used_by(self, condition):
        return [
            (condition.clinics.count(), "clinic", "clinics"),
            (condition.guides.count(), "guide", "guides"),
        ]


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
