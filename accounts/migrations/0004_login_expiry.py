from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def expire_with_the_longest_refresh_token(apps, schema_editor):
    """A login made before this column existed may hold a refresh token issued just now: it
    lives at most one refresh token lifetime from now."""
    TokenFamily = apps.get_model("accounts", "TokenFamily")
    lifetime = settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"]
    TokenFamily.objects.update(expires_at=timezone.now() + lifetime)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_handle_skeleton"),
    ]

    operations = [
        migrations.AddField(
            model_name="tokenfamily",
            name="expires_at",
            field=models.DateTimeField(db_index=True, null=True),
        ),
        migrations.RunPython(expire_with_the_longest_refresh_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tokenfamily",
            name="expires_at",
            field=models.DateTimeField(db_index=True),
        ),
    ]
