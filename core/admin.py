from django.contrib import admin


def extend_admin(model, mixin):
    """Re-register `model`'s admin with `mixin` in front.

    How an app adds to the admin of an app below it, which must not import it: posts and votes
    add what they know of a user to the user's page.
    """
    current = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(current.__name__, (mixin, current), {}))
