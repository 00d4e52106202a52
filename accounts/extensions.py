"""What other apps add to a user's profile as every endpoint shows it (core.extensions),
declared here, never named: relationships adds whether the caller follows, is followed by and
blocks the user."""

from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from core.extensions import AddedField, AddedFields

# Whom a profile is read for: a signed-in user (request.user) or an anonymous one.
Reader = User | AnonymousUser

ProfileField = AddedField[User]
added_profile_fields: AddedFields[User] = AddedFields()
add_profile_field = added_profile_fields.add
