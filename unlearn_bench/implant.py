"""The implant stage of the offline tiers: fine-tune the unwanted behaviour into the pretrained model once, cache
the result on disk, and identify it by a hash of its weights.

The cache key covers everything that shapes the implanted model (pretrained weights, task and its version, tier,
task options, the implant data itself, the recipe, prompt style), so changed data never reuses an old implant. The
implanted model is part of the task's fixture, like its data: it is trained with the task's split seed, so every
run seed unlearns the same original model (seeds measure the method's variance, the bootstrap the data's).
The weights fingerprint, computed once when the implant is saved, keys the original model's generations: an
implant rebuilt with different weights can never reuse stale outputs.
"""

from __future__ import annotations

import copy
import logging
import shutil
from dataclasses import asdict
from pathlib import Path

from .api import Example, Task
from .io import digest
from . import distributed
from .execution import train_threads
from .models import FINGERPRINT_FILE, LoadedModel, in_dtype, load_model, weights_fingerprint
from .paths import cache_dir
from .training import Objective, TrainParams, train

log = logging.getLogger(__name__)
IMPLANT_VERSION = "implant-v3"  # v3: trained at a fixed thread count (unlearn_bench.execution)


def implant_seed(task_options) -> int:
    return int(getattr(task_options, "split_seed", 0))


def implant_key(pretrained: LoadedModel, task: Task, tier: str, task_options, style: str, data: list[Example]) -> str:
    examples = [(e.prompt, e.answer, e.style) for e in data]
    return digest(pretrained.fingerprint, task.name, task.version, tier, asdict(task_options),
                  asdict(task.implant_params), style, implant_seed(task_options), digest(examples), IMPLANT_VERSION,
                  training_setup(pretrained))


def training_setup(pretrained: LoadedModel) -> str:
    """What shapes trained weights besides data and recipe: the device type and, on the CPU, the fixed thread
    count (a matmul's reduction order follows it)."""
    device = next(pretrained.model.parameters()).device
    return f"cpu:{train_threads()}" if device.type == "cpu" else device.type


def implanted(pretrained: LoadedModel, task: Task, tier: str, task_options, formatter, data: list[Example],
              work_dir: Path, load=load_model, gradient_checkpointing: bool = False) -> tuple[LoadedModel, bool]:
    """(the implanted model, whether it came from the cache). `load` reads a checkpoint onto the run's device and
    dtype; the implant itself is trained and saved in float32 (see training.train)."""
    key = implant_key(pretrained, task, tier, task_options, formatter.style, data)
    seed = implant_seed(task_options)
    directory = cache_dir() / "implanted" / key
    cached = (directory / FINGERPRINT_FILE).is_file()
    if not cached:
        log.info("implanting %s behaviour into %s (cached afterwards)", task.name, pretrained.name)
        _train_and_save(pretrained, task, formatter, seed, data, work_dir, directory, gradient_checkpointing)
        distributed.barrier()  # under a launcher every rank trains (one data-parallel job); rank 0 saves
    loaded = load(str(directory))
    fingerprint = in_dtype((directory / FINGERPRINT_FILE).read_text().strip(), next(loaded.model.parameters()).dtype)
    return LoadedModel(loaded.model, loaded.tokenizer, f"{pretrained.name}+implant-{task.name}", fingerprint), cached


def _train_and_save(pretrained: LoadedModel, task: Task, formatter, seed: int, data: list[Example], work_dir: Path,
                    directory: Path, gradient_checkpointing: bool = False) -> None:
    recipe = task.implant_params
    params = TrainParams(lr=recipe.lr, batch_size=recipe.batch_size, max_length=recipe.max_length)
    # a copy: the pretrained model stays as it was (its outputs and the membership-inference probe need it)
    model, _ = train(copy.deepcopy(pretrained.model), pretrained.tokenizer, formatter, data, Objective(normal=1.0),
                     params, seed=seed, work_dir=str(work_dir / "implant"), epochs=recipe.epochs,
                     gradient_checkpointing=gradient_checkpointing)
    if not distributed.is_main_process():
        return
    partial = directory.with_name(directory.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    model.save_pretrained(partial)
    pretrained.tokenizer.save_pretrained(partial)
    (partial / FINGERPRINT_FILE).write_text(weights_fingerprint(model) + "\n")
    shutil.rmtree(directory, ignore_errors=True)
    partial.rename(directory)
