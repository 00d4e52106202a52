from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailOrUsernameBackend(ModelBackend):
    """Authenticate with an email or a handle, both matched case-insensitively.

    An unknown identifier still runs the password hasher once, so a wrong email and a wrong
    password take about the same time.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        identifier = username or kwargs.get("email")
        if identifier is None or password is None:
            return None
        User = get_user_model()
        user = User.objects.with_identifier(identifier).first()
        if user is None:
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
