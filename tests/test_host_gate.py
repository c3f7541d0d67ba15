"""scraper.fetch._HostGate: a host's slots handed on in the order requests came, none lost to a
cancelled waiter, one at a time while the host keeps a delay."""

from __future__ import annotations

import asyncio

import pytest

from scraper.fetch import _HostGate


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def waiters(gate: _HostGate, names: list[str], entered: list[str]) -> list[asyncio.Task[None]]:
    async def one(name: str) -> None:
        await gate.enter()
        entered.append(name)

    tasks = []
    for name in names:
        tasks.append(asyncio.create_task(one(name)))
        await settle()  # queued in this order
    return tasks


@pytest.mark.parametrize(("delay", "concurrency", "first"), [(0.0, 3, 3), (0.0, 1, 1), (0.5, 8, 1)])
async def test_free_slots_are_taken_at_once_and_the_rest_queue_in_order(
    delay: float, concurrency: int, first: int
) -> None:
    gate = _HostGate(delay, concurrency)
    entered: list[str] = []
    names = [f"r{n}" for n in range(5)]
    tasks = await waiters(gate, names, entered)
    assert entered == names[:first] and gate.in_flight == first
    for n in range(first, len(names)):
        gate.leave(float(n))
        await settle()
        assert entered == names[: n + 1]  # one leaves, the longest waiting one comes in
        assert gate.in_flight == first
    await asyncio.gather(*tasks)


async def test_a_cancelled_waiter_takes_no_slot() -> None:
    gate = _HostGate(0.0, 1)
    entered: list[str] = []
    tasks = await waiters(gate, ["a", "b", "c"], entered)
    tasks[1].cancel()
    await settle()
    gate.leave(1.0)
    await settle()
    assert entered == ["a", "c"] and gate.in_flight == 1 and not gate.waiting
    assert tasks[1].cancelled()


async def test_a_waiter_cancelled_as_it_is_handed_the_slot_passes_it_on() -> None:
    gate = _HostGate(0.0, 1)
    entered: list[str] = []
    tasks = await waiters(gate, ["a", "b", "c"], entered)
    gate.leave(1.0)  # b is handed the slot ...
    tasks[1].cancel()  # ... and cancelled before it ran
    await settle()
    assert entered == ["a", "c"] and gate.in_flight == 1
    assert tasks[1].cancelled()


async def test_a_delay_raised_meanwhile_lets_one_in_at_a_time() -> None:
    gate = _HostGate(0.0, 3)
    entered: list[str] = []
    tasks = await waiters(gate, ["a", "b", "c", "d", "e"], entered)
    gate.delay = 2.0  # robots.txt asked for a Crawl-delay
    gate.leave(1.0)
    gate.leave(1.0)
    await settle()
    assert entered == ["a", "b", "c"] and gate.in_flight == 1  # one still in flight: nobody enters
    gate.leave(2.0)
    await settle()
    assert entered == ["a", "b", "c", "d"] and gate.in_flight == 1
    gate.leave(3.0)
    await asyncio.gather(*tasks)
