"""A local HTTP server standing in for the teams' webhook receiver."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Dict, List, Optional, Sequence, Tuple

from tests.connections import process_holding


@dataclass(frozen=True)
class Post:
    """One request as the receiver saw it and answered it."""

    delivery: str  # X-CareDesk-Delivery
    status: int
    sender: Optional[int]  # which of the receiver's `senders` posted it
    headers: Dict[str, str]
    body: bytes


class Receiver:
    """A local HTTP receiver that fails the first `failures` calls with 503 and, with
    `fail_first_attempt`, the first call of every delivery too. It takes `delay` seconds to
    answer, and names which of the `senders` (process ids) each call came from."""

    def __init__(self, failures: int = 0, fail_first_attempt: bool = False, delay: float = 0.0,
                 senders: Sequence[int] = ()) -> None:
        self.failures = failures
        self.calls: List[Tuple[Dict[str, str], bytes]] = []
        self.posts: List[Post] = []
        lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                delivery = headers.get("x-caredesk-delivery", "")
                sender = process_holding(self.client_address[1], self.server.server_address[1],
                                         senders) if senders else None
                time.sleep(delay)
                with lock:
                    receiver.calls.append((headers, body))
                    again = any(post.delivery == delivery for post in receiver.posts)
                    failing = (len(receiver.calls) <= receiver.failures
                               or (fail_first_attempt and not again))
                    status = 503 if failing else 204
                    receiver.posts.append(Post(delivery, status, sender, headers, body))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/requirements"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def posts_of(self, delivery: str) -> List[Post]:
        return [post for post in list(self.posts) if post.delivery == delivery]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
