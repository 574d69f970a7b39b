import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_existing_documents_become_rutine")]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="doc_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="documents",
                to="documents.documenttype",
                verbose_name="dokumenttype",
            ),
        ),
    ]
