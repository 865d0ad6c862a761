"""Query processes (kg.graph.query_workers): answers as the store gives them, and runaway,
memory-hungry and parser-crashing queries cost a process that is replaced, never the
caller. The store stays open read-write in this process, as ``kg serve`` holds it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from api.sparql import Operation, SparqlError, answer_operation
from kg.errors import QueryTimeout, QueryTooComplex, QueryTooLarge, ServerBusy
from kg.graph.query_workers import QueryLimits, QueryWorkers
from kg.graph.store import OxigraphGraphStore

EX = "http://example.org/"
#: CPU-bound and flat in memory: a count over a three-way cartesian product.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: Memory-hungry: the same product sorted (Oxigraph sorts it whole before the LIMIT).
HUNGRY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g LIMIT 10"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NESTED = "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000


def _quads(start: int, stop: int) -> list[ox.Quad]:
    graph = ox.NamedNode(f"{EX}graph")
    return [
        ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(i)), graph)
        for i in range(start, stop)
    ]


@pytest.fixture
def store(tmp_path: Path):
    with OxigraphGraphStore(tmp_path / "store") as opened:
        opened.oxigraph.extend(_quads(0, 2000))
        yield opened


def ask(workers: QueryWorkers, query: str, seconds: float | None = None) -> bytes:
    """The CSV answer (within ``seconds``, else the pool's own time limit)."""
    deadline = time.monotonic() + seconds if seconds else None
    operation = Operation("query", query)
    body, _ = workers.run(answer_operation, operation, EX, "text/csv", 1000, deadline=deadline)
    return body


def count(workers: QueryWorkers) -> int:
    """The number of triples, however long a starting process takes on a loaded machine."""
    return int(ask(workers, COUNT, seconds=60).split()[1])


def test_answers_equal_the_store_and_follow_its_writes(store):
    with QueryWorkers(Path(store.spec), QueryLimits(10.0, 2**30), size=2) as workers:
        direct = store.oxigraph.query(COUNT, use_default_graph_as_union=True)
        assert count(workers) == int(next(iter(direct))[0].value) == 2000
        store.oxigraph.extend(_quads(2000, 2100))  # the server writes after the workers opened
        assert count(workers) == 2100
        store.update(f"DELETE WHERE {{ GRAPH ?g {{ <{EX}s0> ?p ?o }} }}")
        store.flush()
        assert count(workers) == 2099


def test_a_refusal_comes_back_as_raised_and_keeps_the_process(store):
    with QueryWorkers(Path(store.spec), QueryLimits(10.0, 2**30), size=1) as workers:
        count(workers)  # the process is up
        before = workers.pids()
        with pytest.raises(SparqlError) as refused:
            ask(workers, "SELECT ?x WHERE { ?x")
        assert refused.value.status == 400 and refused.value.error == "QuerySyntaxError"
        assert workers.pids() == before and workers.replaced == 0


def test_a_runaway_query_is_killed_at_its_deadline_and_replaced(store):
    with QueryWorkers(Path(store.spec), QueryLimits(1.0, 2**30), size=1) as workers:
        count(workers)  # the process is up
        first = workers.pids()
        started = time.monotonic()
        with pytest.raises(QueryTimeout, match="1 s"):
            ask(workers, RUNAWAY)
        assert 0.9 < time.monotonic() - started < 3.0
        assert workers.replaced == 1 and workers.pids() != first and len(workers.pids()) == 1
        assert count(workers) == 2000


def test_a_memory_hungry_query_is_stopped(store):
    with QueryWorkers(Path(store.spec), QueryLimits(30.0, 256 * 2**20), size=1) as workers:
        started = time.monotonic()
        with pytest.raises(QueryTooLarge, match="256 MiB"):
            ask(workers, HUNGRY)
        assert time.monotonic() - started < 20  # the memory limit, long before the time limit
        assert count(workers) == 2000


def test_a_query_that_crashes_the_parser_costs_only_its_process(store):
    with QueryWorkers(Path(store.spec), QueryLimits(10.0, 2**30), size=1) as workers:
        with pytest.raises(QueryTooComplex, match="SIGSEGV"):
            ask(workers, NESTED)
        assert workers.replaced == 1
        assert count(workers) == 2000


def test_a_query_that_finds_no_free_process_is_told_so(store):
    with QueryWorkers(Path(store.spec), QueryLimits(2.0, 2**30), size=1) as workers:
        count(workers)  # the process is up
        stopped = []

        def run_away() -> None:
            try:
                ask(workers, RUNAWAY)
            except QueryTimeout as error:
                stopped.append(error)

        runaway = threading.Thread(target=run_away)
        runaway.start()
        time.sleep(0.2)
        with pytest.raises(ServerBusy, match="busy"):
            workers.run(
                answer_operation,
                Operation("query", COUNT),
                EX,
                None,
                10,
                deadline=time.monotonic() + 0.5,
            )
        runaway.join()
        assert len(stopped) == 1
        assert count(workers) == 2000
