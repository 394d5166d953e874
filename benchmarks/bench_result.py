"""Server time to read a big run's result: the old three JSON rounds against the one read now.

Run from the repository root: ``python -m benchmarks.bench_result``.

The program makes a 9,001-node graph (a chain of 9,000 ``sin``). The worker used to send the
result as JSON text inside the JSON frame; the server decoded the frame, parsed that text into
a RunResult, encoded it again for its cache and parsed it once more for the page. Now the frame
carries the result's data (bounded, see ``autodiff_viz.sandbox.bounds``) and the server reads it
once. Both ways are timed here on the same result (CPU time of this process, best of
``--repeat``), then the real path through a worker pool.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from dataclasses import asdict

from autodiff_viz.graph import encode_numbers
from autodiff_viz.result import RunResult
from autodiff_viz.sandbox.bounds import result_payload
from autodiff_viz.sandbox.execute import execute
from autodiff_viz.sandbox.options import RunOptions
from autodiff_viz.sandbox.pool import WorkerPool
from autodiff_viz.sandbox.replies import result_from_reply
from autodiff_viz.sandbox.worker import HEADER, decode_body, encode_frame

CHAIN = (
    "x = torch.tensor(0.5, requires_grad=True)\ny = x\n"
    "for i in range(9000):\n    y = torch.sin(y)\ny.backward()\n"
)


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return min(times)


def old_way(frame: bytes) -> RunResult:
    reply = decode_body(frame[HEADER.size :])
    parsed = RunResult.from_json(reply["result"])
    text = json.dumps(encode_numbers(asdict(parsed)), ensure_ascii=False)  # into the cache
    return RunResult.from_json(text)  # and out again, for the page


def new_way(frame: bytes) -> RunResult:
    return result_from_reply(decode_body(frame[HEADER.size :]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    result = execute(CHAIN)
    assert result.error is None and len(result.graphs[0].nodes) == 9001
    old_frame = encode_frame({"ok": True, "result": result.to_json()})
    new_frame = encode_frame({"ok": True, "result": result_payload(result)})
    assert old_way(old_frame).graphs == new_way(new_frame).graphs == result.graphs
    old = best(options.repeat, lambda: old_way(old_frame))
    new = best(options.repeat, lambda: new_way(new_frame))
    sizes = f"{len(old_frame) / 1e6:.1f} MB before, {len(new_frame) / 1e6:.1f} MB now"
    print(f"9,001-node result: frame {sizes}")
    print(f"server CPU to read it: before {old:.2f} s (three JSON rounds), now {new:.2f} s")
    with WorkerPool(1) as pool:
        assert pool.wait_ready(120)
        samples = []
        for _ in range(options.repeat):
            started = time.thread_time()
            run = pool.run_program(CHAIN, RunOptions())
            samples.append(time.thread_time() - started)
            assert run.error is None and len(run.graphs[0].nodes) == 9001
        print(f"through a worker: server CPU {min(samples):.2f} s (receive, decode, read)")


if __name__ == "__main__":
    main()
