from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from accounts.confirmation import is_confirmed


class Command(BaseCommand):
    help = (
        "Make an account an editor (staff status and the Editors group, not a "
        "superuser), or with --remove take that away."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="the address the person signed up with")
        parser.add_argument("--remove", action="store_true", help="no longer an editor")

    def handle(self, email, remove, **options):
        user = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active account uses {email}. Ask the person to sign up first.")
        editors = Group.objects.get(name="Editors")  # made by articles/migrations/0002
        if remove:
            user.groups.remove(editors)
            # Staff status stays for a superuser, who is staff without the group.
            if not user.is_superuser:
                user.is_staff = False
                user.save(update_fields=["is_staff"])
            self.stdout.write(f"{user.email} is no longer an editor.")
            return
        # Editors read patients' inquiries and decide claims: the address must be theirs.
        if not is_confirmed(user) and not user.is_superuser:
            raise CommandError(
                f"{user.email} has not confirmed its email address yet: ask them to open the "
                "link we emailed when they signed up, then run this again."
            )
        user.is_staff = True
        user.save(update_fields=["is_staff"])
        user.groups.add(editors)
        self.stdout.write(f"{user.email} is an editor: they sign in at /admin/.")
