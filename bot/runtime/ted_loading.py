"""Rasa 3.6 builds a loaded TEDPolicy by training it: `RasaModel.load` compiles the model and
runs one training step on an example (tracing the whole training graph, gradients and
optimizer included) only to create its variables, then overwrites them with the stored
weights and traces the prediction graph. That training step is three quarters of loading a
CareDesk model (about 15 of 20 s on 2 cores), paid at every start of a Rasa server, every
activation and every hot swap.

`install` loads such a model for prediction without it: the stored weights are attached
first (TensorFlow restores each variable as soon as the model creates it), then the one
prediction Rasa already makes to trace the prediction graph creates the variables the
prediction needs, with their stored values. The restore is checked: every variable the
model created must have come from the file, or the model is built Rasa's way instead.
Fine-tuning and a model without a prediction example load as Rasa loads them.
tests/bot/test_ted_loading.py compares the predictions of both loads.
"""

from __future__ import annotations

import logging
from typing import Any, Optional, Text

from rasa.utils.tensorflow.model_data import RasaModelData
from rasa.utils.tensorflow.models import RasaModel

logger = logging.getLogger(__name__)

_rasa_load = RasaModel.load.__func__  # type: ignore[attr-defined]


def load_for_prediction(cls: Any, model_file_name: Text, model_data_example: RasaModelData,
                        predict_data_example: Optional[RasaModelData] = None,
                        finetune_mode: bool = False, *args: Any, **kwargs: Any) -> RasaModel:
    """RasaModel.load without the training step, when the model is loaded to predict."""
    if finetune_mode or predict_data_example is None:
        return _rasa_load(cls, model_file_name, model_data_example, predict_data_example,
                          finetune_mode, *args, **kwargs)
    model = cls(*args, **kwargs)
    status = model.load_weights(model_file_name)
    _trace_without_autograph(model, predict_data_example)
    model.run_inference(predict_data_example)
    try:
        # every variable created so far was restored from the file (the optimizer's slots
        # and anything only training uses stay in the file, unused)
        status.assert_existing_objects_matched()
    except AssertionError as error:
        logger.warning("TEDPolicy weights did not match a model built for prediction (%s); "
                       "building it by a training step as Rasa does", error)
        return _rasa_load(cls, model_file_name, model_data_example, predict_data_example,
                          finetune_mode, *args, **kwargs)
    status.expect_partial()
    return model


def _trace_without_autograph(model: RasaModel, predict_data_example: RasaModelData) -> None:
    """Gives the model its prediction function before Rasa makes it, traced without
    autograph: converting TED's prediction code to graph code cost about 2 s of CPU in every
    load of the product model (17.4 -> 15.5 s with it, imports included). Its Python loops
    and branches run on what the model data holds, not on tensor values, so tracing them as
    plain Python builds the same graph (tests/bot/test_ted_loading.py compares the
    predictions)."""
    import tensorflow as tf
    from rasa.utils.train_utils import create_data_generators

    generator, _ = create_data_generators(model_data=predict_data_example, batch_sizes=1,
                                          epochs=1, shuffle=False)
    batch_in = next(iter(generator))[0]
    model._tf_predict_step = tf.function(
        model.predict_step, input_signature=model._dynamic_signature(batch_in), autograph=False)


def install() -> None:
    RasaModel.load = classmethod(load_for_prediction)  # type: ignore[assignment]
