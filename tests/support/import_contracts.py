"""import-linter contract types of our own (``.importlinter`` names them).

``acyclic``: no import cycle between any two modules of the packages, counting every
import, those inside functions and under ``TYPE_CHECKING`` included: a cycle hidden in a
function is still a cycle. import-linter's own ``acyclic_siblings`` checks packages
against their siblings; this one checks modules, which is what a cycle is at run time.
"""

from __future__ import annotations

import sys

import grimp
from importlinter import Contract, ContractCheck, fields, output


def import_cycles(graph: grimp.ImportGraph, packages: set[str]) -> list[list[str]]:
    """The strongly connected components of two or more modules (Tarjan's algorithm),
    each sorted, among the modules of ``packages``."""

    def inside(module: str) -> bool:
        return module.split(".")[0] in packages

    modules = sorted(module for module in graph.modules if inside(module))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if not inside(imported):
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(modules) + 100))
    try:
        for module in modules:
            if module not in index:
                visit(module)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(cycles)


class AcyclicContract(Contract):
    """No module of ``packages`` takes part in an import cycle."""

    type_name = "acyclic"

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        cycles = import_cycles(graph, {str(package) for package in self.packages})  # type: ignore[attr-defined]
        edges = {
            tuple(cycle): [
                (importer, imported)
                for importer in cycle
                for imported in sorted(graph.find_modules_directly_imported_by(importer))
                if imported in cycle
            ]
            for cycle in cycles
        }
        return ContractCheck(kept=not cycles, metadata={"cycles": edges})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for cycle, edges in check.metadata["cycles"].items():
            output.print_error(f"Import cycle of {len(cycle)} modules:", bold=True)
            output.new_line()
            for importer, imported in edges:
                output.indent_cursor()
                output.print_error(f"{importer} -> {imported}", bold=False)
            output.new_line()
