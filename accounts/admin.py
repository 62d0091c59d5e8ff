from django.contrib import admin

from accounts.forms import AdminSignInForm

# Editors read every inquiry (health data): their sign-in waits after wrong
# passwords exactly as the site's does, counted together.
admin.site.login_form = AdminSignInForm
