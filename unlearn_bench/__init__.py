"""unlearn-bench: an evaluation benchmark for large-language-model unlearning."""

__version__ = "0.1.0"
