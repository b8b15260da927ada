"""A bare interpreter's memory: ``VmRSS`` and ``VmHWM`` with nothing imported (builtins only),
or, with the argument ``asyncio``, after ``asyncio.run()`` of a coroutine that does nothing."""

import sys


def status_kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


if sys.argv[1:] == ["asyncio"]:
    import asyncio

    asyncio.run(asyncio.sleep(0))

rss = status_kib("VmRSS")
print(f'{{"rss_after_first_call_kib": {rss}, "peak_rss_kib": {status_kib("VmHWM")}, "items": 0}}')
