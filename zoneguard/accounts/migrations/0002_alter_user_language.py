from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='user',
            name='language',
            field=models.CharField(choices=[('zh-hans', '简体中文'), ('en', 'English')], default='zh-hans', help_text='Language of notifications and e-mails sent to this user.', max_length=10, verbose_name='language'),
        ),
    ]
