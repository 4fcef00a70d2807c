"""The trainer workbench's part of the gateway: the review inbox, training data, flags,
reveals and model versions (training, evaluation, activation), their APIs and page."""

from __future__ import annotations

import asyncio

from sanic import Sanic

from ground.settings import Settings
from ground.web.ratelimit import rate_limiter
from trainer.activation import Activation
from trainer.api import trainer
from trainer.flags import TrainingFlags
from trainer.hot_swap import RasaModelServer
from trainer.inbox import Inbox
from trainer.model_events import announcer
from trainer.versions_api import models as trainer_models
from trainer.page import trainer_page
from trainer.registry import ModelStore
from trainer.reveals import Reveals
from trainer.reviews import Reviews
from trainer.training_data import TrainingData
from trainer.training_run import TrainingRunner


def install(app: Sanic, settings: Settings) -> None:
    """Needs the handoff's part set up first (app.ctx.tickets), Rasa's tracker store
    (app.ctx.tracker) and the commands that evaluate a model version (app.ctx.evaluator) and
    train one (app.ctx.trainer), from the composition root."""
    app.ctx.reveal_limit = rate_limiter(app.ctx.redis, "reveal",
                                        settings.trainer_reveals_per_minute)
    app.blueprint(trainer)
    app.blueprint(trainer_models)
    app.blueprint(trainer_page)

    @app.listener("before_server_start")
    async def open_workbench(app: Sanic, loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.inbox = Inbox(app.ctx.tracker, app.ctx.sessions, settings.trainer_low_confidence,
                              settings.training_data_dir)
        app.ctx.training_data = TrainingData(settings.training_data_dir)
        app.ctx.reviews = Reviews(app.ctx.sessions, app.ctx.inbox, app.ctx.training_data)
        app.ctx.reveals = Reveals(app.ctx.sessions, app.ctx.inbox)
        app.ctx.model_store = ModelStore(app.ctx.sessions, settings.model_store_dir,
                                         on_change=announcer(app.ctx.events, loop))
        app.ctx.training = TrainingRunner(app.ctx.model_store, settings.training_data_dir,
                                          evaluator=app.ctx.evaluator,
                                          trainer=app.ctx.trainer)
        app.ctx.activation = Activation(app.ctx.model_store,
                                        RasaModelServer(settings.rasa_server_urls, settings.rasa_token))
        app.ctx.training_flags = TrainingFlags(app.ctx.sessions, app.ctx.store, app.ctx.tickets)

    @app.listener("before_server_stop")
    async def stop_training(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        await app.ctx.training.stop()
