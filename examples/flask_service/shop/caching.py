"""A response cache for views whose output only changes on deploy."""
import functools
from typing import Any, Callable, Dict, Tuple


class cached_view:
    """Class-based decorator: caches the view's return value per URL arguments.

    ``functools.update_wrapper`` gives the instance the view's ``__name__``,
    which Flask uses as the endpoint name.
    """

    def __init__(self, view: Callable[..., Any]) -> None:
        functools.update_wrapper(self, view)
        self.view = view
        self.cache: Dict[Tuple[Any, ...], Any] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        key = args + tuple(sorted(kwargs.items()))
        if key not in self.cache:
            self.cache[key] = self.view(*args, **kwargs)
        return self.cache[key]
