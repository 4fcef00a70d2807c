"""The scaled profile's nginx configuration (bot.runtime.nginx_config), checked by Debian's
nginx itself (`nginx -t`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from bot.runtime import nginx_config
from bot.runtime.nginx_config import Upstream

FRONT = Upstream("caredesk_gateways", "127.0.0.1:18080", ["127.0.0.1:18081", "127.0.0.1:18082"])
INNER = [Upstream("caredesk_rasa", "127.0.0.1:15005", ["127.0.0.1:15006", "127.0.0.1:15007"])]


def test_nginx_accepts_the_configuration_with_its_files_in_the_folder(tmp_path: Path) -> None:
    config = nginx_config.write(tmp_path, FRONT, INNER)
    checked = subprocess.run([*nginx_config.command(config), "-t"], capture_output=True,
                             text=True)
    assert checked.returncode == 0, checked.stderr
    text = config.read_text()
    assert f"pid {tmp_path / 'nginx.pid'};" in text and "daemon off;" in text
    assert (tmp_path / "temp" / "proxy").is_dir()


def test_the_front_carries_websockets_and_the_inner_addresses_plain_http(tmp_path: Path) -> None:
    text = nginx_config.render(tmp_path, FRONT, INNER, as_root=False)
    front = text[text.index("listen 127.0.0.1:18080;"):]
    assert "proxy_set_header Upgrade $http_upgrade;" in front
    assert "proxy_set_header Connection $connection_upgrade;" in front
    assert "proxy_http_version 1.1;" in front and "proxy_read_timeout 3600s;" in front
    assert "server 127.0.0.1:18081 " in text and "server 127.0.0.1:15007 " in text
    assert "user " not in text.split("events")[0]
    assert "user nobody nogroup;" in nginx_config.render(tmp_path, FRONT, INNER, as_root=True)


def test_the_front_keeps_no_idle_connection_to_a_gateway(tmp_path: Path) -> None:
    # a kept connection to a gateway killed since would fail the next POST (nginx resends
    # no POST that it sent) instead of trying the next gateway
    text = nginx_config.render(tmp_path, FRONT, INNER, as_root=False)
    front = text[text.index("upstream caredesk_gateways"):text.index("upstream caredesk_rasa")]
    rasa = text[text.index("upstream caredesk_rasa"):]
    assert "keepalive" not in front and "keepalive 16;" in rasa.split("}")[0]
