"""`python -m bot.runtime.action_server --port N`: rasa-sdk's action server, closed to
everyone but the Rasa server.

The custom actions read and change orders and accounts, and trust the tracker they are
sent (a slot saying "verified" is believed), so nobody else may call them. rasa-sdk 3.6 has
no authentication of its own: this wraps its app with a check of a shared secret that the
Rasa server sends in a header (endpoints.yml `action_endpoint.headers`, from
ACTION_SERVER_SECRET in the environment, never on a command line). Only `/health` stays
open, so that the supervisor and the gateway can tell whether it runs. It binds to
127.0.0.1 unless --host says otherwise, and allows no cross-origin browser calls.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
from typing import Optional

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

SECRET_HEADER = "X-CareDesk-Action-Secret"
SECRET_ENV = "ACTION_SERVER_SECRET"
OPEN_PATHS = frozenset({"/health"})


def create_app(secret: str, actions_package: str = "actions") -> Sanic:
    """rasa-sdk's app for `actions_package`, refusing every call without `secret`."""
    if not secret:
        raise ValueError(f"{SECRET_ENV} must be set: the action server refuses to run open")
    from rasa_sdk.endpoint import create_app as create_sdk_app

    app = create_sdk_app(actions_package, cors_origins=[])
    expected = secret.encode()

    @app.on_request
    async def require_secret(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return response.json({"error": "forbidden"}, status=403)
        return None

    return app


def warm_up() -> None:
    """Builds the spaCy pipelines the actions share (sentiment and risks of feedback, the
    5W1H fields of a requirement) while the server starts, not in a customer's turn: spaCy
    and TensorFlow take seconds to load, and only on first use (handoff.emotion,
    needs.extraction)."""
    from handoff.emotion import shared_analyser
    from needs.extraction import shared_extractor

    shared_analyser()
    shared_extractor()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s - %(message)s")
    app = create_app(os.environ.get(SECRET_ENV, ""))
    warm_up()
    logging.getLogger(__name__).info("Action endpoint is up and running on http://%s:%s",
                                     args.host, args.port)
    app.run(args.host, args.port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
