"""A typed name → factory registry that plugins fill through the register hooks."""

from __future__ import annotations

from typing import Generic, TypeVar

F = TypeVar("F")


class UnknownNameError(KeyError):
    """A name that no installed plugin registered; the message lists the known names."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class Registry(Generic[F]):
    """Factories by the exact name users type (``--detector craft``)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._factories: dict[str, F] = {}
        self._summaries: dict[str, str] = {}
        self._owners: dict[str, str] = {}
        self.current_owner = ""  # set by the plugin manager while a plugin registers

    def add(self, name: str, factory: F, *, summary: str = "") -> None:
        if not name or not name.replace("-", "_").replace(".", "_").isidentifier():
            raise ValueError(f"invalid {self.kind} name {name!r}")
        if name in self._factories:
            owner = self._owners.get(name) or "another plugin"
            raise ValueError(
                f"{self.kind} {name!r} is registered twice "
                f"(by {owner} and by {self.current_owner or 'another plugin'})"
            )
        self._factories[name] = factory
        self._summaries[name] = summary
        self._owners[name] = self.current_owner

    def get(self, name: str) -> F:
        try:
            return self._factories[name]
        except KeyError:
            known = ", ".join(sorted(self._factories)) or "none installed"
            raise UnknownNameError(f"unknown {self.kind} {name!r}; available: {known}") from None

    def names(self) -> list[str]:
        return sorted(self._factories)

    def summaries(self) -> dict[str, str]:
        return dict(sorted(self._summaries.items()))

    def owner(self, name: str) -> str:
        return self._owners.get(name, "")

    def __contains__(self, name: object) -> bool:
        return name in self._factories
