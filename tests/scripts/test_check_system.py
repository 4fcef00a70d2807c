"""scripts/check-system, the preflight of `make test` and `make run`: with a system package
missing it stops at once with the command that installs it, or (as root on Debian, or when
told to) installs it with apt-get and checks again. The system is a fake one under tmp_path
(the script's path overrides), and apt-get is a fake on PATH that records what it was asked."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Dict

import pytest

from ground.envfile import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "scripts" / "check-system"
SUDO = "" if os.geteuid() == 0 else "sudo "


def executable(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


@pytest.fixture
def system(tmp_path: Path) -> Dict[str, str]:
    """Settings of a fake system on which every package the tests need is installed, and
    whose apt-get logs its arguments (and installs chromium when asked to)."""
    chromium = tmp_path / "usr/bin/chromium"
    executable(tmp_path / "usr/lib/postgresql/15/bin/initdb", "#!/bin/sh\n")
    executable(tmp_path / "usr/lib/postgresql/15/bin/pg_ctl", "#!/bin/sh\n")
    (tmp_path / "zoneinfo/Europe").mkdir(parents=True)
    (tmp_path / "zoneinfo/Europe/London").write_text("TZif")
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts/DejaVuSans.ttf").write_text("font")
    executable(chromium, "#!/bin/sh\n")
    executable(tmp_path / "usr/bin/redis-server", "#!/bin/sh\n")
    executable(tmp_path / "usr/sbin/nginx", "#!/bin/sh\n")
    # a Python >= 3.11 that can create venvs: every `python -c ...` succeeds
    python = executable(tmp_path / "python3.11", "#!/bin/sh\nexit 0\n")
    bin_dir = tmp_path / "fake-bin"
    executable(bin_dir / "apt-get", f"""#!/bin/sh
echo "$*" >> {tmp_path / 'apt-get.log'}
if [ "$1" = install ] && [ -z "${{APT_INSTALLS_NOTHING:-}}" ]; then
    printf '#!/bin/sh\\n' > "$CAREDESK_CHROMIUM" && chmod +x "$CAREDESK_CHROMIUM"
fi
""")
    return {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}",
            "CAREDESK_CHROMIUM": str(chromium),
            "CAREDESK_POSTGRES_BIN": str(tmp_path / "usr/lib/postgresql/*/bin"),
            "CAREDESK_REDIS_SERVER": str(tmp_path / "usr/bin/redis-server"),
            "CAREDESK_NGINX": str(tmp_path / "usr/sbin/nginx"),
            "CAREDESK_ZONEINFO": str(tmp_path / "zoneinfo"),
            "CAREDESK_FONT": str(tmp_path / "fonts/DejaVuSans.ttf"),
            "PYTHON311": str(python), "CAREDESK_SYSTEM_INSTALL": "no"}


def check(env: Dict[str, str], purpose: str = "test") -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), purpose], env=env, capture_output=True, text=True,
                          timeout=60)


def apt_calls(env: Dict[str, str]) -> list:
    log = Path(env["CAREDESK_ZONEINFO"]).parent / "apt-get.log"
    return log.read_text().splitlines() if log.exists() else []


def test_a_complete_system_passes_without_installing(system: Dict[str, str]) -> None:
    for mode in ("no", "yes"):
        result = check({**system, "CAREDESK_SYSTEM_INSTALL": mode})
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    assert apt_calls(system) == []


def test_a_missing_browser_stops_at_once_with_the_install_command(
        system: Dict[str, str]) -> None:
    Path(system["CAREDESK_CHROMIUM"]).unlink()
    started = time.monotonic()
    result = check(system)
    assert time.monotonic() - started < 15
    assert result.returncode == 1
    assert f"no browser at {system['CAREDESK_CHROMIUM']}" in result.stderr
    assert result.stderr.splitlines()[-1] == \
        f"  {SUDO}apt-get install -y --no-install-recommends chromium"
    assert apt_calls(system) == []


def test_every_missing_package_is_named_once(system: Dict[str, str], tmp_path: Path) -> None:
    Path(system["CAREDESK_CHROMIUM"]).unlink()
    (tmp_path / "usr/lib/postgresql/15/bin/pg_ctl").unlink()
    (tmp_path / "zoneinfo/Europe/London").unlink()
    (tmp_path / "fonts/DejaVuSans.ttf").unlink()
    # a Python 3.11 without ensurepip: Debian's python3 without python3-venv
    executable(Path(system["PYTHON311"]),
               "#!/bin/sh\ncase \"$2\" in *ensurepip*) exit 1 ;; esac\nexit 0\n")
    result = check(system)
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == (
        f"  {SUDO}apt-get install -y --no-install-recommends "
        "tzdata chromium fonts-dejavu-core postgresql python3-venv")


def test_make_run_needs_only_the_timezone_database(system: Dict[str, str],
                                                   tmp_path: Path) -> None:
    Path(system["CAREDESK_CHROMIUM"]).unlink()
    assert check(system, "run").returncode == 0
    (tmp_path / "zoneinfo/Europe/London").unlink()
    result = check(system, "run")
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] == \
        f"  {SUDO}apt-get install -y --no-install-recommends tzdata"


def test_installing_runs_apt_get_and_checks_again(system: Dict[str, str]) -> None:
    Path(system["CAREDESK_CHROMIUM"]).unlink()
    result = check({**system, "CAREDESK_SYSTEM_INSTALL": "yes"})
    assert result.returncode == 0, result.stderr
    assert apt_calls(system) == ["update -qq",
                                 "install -y -qq --no-install-recommends chromium"]
    assert os.access(system["CAREDESK_CHROMIUM"], os.X_OK)


def test_an_install_that_brings_nothing_fails(system: Dict[str, str]) -> None:
    Path(system["CAREDESK_CHROMIUM"]).unlink()
    result = check({**system, "CAREDESK_SYSTEM_INSTALL": "yes", "APT_INSTALLS_NOTHING": "1"})
    assert result.returncode == 1
    assert "still missing after apt-get install" in result.stderr
    assert "chromium: no browser at" in result.stderr


def test_by_default_it_installs_only_as_root_on_debian(system: Dict[str, str]) -> None:
    Path(system["CAREDESK_CHROMIUM"]).unlink()
    result = check({**system, "CAREDESK_SYSTEM_INSTALL": "auto"})
    if os.geteuid() == 0 and Path("/etc/debian_version").exists():
        assert result.returncode == 0, result.stderr
        assert apt_calls(system)[-1] == "install -y -qq --no-install-recommends chromium"
    else:
        assert result.returncode == 1
        assert apt_calls(system) == []
        assert "sudo apt-get install -y --no-install-recommends chromium" in result.stderr


def test_the_scaled_profile_needs_its_engines_and_nginx_but_no_browser(
        system: Dict[str, str], tmp_path: Path) -> None:
    Path(system["CAREDESK_CHROMIUM"]).unlink()
    assert check(system, "scaled").returncode == 0
    Path(system["CAREDESK_NGINX"]).unlink()
    (tmp_path / "usr/bin/redis-server").unlink()
    result = check(system, "scaled")
    assert result.returncode == 1
    assert f"no {system['CAREDESK_NGINX']}" in result.stderr
    assert result.stderr.splitlines()[-1] == \
        f"  {SUDO}apt-get install -y --no-install-recommends redis-server nginx"
    assert "nginx" in check(system, "test").stderr  # make test runs the scaled profile
