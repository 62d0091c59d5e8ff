from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import display_for_value
from django.contrib.auth import get_user_model
from django.db.models import F, Prefetch, prefetch_related_objects
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from accounts.confirmation import is_confirmed
from clinics import admin as clinics_admin
from clinics import stats
from clinics.geo import locate_zip
from clinics.models import (
    AcceptedPayer,
    Clinic,
    Condition,
    Offering,
    Payer,
    Route,
    unify_line_breaks,
)
from clinics.validators import TEXT_LIMITS
from ketamine_directory.edit_merge import DeletedRowsReadAsSent
from listings import claims, snapshots
from listings.domains import email_matches_website
from listings.editing import (
    EditConflict,
    as_it_was,
    changes_since,
    merged_ticks,
    record_creation,
    record_vocabulary_deletion,
    revert,
    save_listing,
)
from listings.models import Claim, ListingChange, ListingReport, Membership
from listings.word_diff import changed_words


class ClaimActionForm(ActionForm):
    # Approving or rejecting several claims at once still says why, to each claimant.
    decision_note = forms.CharField(
        label="Note to the claimants (emailed with the decision)",
        max_length=Claim._meta.get_field("decision_note").max_length,
        required=False,
    )


class AllHasItsOwnValue(admin.SimpleListFilter):
    """
    A filter whose list opens on one of its choices (the claims "In review",
    the reports "Not yet"): "All" without a parameter of its own would be sent
    straight back there, so it is `?<parameter>=all`.
    """

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["query_string"] = changelist.get_query_string({self.parameter_name: "all"})
        choices[0]["selected"] = self.value() == "all"
        return choices


class ClaimStatusFilter(AllHasItsOwnValue):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return Claim.Status.choices

    def queryset(self, request, queryset):
        if self.value() in Claim.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class ClaimForm(forms.ModelForm):
    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == Claim.Status.APPROVED and not self.instance.user.is_active:
            # Approved, it would verify the listing for someone who can't sign in.
            raise forms.ValidationError(CLOSED_ACCOUNT)
        return status


