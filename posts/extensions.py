"""What other apps add to a post as every endpoint shows it (core.extensions), declared here,
never named: votes adds `voted`, whether the caller likes the post."""

from django.contrib.auth.models import AnonymousUser

from accounts.models import User
from core.extensions import AddedField, AddedFields
from posts.models import Post

# Whom a post is read for: a signed-in user (request.user) or an anonymous one.
Reader = User | AnonymousUser

PostField = AddedField[Post]
added_post_fields: AddedFields[Post] = AddedFields()
add_post_field = added_post_fields.add
