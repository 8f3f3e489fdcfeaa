"""What the host gave this virtual machine: the share of its CPU time stolen by the hypervisor
(/proc/stat), printed beside the benches' figures. A phase measured while the host took a
large share measured a smaller machine than the budgets' 2-core one."""

from __future__ import annotations


def machine_ticks() -> tuple[int, int]:
    """(stolen, all) CPU time of the machine so far, in clock ticks (/proc/stat): stolen is
    time the hypervisor gave this virtual machine's CPUs to other guests."""
    with open("/proc/stat") as stat:
        ticks = [int(t) for t in stat.readline().split()[1:9]]
    return ticks[7], sum(ticks)


def steal_share(start: tuple[int, int], end: tuple[int, int]) -> float:
    """The share of the machine's CPU time stolen by the host between two machine_ticks()."""
    total = end[1] - start[1]
    return (end[0] - start[0]) / total if total else float("nan")
