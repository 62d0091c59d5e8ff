from django.contrib import admin

from inquiries.models import Inquiry


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    """Editors can read and delete inquiries (to act on a complaint or a request to erase)."""

    # Never the message or the sender in the list: it is health data.
    list_display = ["clinic", "created_at", "read_at"]
    list_select_related = ["clinic"]
    search_fields = ["clinic__name"]
    date_hierarchy = "created_at"
    fields = ["clinic", "created_at", "read_at", "name", "email", "phone", "routes", "message"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
