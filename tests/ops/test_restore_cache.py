"""`deepwiki restore` leaves nothing cached from the database it replaced."""

from live import LiveInstance

READ = (
    "from deepwiki.core.models import SiteSettings; "
    "print(SiteSettings.current().registration_open)"
)
CLOSE = (
    "from deepwiki.core.models import SiteSettings; "
    "s = SiteSettings.objects.get_or_create(pk=1)[0]; "
    "s.registration_open = False; s.save()"
)


def test_restore_serves_the_restored_settings_not_the_cached_ones(tmp_path):
    instance = LiveInstance(data_dir=tmp_path / "data")
    instance.cli("migrate", "--noinput", "-v", "0")
    (tmp_path / "data" / "media").mkdir()  # backup needs the blob dir to exist
    assert instance.cli("shell", "-c", READ).split()[-1] == "True"
    archive = str(tmp_path / "backup.tar.gz")
    instance.cli("backup", archive)

    instance.cli("shell", "-c", CLOSE)
    assert instance.cli("shell", "-c", READ).split()[-1] == "False"  # now cached

    instance.cli("restore", archive, "--force")
    assert instance.cli("shell", "-c", READ).split()[-1] == "True"