CLOSED_ACCOUNT = (
    "This claimant's account is closed: they can't sign in to keep the listing up to "
    "date. Reject the claim, or open the account again first."
)


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    action_form = ClaimActionForm
    form = ClaimForm
    list_display = [
        "clinic",
        "new_listing",
        "claimant",
        "work_email",
        "website",
        "email_on_website",
        "job_title",
        "status",
        "created_at",
    ]
    list_filter = [ClaimStatusFilter]
    list_select_related = ["clinic", "user"]
    search_fields = ["clinic__name", "user__email", "work_email"]
    # Oldest first: the claim waiting longest is decided first.
    ordering = ["created_at"]
    # People are named as text: a link to their account is a 403 for editors.
    readonly_fields = [
        "clinic",
        "claimant",
        "work_email",
        "website",
        "email_on_website",
        "job_title",
        "message",
        "created_at",
        "decided_at",
        "decider",
    ]
    fields = [*readonly_fields[:8], "status", "decision_note", "decided_at", "decider"]
    actions = ["approve", "reject"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        # A decided claim stays decided: reopening one left its membership in
        # place under a "waiting" status. Editors remove staff under Memberships.
        if obj and obj.status not in Claim.OPEN:
            return [*self.readonly_fields, "status", "decision_note"]
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj and obj.status in Claim.OPEN and "status" in form.base_fields:
            # An open claim is decided, or left as it is. Moved to "waiting for
            # the emailed link", an address off the clinic's domain could be
            # sent a link (the claimant's "send it again") and verify itself,
            # with no editor ever having approved it.
            decisions = {obj.status, Claim.Status.APPROVED, Claim.Status.REJECTED}
            form.base_fields["status"].choices = [
                choice for choice in Claim.Status.choices if choice[0] in decisions
            ]
        return form

    def changelist_view(self, request, extra_context=None):
        # The queue opens on the claims an editor must decide; "All" is one click away.
        if not request.GET and request.method == "GET":
            return redirect(
                f"{request.path}?{ClaimStatusFilter.parameter_name}={Claim.Status.IN_REVIEW}"
            )
        return super().changelist_view(request, extra_context)

    @admin.display(description="user", ordering="user__email")
    def claimant(self, claim):
        return claim.user.email if claim.user.is_active else f"{claim.user.email} (account closed)"

    @admin.display(description="decided by")
    def decider(self, claim):
        return claim.decided_by.email if claim.decided_by else "-"

    @admin.display(description="clinic's website")
    def website(self, claim):
        return claim.clinic.website or "-"

    @admin.display(boolean=True, description="Email on its website's domain")
    def email_on_website(self, claim):
        return email_matches_website(claim.work_email, claim.clinic.website)

    @admin.display(boolean=True, description="new listing")
    def new_listing(self, claim):
        """Whether the claimant added the clinic; approving the claim publishes it."""
        return claim.clinic.is_proposed

    def save_model(self, request, obj, form, change):
        # Deciding through the status field does what the actions do: membership, emails.
        if "status" in form.changed_data and obj.status == Claim.Status.APPROVED:
            new = [obj] if obj.clinic.is_proposed else []
            hidden = [obj] if obj.clinic.status == Clinic.Status.HIDDEN else []
            told = claims.approve(obj, request.user, obj.decision_note, request)
            self._say_what_became_of(request, new, approved=True)
            self._say_if_hidden(request, hidden)
            self._say_if_untold(request, [obj] if not told else [])
        elif "status" in form.changed_data and obj.status == Claim.Status.REJECTED:
            new = [obj] if obj.clinic.is_proposed else []
            told = claims.reject(obj, request.user, obj.decision_note, request)
            self._say_what_became_of(request, new, approved=False)
            self._say_if_untold(request, [obj] if not told else [])
        else:
            super().save_model(request, obj, form, change)

    def _say_what_became_of(self, request, new_listings, *, approved):
        """Approving or rejecting a clinic its staff added publishes or hides it: said so."""
        for claim in new_listings:
            if approved:
                said = "is live now: a new listing, published by the approval."
            else:
                said = "stays off the site: a new listing, hidden by the rejection."
            self.message_user(request, f"{claim.clinic.name} {said}", messages.INFO)

    @admin.action(description="Approve the selected claims", permissions=["change"])
    def approve(self, request, queryset):
        closed = list(queryset.filter(status__in=Claim.OPEN, user__is_active=False))
        if closed:
            self.message_user(
                request,
                "Not approved: "
                + ", ".join(f"{claim.clinic.name} (claim #{claim.pk})" for claim in closed)
                + f". {CLOSED_ACCOUNT}",
                messages.WARNING,
            )
        self._decide(request, queryset.filter(user__is_active=True), claims.approve, "Approved")

    @admin.action(description="Reject the selected claims", permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, claims.reject, "Rejected")

    def _decide(self, request, queryset, decide, done):
        # Decided claims stay as they are: approving twice would mail twice.
        open_claims = queryset.filter(status__in=Claim.OPEN).select_related("clinic", "user")
        # The action's own form is validated by the changelist only for "action".
        note_field = self.action_form.base_fields["decision_note"]
        note = request.POST.get("decision_note", "").strip()[: note_field.max_length]
        decided = queryset.exclude(status__in=Claim.OPEN).select_related("clinic")
        if decided:
            self.message_user(
                request,
                "Left alone, decided already: "
                + ", ".join(
                    f"{claim.clinic.name} (claim #{claim.pk}, {claim.get_status_display().lower()})"
                    for claim in decided
                )
                + ".",
                messages.WARNING,
            )
        new_listings = [claim for claim in open_claims if claim.clinic.is_proposed]
        hidden = [c for c in open_claims if c.clinic.status == Clinic.Status.HIDDEN]
        untold = [claim for claim in open_claims if not decide(claim, request.user, note, request)]
        if open_claims:
            count = len(open_claims)
            self.message_user(
                request, f"{done} {count} claim{'s' * (count != 1)}.", messages.SUCCESS
            )
        self._say_what_became_of(request, new_listings, approved=decide is claims.approve)
        if decide is claims.approve:
            self._say_if_hidden(request, hidden)
        self._say_if_untold(request, untold)

    def _say_if_hidden(self, request, approved):
        """Staff of a hidden listing keep it up to date for nobody: the editor is told."""
        for claim in approved:
            self.message_user(
                request,
                f"{claim.clinic.name} is hidden: its new staff can keep it up to date, and "
                "are told patients can't see it. Publish it if it should be listed.",
                messages.WARNING,
            )

    def _say_if_untold(self, request, untold):
        # The decision stands; the claimant still has to hear of it.
        if untold:
            self.message_user(
                request,
                "The email telling the claimant could not be sent (the mail server refused "
                "it or could not be reached), for: "
                + ", ".join(f"{claim.clinic.name} (claim #{claim.pk})" for claim in untold)
                + ". Tell them another way, or try again later by email.",
                messages.WARNING,
            )


class MembershipForm(forms.ModelForm):
    """
    Staff are named by the email address they signed up with. Picking them from
    a list of accounts would need permission to read every account, which the
    Editors group does not have.
    """

    account = forms.EmailField(
        label="Account email", help_text="The address the person signed up with."
    )

    class Meta:
        model = Membership
        fields = ["clinic"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.user_id:
            self.fields["account"].initial = self.instance.user.email

    def clean_account(self):
        email = self.cleaned_data["account"].strip()
        if self.instance.user_id and email.lower() == self.instance.user.email.lower():
            # Someone already on the staff, kept as they are: a deactivated account's
            # row must not stop the editor saving the rest of the listing.
            return email
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                "No account uses this address. Ask the person to sign up first."
            )
        # Anyone can sign up with another's address, and staff read patients' inquiries.
        if not is_confirmed(user):
            raise forms.ValidationError(
                "This account has not confirmed its email address, so nothing shows the "
                "address is the person's. Ask them to open the link we emailed when they "
                "signed up (signed in, they can ask for a new one), then add them."
            )
        self.instance.user = user
        return email

    def clean(self):
        cleaned = super().clean()
        # The person is no field of the form, so Django's own check of the
        # (person, clinic) pair never runs, and a second row was a 500.
        user_id = self.instance.user_id
        clinic_id = cleaned["clinic"].pk if cleaned.get("clinic") else self.instance.clinic_id
        if "account" in cleaned and user_id and clinic_id:
            others = Membership.objects.filter(user_id=user_id, clinic_id=clinic_id)
            if others.exclude(pk=self.instance.pk).exists():
                self.add_error("account", "This person is already on this clinic's staff.")
        return cleaned


class MembershipFormSet(BaseInlineFormSet):
    """The clinic page's staff rows: one row per person."""

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() and not form.instance.pk:
                continue  # an empty extra row
            if self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            user_id = form.instance.user_id
            if user_id in seen:
                form.add_error("account", "This person is already in another row.")
            seen.add(user_id)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    form = MembershipForm
    fields = ["account", "clinic", "claim"]
    list_display = ["user", "clinic", "created_at"]
    list_select_related = ["clinic", "user"]
    search_fields = ["clinic__name", "user__email"]
    autocomplete_fields = ["clinic"]
    readonly_fields = ["claim"]


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    formset = MembershipFormSet
    fields = ["account", "claim", "created_at"]
    extra = 0
    readonly_fields = ["claim", "created_at"]


class ChangeDescriptions:
    """A change's rows ("what: before → after"), for the admin's lists."""

    @admin.display(description="user")
    def author(self, change):
        # Text, not a link to the account: that page is a 403 for editors.
        return change.user.email if change.user else "-"

    @admin.display(description="what changed")
    def description(self, change):
        # A long text (a description) shows only its changed words, not both whole.
        return format_html_join(
            "; ",
            "{}: {}",
            (
                (label, changed_words(old, new) or _before_after(old, new))
                for label, old, new in snapshots.described(change)
            ),
        )


def _before_after(old, new):
    # Insurance is told as "removed: ..." and "added: ...", one of them often
    # empty: those read on their own, without an arrow to or from nothing.
    if not old or not new:
        return old or new
    return format_html("{} → {}", old, new)


class LatestChangesFormSet(BaseInlineFormSet):
    """The newest changes only: a listing's whole history grew the page with every save."""

    def get_queryset(self):
        if not hasattr(self, "_latest"):
            self._latest = super().get_queryset()[: ListingChangeInline.shown]
        return self._latest


class ListingChangeInline(ChangeDescriptions, admin.TabularInline):
    model = ListingChange
    formset = LatestChangesFormSet
    fk_name = "clinic"
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["created_at", "author", "description"]
    readonly_fields = fields
    ordering = ["-version"]
    shown = 20
    template = "admin/listings/change_history_inline.html"
    verbose_name_plural = "change history, latest first (undo a change under Listing changes)"

    def get_queryset(self, request):
        # Each row names its author and (as the row's title) its clinic.
        return super().get_queryset(request).select_related("user", "clinic")


@admin.register(ListingChange)
class ListingChangeAdmin(ChangeDescriptions, admin.ModelAdmin):
    list_display = ["created_at", "clinic", "user", "description", "reverts"]
    # A row that undoes a change names it, with its clinic.
    list_select_related = ["clinic", "user", "reverts__clinic"]
    search_fields = ["clinic__name", "user__email"]
    date_hierarchy = "created_at"
    readonly_fields = ["clinic", "author", "created_at", "version", "description", "reverts"]
    fields = readonly_fields
    actions = ["undo"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_undo_permission(self, request):
        return request.user.has_perm("clinics.change_clinic")

    @admin.action(
        description="Undo the selected changes (put the old values back)", permissions=["undo"]
    )
    def undo(self, request, queryset):
        undone, left, refused = 0, [], []
        # Newest first, so undoing several changes to one listing walks back in time.
        created = []
        for change in queryset.select_related("clinic").order_by("-version"):
            if change.is_creation:
                created.append(str(change.clinic))
                continue
            undo, changed_since, why_not = revert(change, request.user)
            if why_not:
                refused.append(f"{change} ({why_not})")
                continue
            undone += bool(undo)
            left += [f"{snapshots.label(part)} of {change.clinic}" for part in changed_since]
        self.message_user(request, f"Undid {undone} change(s); each undo is itself in the history.")
        if refused:
            self.message_user(
                request,
                f"Not undone: {'; '.join(refused)}. Undo the later changes first (select "
                "them too), or edit the listing.",
                messages.WARNING,
            )
        if created:
            self.message_user(
                request,
                f"Not undone: the first entry of {'; '.join(created)}, its creation, which "
                "can't be undone. To take a listing off the directory, set its status to Hidden.",
                messages.WARNING,
            )
        if left:
            self.message_user(
                request,
                "Left as they are, because they were changed again since: "
                f"{'; '.join(left)}. Edit the listing to change them.",
                messages.WARNING,
            )


class ClinicAdminForm(forms.ModelForm):
    """
    The clinic admin's form, saved the way the staff form is (save_listing):
    only the parts the editor changed since opening the page are written.

    The name, status and place are parts of the listing's history too (see
    listings.snapshots). The few fields it does not hold (the slug, the
    coordinates, "sample") are merged by what the page showed: each carries
    a hidden copy of its value when the page was opened, so a field the editor
    left alone keeps what is stored now, however it got there (another editor,
    or a listing unverified when its staff left), and one that someone else
    changed too is refused with both values shown.
    """

    # The listing's edit_version when the page was opened, and the latest one
    # whose changes the editor has been shown (they differ after a warning).
    started = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # The parts both changed, set by ClinicAdmin when saving hit an
    # EditConflict (see changeform_view).
    conflict = frozenset()
    # Why ClinicAdmin refused the listing the page would save (ListingRefused).
    refused = ""
    # Why the conflict is one, when it is what both changes would do together.
    broken = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["started"].initial = self.instance.edit_version
        self.fields["seen_version"].initial = self.instance.edit_version
        # Of the fields outside the history: the editor's changes, and all of
        # them as stored now (both set by clean, for ClinicAdmin.save_model).
        self.outside_history = []
        if self.instance.pk:
            columns = {field.name for field in Clinic._meta.concrete_fields}
            self.outside_history = [
                name for name in self.fields if name in columns and name not in snapshots.FIELDS
            ]
        # The name, status and place are merged through the history, but their
        # hidden copies keep the admin's own log of the change ("Changed Phone")
        # to what this editor changed, not what they only sent back, and let a
        # page shown again with a conflict show what someone else changed.
        self.identity = [
            name for name in snapshots.IDENTITY_FIELDS if self.instance.pk and name in self.fields
        ]
        for name in [*self.outside_history, *self.identity]:
            self.fields[name].show_hidden_initial = True
        for name, limit in TEXT_LIMITS.items():  # checked by the model field's validator
            if name in self.fields:
                self.fields[name].widget.attrs["maxlength"] = limit
        self.outside_changes, self.stored = [], {}

    def clean(self):
        cleaned = super().clean()
        self._check_zip_code(cleaned)
        if self.outside_history:
            self._merge_outside_history(cleaned)
        if self.refused:
            self.add_error(None, forms.ValidationError(self.refused, code="incomplete"))
        if not self.conflict:
            return cleaned
        seen = cleaned.get("seen_version")
        # Only the parts both changed clash; the rest of theirs is kept, and said so.
        described = snapshots.described_conflict(changes_since(self.instance, seen), self.conflict)
        saved, kept = (
            "; ".join(
                f"{label}: {new} (by {change.user or 'someone'})" for change, label, new in rows
            )
            for rows in (described["overlapping"], described["kept"])
        )
        # Saving again, having read this, is deliberate: it starts from now.
        current = Clinic.objects.values("edit_version", *self.identity).get(pk=self.instance.pk)
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_version")] = current["edit_version"]
        self._show_what_only_they_changed(cleaned)
        # The name, status or place that only someone else changed shows theirs
        # (saving again keeps it anyway: the save starts from `started`).
        for name in self.identity:
            if name not in self.changed_data:
                field = self.fields[name]
                self.data[self.add_prefix(name)] = self._as_posted(field, current[name])
                self.data[self.add_initial_prefix(name)] = self._as_posted(field, current[name])
        if self.broken:
            raise forms.ValidationError(
                "Someone saved this listing after you opened it. Together with their changes, "
                "yours %(broken)s. They saved: %(saved)s. Your edits are below, not saved.",
                params={"broken": self.broken, "saved": "; ".join(filter(None, [saved, kept]))},
                code="conflict",
            )
        raise forms.ValidationError(
            "Someone saved this listing after you opened it, changing some of what you "
            "changed: %(saved)s. Your edits are below, not saved. Save again to put yours "
            "in place of theirs." + (" What else they saved stays: %(kept)s." if kept else ""),
            params={"saved": saved or "no visible change", "kept": kept},
            code="conflict",
        )

    def _show_what_only_they_changed(self, cleaned):
        """
        On the page shown again with a conflict, the text, telehealth and
        conditions the editor left alone show what is stored now, as the
        name and place do, so an edit of them starts from the others' words.
        (Saving again keeps those anyway: it writes only the editor's changes.)
        """
        current = snapshots.take(self.instance)
        opened = as_it_was(current, changes_since(self.instance, cleaned.get("started")))
        for name in [*snapshots.TEXT_FIELDS, "telehealth"]:
            if name not in self.fields or name not in cleaned:
                continue
            mine = cleaned[name]
            mine = unify_line_breaks(mine) if isinstance(mine, str) else mine
            if mine == opened[name]:
                self.data[self.add_prefix(name)] = self._as_posted(self.fields[name], current[name])
        if "conditions" in self.fields and "conditions" in cleaned:
            mine = [condition.slug for condition in cleaned["conditions"]]
            slugs = merged_ticks(current["conditions"], mine, opened["conditions"])
            pks = Condition.objects.filter(slug__in=slugs).values_list("pk", flat=True)
            self.data.setlist(self.add_prefix("conditions"), [str(pk) for pk in pks])

    def _check_zip_code(self, cleaned):
        """
        A ZIP code the offline table does not know gives the clinic no
        coordinates, and with none it drops out of every near-ZIP search:
        refused, unless the editor types the coordinates themselves. A ZIP
        code already stored is left alone (its coordinates are what they are).
        """
        zip_code = cleaned.get("zip_code")
        if not zip_code or "zip_code" not in self.changed_data or locate_zip(zip_code):
            return
        typed = all(cleaned.get(name) is not None for name in ("latitude", "longitude"))
        if typed and (not self.instance.pk or {"latitude", "longitude"} & set(self.changed_data)):
            return
        self.add_error(
            "zip_code",
            forms.ValidationError(
                "ZIP %(zip)s is not in the site's ZIP table, so the clinic would have no "
                "coordinates and would drop out of every near-ZIP search. Check the number, "
                "or type the clinic's latitude and longitude too.",
                code="unknown-zip",
                params={"zip": zip_code},
            ),
        )

    def _merge_outside_history(self, cleaned):
        # Locked until the save commits, so nobody's change lands between this
        # comparison and the write.
        self.stored = (
            Clinic.objects.select_for_update()
            .values(*self.outside_history)
            .get(pk=self.instance.pk)
        )
        refused, theirs = [], []
        for name in self.outside_history:
            field = self.fields[name]
            opened = self._as_python(field, self._opened_value(name))
            stored = self._as_python(field, self.stored[name])
            if name not in self.changed_data:
                if stored != opened:
                    theirs.append(name)
                continue
            if name not in cleaned:
                continue  # refused for its own sake already
            self.outside_changes.append(name)
            yours = self._as_python(field, cleaned[name])
            if stored not in (opened, yours):
                refused.append(name)
                self.add_error(
                    name,
                    forms.ValidationError(
                        "Someone else changed this to “%(theirs)s” after you opened the "
                        "page. Yours, “%(yours)s”, is below and not saved yet: save again "
                        "to put it in place of theirs.",
                        params={
                            "theirs": self._shown(field, stored),
                            "yours": self._shown(field, yours),
                        },
                        code="conflict",
                    ),
                )
        if not refused:
            return
        self.add_error(
            None,
            forms.ValidationError(
                "Someone saved this listing after you opened it, changing fields you "
                "changed too (marked below). Fields you left alone now show what they saved.",
                code="conflict",
            ),
        )
        # The page shown again counts as opened now: saving it again puts the
        # editor's values of the fields both changed in place, a choice made
        # having read theirs, and the fields only someone else changed show it.
        self.data = self.data.copy()
        for name in [*refused, *theirs]:
            field = self.fields[name]
            self.data[self.add_initial_prefix(name)] = (
                field.hidden_widget().format_value(field.prepare_value(self.stored[name])) or ""
            )
        for name in theirs:
            self.data[self.add_prefix(name)] = self._as_posted(self.fields[name], self.stored[name])

    def _opened_value(self, name):
        widget = self.fields[name].hidden_widget()
        return widget.value_from_datadict(self.data, self.files, self.add_initial_prefix(name))

    @staticmethod
    def _as_python(field, value):
        try:
            return field.to_python(value)
        except forms.ValidationError:
            return value

    @staticmethod
    def _shown(field, value):
        if isinstance(value, bool):
            return "yes" if value else "no"
        if value in (None, ""):
            return "(empty)"
        return dict(getattr(field, "choices", ())).get(value, value)

    @staticmethod
    def _as_posted(field, value):
        """A value as the browser would send it back for this field."""
        if isinstance(field.widget, forms.CheckboxInput):
            return "on" if value else ""
        value = field.prepare_value(value)
        return "" if value is None else str(value)


def _without_deleted_payers(data, prefix):
    """
    The posted insurance rows, with those whose payer a superuser deleted
    after the page was opened marked deleted (and so neither refused as "not
    one of the available choices" nor saved); and how many there were.
    """
    sent = {}
    for name, value in data.items():
        index, _, field = name.removeprefix(f"{prefix}-").partition("-")
        if name.startswith(f"{prefix}-") and field == "payer" and value.isdigit():
            sent[index] = int(value)
    gone = set(sent.values()) - set(
        Payer.objects.filter(pk__in=sent.values()).values_list("pk", flat=True)
    )
    if not gone:
        return data, 0
    data = data.copy()
    for index, payer in sent.items():
        if payer in gone:
            data[f"{prefix}-{index}-DELETE"] = "on"
    return data, len(gone)


def submitted_listing(form, formsets):
    """The listing's parts as the admin form sent them, in the form of a snapshot."""
    values = {name: form.cleaned_data[name] for name in snapshots.FIELDS}
    for name, value in values.items():
        if isinstance(value, str):
            # As the staff form does: the admin's textareas send \r\n too.
            values[name] = unify_line_breaks(value)
    values["conditions"] = sorted(c.slug for c in form.cleaned_data["conditions"])
    values |= {f"offering:{route}": None for route in Route.values}
    values["insurance"] = []
    for formset in formsets:
        # Unchanged extra rows have no cleaned_data; deleted rows are gone.
        rows = [row.cleaned_data for row in formset.forms if row.cleaned_data]
        rows = [row for row in rows if not row.get("DELETE")]
        if formset.model is Offering:
            for row in rows:
                offering = {name: row[name] for name in snapshots.OFFERING_FIELDS}
                values[f"offering:{row['route']}"] = offering
        elif formset.model is AcceptedPayer:
            values["insurance"] = sorted(f"{row['payer'].slug}:{row['route']}" for row in rows)
    return values


class ListingRowsFormSet(DeletedRowsReadAsSent, BaseInlineFormSet):
    """
    Price and insurance rows. save_listing compares rows by route and payer,
    never by id, so one someone else deleted after the page was opened stays
    deleted unless the editor changed that row too.
    """


class ListingRowForm(forms.ModelForm):
    """
    A price or insurance row of a listing. It is checked against the other
    rows on the page (the formset refuses the same route twice), not against
    the rows stored: one someone else added after the page was opened, that
    this page adds too, is for save_listing to merge (the same values) or show
    as a conflict with both values (different ones), not "already exists".
    """

    def validate_constraints(self):
        if self.instance.clinic_id is None:  # a new clinic: nothing stored to merge with
            super().validate_constraints()
            return
        # Route is in both rows' unique constraints and in none of the others
        # (the price checks), which still apply.
        exclude = self._get_validation_exclusions() | {"route"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except forms.ValidationError as error:
            self._update_errors(error)


class OfferingInline(clinics_admin.OfferingInline):
    form = ListingRowForm
    formset = ListingRowsFormSet


class AcceptedPayerInline(clinics_admin.AcceptedPayerInline):
    form = ListingRowForm
    formset = ListingRowsFormSet


admin.site.unregister(Clinic)
admin.site.unregister(Payer)
admin.site.unregister(Condition)


@admin.register(Payer)
class PayerAdmin(clinics_admin.PayerAdmin):
    def delete_model(self, request, obj):
        # Taken off every listing with it: each listing's history says so
        # (in the delete view's transaction, with the deletion).
        record_vocabulary_deletion(request.user, payer=obj)
        super().delete_model(request, obj)


@admin.register(Condition)
class ConditionAdmin(clinics_admin.ConditionAdmin):
    def delete_model(self, request, obj):
        record_vocabulary_deletion(request.user, condition=obj)
        super().delete_model(request, obj)


@admin.register(Clinic)
class ClinicAdmin(clinics_admin.ClinicAdmin):
    """The directory's clinic admin, with its staff and every change recorded."""

    form = ClinicAdminForm
    inlines = [OfferingInline, AcceptedPayerInline, MembershipInline, ListingChangeInline]

    def get_fieldsets(self, request, obj=None):
        first, *rest = super().get_fieldsets(request, obj)
        name, options = first
        fields = [*options["fields"], "started", "seen_version"]
        return [(name, {**options, "fields": fields}), *rest]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.conflict = getattr(request, "_listing_conflict", frozenset())
        form.refused = getattr(request, "_listing_refused", "")
        form.broken = getattr(request, "_listing_broken", "")
        return form

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if "data" in kwargs and inline.model is AcceptedPayer:
            kwargs["data"], gone = _without_deleted_payers(kwargs["data"], prefix)
            if gone and not getattr(request, "_payers_gone_said", False):
                request._payers_gone_said = True  # once, if the page is shown again
                messages.warning(
                    request,
                    "An insurance or payment option ticked on this page was taken off the "
                    "site since you opened this page, so the listing no longer lists it.",
                )
        return kwargs

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict as refused:
            # The conflict shows only once the inlines are read, after validation,
            # and it rolled the whole save back. Show the page again, with the
            # form refusing the save and saying what the other person saved.
            request._listing_conflict = refused.parts
            request._listing_broken = refused.broken
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ListingRefused as refused:
            # As for a conflict: nothing was saved, the page is shown again saying why.
            request._listing_refused = str(refused)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Only the fields outside the history that the editor changed (slug,
        # coordinates...): the others keep what is stored, which can be newer
        # than the page (ClinicAdminForm.clean). The listing's parts are written
        # by save_related, and saving the whole row would also put back an
        # edit_version or lowest price read before someone else's save.
        for name in form.outside_history:
            if name not in form.outside_changes:
                setattr(obj, name, form.stored[name])
        if form.outside_changes:
            obj.save(update_fields=[*form.outside_changes, "updated_at"])

    def save_related(self, request, form, formsets, change):
        if not change:
            super().save_related(request, form, formsets, change)
            # The history starts with what the editor created the listing with.
            record_creation(form.instance, request.user)
            return
        # Conditions (the form's only many-to-many field), prices and insurance
        # are parts of the listing: save_listing writes the editor's changes to
        # them and records the change, or raises EditConflict.
        for formset in formsets:
            if formset.model in (Offering, AcceptedPayer):
                formset.save(commit=False)  # writes nothing; lists rows for the admin's log
            else:
                self.save_formset(request, form, formset, change=change)
        values = submitted_listing(form, formsets)
        went_with = _made_consistent(form.instance, values)
        save_listing(
            form.instance,
            request.user,
            values,
            version=form.cleaned_data["seen_version"],
            started=form.cleaned_data["started"],
        )
        if went_with:
            self.message_user(
                request,
                f"Removed with the treatment it was for: {insurance_words(went_with)}.",
                messages.WARNING,
            )


class ListingRefused(Exception):
    """The admin's save would leave the listing as no form allows; the message says why."""


def _made_consistent(clinic, values):
    """
    Check the listing the admin page would save (`values`, a snapshot) as the
    staff form checks its own: a published listing that had prices keeps one
    treatment, and insurance is only for treatments offered. Insurance for a
    treatment the editor removed goes with it (dropped from `values`, and
    returned to be said); insurance added for one not offered is refused.
    """
    current = snapshots.take(clinic)
    offered = {route for route in Route.values if values[f"offering:{route}"]}
    orphans = [item for item in values["insurance"] if item.split(":", 1)[1] not in {"", *offered}]
    added = [item for item in orphans if item not in current["insurance"]]
    if added:
        routes = sorted({item.split(":", 1)[1] for item in added})
        names = ", ".join(Route(route).short_label for route in routes)
        raise ListingRefused(
            f"Not saved: insurance for {names}, which this listing does not offer: "
            f"{insurance_words(added)}. Add {names}’s prices too, or leave the insurance’s "
            "route empty (all routes)."
        )
    priced = any(values[f"offering:{route}"] for route in Route.values)
    was_priced = any(current[f"offering:{route}"] for route in Route.values)
    if clinic.status == Clinic.Status.PUBLISHED and was_priced and not priced:
        raise ListingRefused(
            "Not saved: a published listing shows its prices, and this would leave it with "
            "none. Keep at least one treatment, or set the status to Hidden."
        )
    values["insurance"] = [item for item in values["insurance"] if item not in orphans]
    return orphans


def insurance_words(items):
    """'Medicare (for Spravato), Aetna' for insurance parts of a snapshot."""
    words = stats.vocabulary()
    names = {"conditions": dict(words["conditions"]), "payers": dict(words["payers"])}
    return snapshots.describe("insurance", items, names)


class ResolvedFilter(AllHasItsOwnValue):
    title = "dealt with"
    parameter_name = "resolved"

    def lookups(self, request, model_admin):
        return [("no", "Not yet"), ("yes", "Yes")]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(resolved_at__isnull=self.value() == "no")
        return queryset


class ListingReportForm(forms.ModelForm):
    """The editor's part of a report: whether it is dealt with, and a note."""

    # The hidden copy of the box as the page was opened: a note saved from a
    # page opened before another editor dealt with the report leaves it dealt with.
    dealt_with = forms.BooleanField(
        label="Mark dealt with",
        required=False,
        show_hidden_initial=True,
        help_text="Records you and the time. Untick it to put the report back in the queue.",
    )

    class Meta:
        model = ListingReport
        fields = ["editor_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dealt_with"].initial = self.instance.resolved_at is not None


# The parts of the listing an editor checks a report against, by what it is about.
LISTING_PARTS = {
    ListingReport.Problem.PRICE: ["prices"],
    ListingReport.Problem.INSURANCE: ["insurance"],
    ListingReport.Problem.CONTACT: ["contact"],
    ListingReport.Problem.CLOSED: ["status", "contact"],
    ListingReport.Problem.OTHER: ["status", "prices", "insurance", "contact"],
}


@admin.register(ListingReport)
class ListingReportAdmin(admin.ModelAdmin):
    """Visitors' reports: read, check with the clinic, correct the listing, mark dealt with."""

    form = ListingReportForm
    list_display = ["clinic", "problem", "reported_on", "resolved_at", "dealt_with_by"]
    list_filter = [ResolvedFilter, "problem"]
    list_select_related = ["clinic", "resolved_by"]
    search_fields = ["clinic__name"]
    # Under "All", the reports still waiting first, then the latest dealt with.
    ordering = [F("resolved_at").desc(nulls_first=True), "-created_at"]
    # The visitor's words are evidence to read, not to edit, and the model's
    # help texts speak to the visitor: these name each part for the editors.
    readonly_fields = [
        "reported_clinic",
        "reported_problem",
        "visitor_details",
        "reported_on",
        "listing_now",
        "dealt_with_on",
        "dealt_with_by",
    ]
    fieldsets = [
        (
            "What the visitor reported",
            {
                "fields": ["reported_clinic", "reported_problem", "visitor_details", "reported_on"],
                "description": "As the visitor sent it, with no name or email; not editable.",
                "classes": ["report-sent"],
            },
        ),
        ("The listing now", {"fields": ["listing_now"], "classes": ["report-listing"]}),
        (
            "Dealing with it",
            {"fields": ["dealt_with", "editor_note", "dealt_with_on", "dealt_with_by"]},
        ),
    ]

    class Media:
        css = {"all": ["listings/report_admin.css"]}

    actions = ["mark_resolved"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("clinic", "resolved_by")

    def get_object(self, request, object_id, from_field=None):
        report = super().get_object(request, object_id, from_field)
        if report is not None:
            # The listing's prices and insurance, whatever their number, in two queries.
            prefetch_related_objects(
                [report.clinic],
                "offerings",
                Prefetch("accepted_payers", queryset=AcceptedPayer.objects.select_related("payer")),
            )
        return report

    def changelist_view(self, request, extra_context=None):
        # The queue opens on what is still waiting; "All" is one click away.
        if not request.GET and request.method == "GET":
            return redirect(f"{request.path}?{ResolvedFilter.parameter_name}=no")
        return super().changelist_view(request, extra_context)

    @admin.display(description="clinic")
    def reported_clinic(self, report):
        return f"{report.clinic.name} ({report.clinic.city}, {report.clinic.state})"

    @admin.display(description="reported problem")
    def reported_problem(self, report):
        return report.get_problem_display()

    @admin.display(description="what the visitor wrote")
    def visitor_details(self, report):
        return report.details or "The visitor added no details."

    @admin.display(description="reported on", ordering="created_at")
    def reported_on(self, report):
        return display_for_value(report.created_at, self.get_empty_value_display())

    @admin.display(description="dealt with on")
    def dealt_with_on(self, report):
        return display_for_value(report.resolved_at, "Not yet")

    @admin.display(description="dealt with by")
    def dealt_with_by(self, report):
        # Text, not a link to the account: that page is a 403 for editors.
        if report.resolved_by:
            return report.resolved_by.email
        return "a deleted account" if report.resolved_at else "-"

    @admin.display(description="as listed now")
    def listing_now(self, report):
        clinic = report.clinic
        return render_to_string(
            "admin/listings/listingreport/listing_now.html",
            {
                "clinic": clinic,
                "parts": LISTING_PARTS[report.problem],
                "public": clinic.status == Clinic.Status.PUBLISHED,
            },
        )

    def save_model(self, request, obj, form, change):
        # Who and when go together: ticking the box sets both (an earlier
        # editor's stay), unticking it clears both.
        if "dealt_with" in form.changed_data:
            if not form.cleaned_data["dealt_with"]:
                obj.resolved_at = obj.resolved_by = None
            elif obj.resolved_at is None:
                obj.resolved_at, obj.resolved_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="Mark the selected reports as dealt with", permissions=["change"])
    def mark_resolved(self, request, queryset):
        done = queryset.filter(resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=request.user
        )
        self.message_user(request, f"Marked {done} report(s) as dealt with.", messages.SUCCESS)
