"""Start and stop a real OpenSearch cluster on this machine, for the tests and benchmarks.

The nodes are OpenSearch 2.19.6 from Maven Central (``pom.xml`` beside this file), each a
JVM running ``searchdoc.cluster.Launcher`` (``src/main/java``), on 127.0.0.1 ports: no
Docker engine, no distribution to download. The launcher and its libraries are built by
``mvn -q package`` the first time (``target/``).

    python tests/cluster/launch.py --nodes 3 --port 19200 --home /tmp/searchdoc-cluster

starts three nodes (HTTP 19200-19202, transport 19300-19302), waits until they form one
cluster, prints its URL and waits; Ctrl-C stops them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
JAR = HERE / "target" / "searchdoc-test-cluster-1.jar"
HEAP = os.environ.get("SEARCHDOC_TEST_NODE_HEAP", "384m")


class ClusterFailed(Exception):
    """The nodes could not be built or started (the message says how far they got)."""


def build() -> None:
    """Build the launcher and fetch OpenSearch's jars (once)."""
    if JAR.exists() and (HERE / "target" / "lib").is_dir():
        return
    if shutil.which("mvn") is None or shutil.which("java") is None:
        raise ClusterFailed("Java and Maven are needed to start OpenSearch nodes")
    done = subprocess.run(["mvn", "-q", "-B", "package"], cwd=HERE, capture_output=True,
                          text=True, timeout=1800)
    if done.returncode != 0 or not JAR.exists():
        raise ClusterFailed("mvn package failed: " + (done.stdout + done.stderr)[-2000:])


@dataclass
class Node:
    name: str
    http: int
    transport: int
    home: Path
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http}"

    def start(self, cluster: str, seeds: list[int]) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        log = open(self.home / "node.log", "ab")
        cp = f"{JAR}{os.pathsep}{HERE / 'target' / 'lib'}/*"
        self.proc = subprocess.Popen(
            ["java", f"-Xms{HEAP}", f"-Xmx{HEAP}", "-XX:+UseSerialGC",
             "-Djava.awt.headless=true", "-cp", cp, "searchdoc.cluster.Launcher",
             str(self.home), self.name, str(self.http), str(self.transport), cluster,
             *map(str, seeds)],
            stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)  # (its stdin: it stops when this process ends)
        log.close()

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """Stop the node at once (SIGKILL, by its process id), as a crash would."""
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(30)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class TestCluster:
    nodes: list[Node] = field(default_factory=list)
    name: str = "searchdoc-test"

    @property
    def url(self) -> str:
        """Every node, for searchdoc's --url (a request goes to the next when one is down)."""
        return ",".join(n.url for n in self.nodes)

    def health(self, node: Node | None = None) -> dict[str, object]:
        for n in [node] if node else self.nodes:
            if not n.alive():
                continue
            try:
                with urllib.request.urlopen(n.url + "/_cluster/health", timeout=5) as r:
                    return json.loads(r.read())  # type: ignore[no-any-return]
            except OSError:
                continue
        return {}

    def wait(self, nodes: int, timeout: float = 120.0, status: str = "yellow") -> None:
        end = time.monotonic() + timeout
        ok = {"yellow": ("yellow", "green"), "green": ("green",)}[status]
        while time.monotonic() < end:
            h = self.health()
            if h.get("number_of_nodes") == nodes and h.get("status") in ok:
                return
            dead = [n.name for n in self.nodes if n.proc is not None and not n.alive()]
            if dead and len(dead) > len(self.nodes) - nodes:
                raise ClusterFailed(f"node {dead[0]} stopped: " + _tail(self.nodes[0].home))
            time.sleep(0.5)
        raise ClusterFailed(f"no cluster of {nodes} nodes in {timeout:g} s: {self.health()}; "
                            + _tail(self.nodes[0].home))

    def restart(self, node: Node) -> None:
        node.start(self.name, [n.transport for n in self.nodes])

    def stop(self) -> None:
        for n in self.nodes:
            n.stop()


def _tail(home: Path) -> str:
    try:
        return (home / "node.log").read_text(errors="replace")[-1500:]
    except OSError:
        return "(no log)"


def start(nodes: int = 3, port: int = 19200, home: Path | None = None,
          name: str = "searchdoc-test") -> TestCluster:
    """Start `nodes` nodes forming one cluster (HTTP from `port`, transport from
    `port + 100`) under `home` (wiped first); returns once the cluster has them all."""
    build()
    home = home or Path(f"/tmp/searchdoc-cluster-{port}")
    shutil.rmtree(home, ignore_errors=True)
    cluster = TestCluster(name=name)
    cluster.nodes = [Node(f"node-{i}", port + i, port + 100 + i, home / f"node-{i}")
                     for i in range(nodes)]
    seeds = [n.transport for n in cluster.nodes]
    try:
        for n in cluster.nodes:
            n.start(name, seeds)
        cluster.wait(nodes)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", type=int, default=3)
    ap.add_argument("--port", type=int, default=19200)
    ap.add_argument("--home", type=Path, default=None)
    args = ap.parse_args()
    cluster = start(args.nodes, args.port, args.home)
    print(cluster.url + "/searchdoc", flush=True)
    try:
        while all(n.alive() for n in cluster.nodes):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
