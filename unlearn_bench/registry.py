"""Registries of tasks and methods. Modules in `unlearn_bench.tasks` and `unlearn_bench.methods` (the folders tasks/ and methods/) are imported
on first use; each registers its class with a decorator, so adding a task or a method is adding one file.
Modules whose names start with an underscore hold shared helpers and are not imported by discovery.
Outside code registers its own classes by being imported with `--plugin MODULE_OR_FILE`."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
from pathlib import Path
from typing import Generic, TypeVar

from .errors import UsageError, unknown

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, kind: str, package: str):
        self.kind = kind
        self.package = package
        self._classes: dict[str, type[T]] = {}
        self._discovered = False

    def register(self, cls: type[T]) -> type[T]:
        """Class decorator: registers `cls` under `cls.name`."""
        name = getattr(cls, "name", None)
        if not isinstance(name, str) or not name:
            raise TypeError(f"{cls.__qualname__} needs a non-empty class attribute `name` to be registered")
        existing = self._classes.get(name)
        if existing is not None and existing.__qualname__ != cls.__qualname__:
            raise ValueError(f"{self.kind} {name!r} is registered twice ({existing.__qualname__}, {cls.__qualname__})")
        self._classes[name] = cls
        return cls

    def _discover(self) -> None:
        if self._discovered:
            return
        self._discovered = True
        package = importlib.import_module(self.package)
        for module in pkgutil.iter_modules(package.__path__):
            if not module.name.startswith("_"):
                importlib.import_module(f"{self.package}.{module.name}")

    def names(self) -> list[str]:
        self._discover()
        return sorted(self._classes)

    def get(self, name: str) -> type[T]:
        self._discover()
        if name not in self._classes:
            raise unknown(self.kind, name, self._classes)
        return self._classes[name]

    def create(self, name: str) -> T:
        return self.get(name)()


TASKS: Registry = Registry("task", "unlearn_bench.tasks")
METHODS: Registry = Registry("method", "unlearn_bench.methods")
register_task = TASKS.register
register_method = METHODS.register


def load_plugin(spec: str) -> None:
    """Import a module by dotted name or by file path, so that its @register_* decorators run."""
    path = Path(spec)
    if spec.endswith(".py"):
        if not path.is_file():
            raise UsageError(f"plugin file not found: {spec!r}; expected a path to a .py file")
        name = f"unlearn_bench_plugin_{path.stem}"
        module_spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
        return
    try:
        importlib.import_module(spec)
    except ModuleNotFoundError as error:
        raise UsageError(f"plugin module {spec!r} not found ({error}); expected an importable module or a .py file") from None
