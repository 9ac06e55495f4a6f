"""The OpenSearch engine on a real three-node cluster: what only a cluster can do or
suffer (nodes going down, a publication cut short, routing, aliases), and that its
answers are the embedded index's. What both engines must do alike is in
test_contract.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import THINK_TANK
from searchdoc.api import Index
from searchdoc.errors import ClusterUnavailable
from searchdoc.stores.opensearch import Cluster

QUERIES = ["Hamid the Mute", "Daqduq", "Dakdouk", "علي موسى دقدوق", "Hassan Nasrallah",
           "حسن نصر الله", "Qais al-Khazali", "Hezbollah commander", "Nasrallah", "Quds Force",
           "Ali Mussa Daqduq al-Musawi", "Qays Khazali", "Karbala", "Zzyzx Qwertyuiop"]


@pytest.fixture
def url(opensearch, request: pytest.FixtureRequest) -> str:
    return f"{opensearch.url}/os-{request.node.name.lower().replace('_', '-')[:40]}"


def _top(ix: Index, q: str, n: int = 10) -> list[str]:
    return [h.passage.id for h in ix.search(q, limit=n)]


def test_the_first_ten_hits_agree_with_the_embedded_index(collection: Path, url: str,
                                                          monkeypatch) -> None:
    monkeypatch.chdir(collection.parent)
    cluster = Index(collection, engine="opensearch", url=url, seeds=None)
    cluster.update(["seeds", "ar", "lists", "notes"])
    with Index(collection, seeds=None) as local, cluster:
        for q in QUERIES:
            assert _top(cluster, q) == _top(local, q), q
            assert cluster.count(q).count == local.count(q).count, q
        assert [e.name for e in cluster.entities()] == [e.name for e in local.entities()]


def test_an_unreachable_cluster_is_one_line_and_changes_nothing(workdir: Path, run) -> None:
    dead = "http://127.0.0.1:9/x"  # (the discard port: nothing listens)
    for args in (("query", "Daqduq"), ("index", "seeds"), ("aliases", "Daqduq"),
                 ("sources",)):
        result = run(*args, "--engine", "opensearch", "--url", dead)
        assert result.code == 2, args
        assert result.err == (f"searchdoc: cannot reach the OpenSearch cluster at {dead} "
                              "(Connection refused); is it running?\n")
    assert not (workdir / "index").exists() or not any((workdir / "index").glob("gen-*"))
    assert run("query", "--engine", "opensearch", "Daqduq").err == (
        "searchdoc: --engine opensearch needs --url http://HOST:PORT[/NAME] or "
        "$SEARCHDOC_OPENSEARCH_URL\n")
    assert run("query", "--engine", "solr", "Daqduq").err == (
        "searchdoc: no engine 'solr': whoosh or opensearch\n")
    bad = run("query", "--engine", "opensearch", "--url", "ftp://x", "Daqduq")
    assert bad.code == 2 and "is no OpenSearch URL" in bad.err


def test_no_index_on_the_cluster_yet(workdir: Path, run, url: str) -> None:
    result = run("query", "Daqduq", "--engine", "opensearch", "--url", url)
    assert result.code == 2
    assert result.err.startswith(f"searchdoc: no searchdoc index named {url.rsplit('/', 1)[1]}")


def test_a_publication_cut_short_keeps_the_old_version_and_the_next_run_completes_it(
        workdir: Path, run, url: str, monkeypatch) -> None:
    notes = workdir / "notes"
    notes.mkdir()
    (notes / "a.txt").write_text("Note\n\nQays al-Khazali met Zorvak Telmun.\n")
    assert run("index", "seeds", "notes", "--engine", "opensearch", "--url", url).code == 0
    (notes / "a.txt").write_text("Note\n\nQays al-Khazali met Orlan Vessimer.\n")
    real = Cluster.request

    def refuse_the_switch(self, method, path, body=None, **kw):
        if method == "PUT" and "/_doc/manifest" in path:
            raise ClusterUnavailable("the OpenSearch cluster at x refused PUT (test)")
        return real(self, method, path, body, **kw)

    monkeypatch.setattr(Cluster, "request", refuse_the_switch)
    result = run("index", "seeds", "notes", "--engine", "opensearch", "--url", url)
    assert result.code == 2 and "refused" in result.err
    monkeypatch.setattr(Cluster, "request", real)
    with Index("index", engine="opensearch", url=url) as ix:
        # the new version's passages are written, not yet visible: the old one is
        assert [h.passage.source for h in ix.search("Zorvak Telmun")] == ["notes/a.txt"]
        assert ix.search("Orlan Vessimer") == []
    # the embedded index has the new version; the next run brings the cluster to it
    assert run("index", "seeds", "notes", "--engine", "opensearch", "--url", url).code == 0
    with Index("index", engine="opensearch", url=url) as ix:
        assert ix.search("Zorvak Telmun") == []
        assert [h.passage.source for h in ix.search("Orlan Vessimer")] == ["notes/a.txt"]
        assert ix.count("Khazali", source="notes").count == 1


def test_passages_are_routed_by_source_with_replicas(workdir: Path, run, url: str) -> None:
    assert run("index", "seeds", "--engine", "opensearch", "--url", url).code == 0
    cluster = Cluster(url)
    (concrete,) = cluster.aliased(cluster.passages)
    settings = cluster.request("GET", f"/{concrete}/_settings")[concrete]["settings"]["index"]
    assert (settings["number_of_shards"], settings["number_of_replicas"]) == ("3", "1")
    shards_of: dict[str, set[int]] = {}
    for shard in range(3):
        got = cluster.request("POST", f"/{concrete}/_search?preference=_shards:{shard}",
                              {"size": 100, "_source": ["source"]})
        for h in got["hits"]["hits"]:
            shards_of.setdefault(h["_source"]["source"], set()).add(shard)
    assert len(shards_of) == 2 and all(len(s) == 1 for s in shards_of.values())
    # a rebuild makes new indexes and switches the aliases to them; the old ones go
    assert run("index", "--rebuild", "seeds", "--engine", "opensearch", "--url", url).code == 0
    (rebuilt,) = cluster.aliased(cluster.passages)
    assert rebuilt != concrete and not cluster.exists(concrete)
    cluster.close()


def test_a_node_killed_during_a_query_batch_loses_no_query(workdir: Path, run, url: str,
                                                           opensearch) -> None:
    assert run("index", "seeds", "--engine", "opensearch", "--url", url).code == 0
    victim = opensearch.nodes[0]  # the node the client talks to first
    answers: list[list[str]] = []
    with Index("index", engine="opensearch", url=url) as ix:
        expected = _top(ix, "Hamid the Mute")
        for k in range(40):
            if k == 10:
                victim.kill()
            answers.append(_top(ix, ["Hamid the Mute", "Dakdouk"][k % 2]))
    try:
        assert len(answers) == 40 and all(a == expected for a in answers[::2])
        assert all(answers[1::2]) and answers[1] == answers[-1]
    finally:
        opensearch.restart(victim)
        opensearch.wait(3, status="green", timeout=180)


def test_a_node_killed_during_an_update_leaves_a_whole_version(workdir: Path, run, url: str,
                                                               opensearch, monkeypatch) -> None:
    notes = workdir / "notes"
    notes.mkdir()
    for i in range(40):
        (notes / f"n{i}.txt").write_text(f"Note {i}\n\nQays al-Khazali met Zorvak Telmun {i}.\n")
    assert run("index", "seeds", "notes", "--engine", "opensearch", "--url", url).code == 0
    for i in range(40):
        (notes / f"n{i}.txt").write_text(f"Note {i}\n\nQays al-Khazali met Orlan Vessimer {i}.\n")
    victim = opensearch.nodes[1]
    real = Cluster.bulk
    sent: list[int] = []

    def kill_midway(self, actions, refresh=False):  # the node dies between two requests
        sent.append(len(actions))
        if len(sent) == 2:
            victim.kill()
        return real(self, actions, refresh)

    monkeypatch.setattr(Cluster, "bulk", kill_midway)
    monkeypatch.setattr("searchdoc.stores.publish.BULK_BYTES", 2000)  # many small requests
    try:
        first = run("index", "seeds", "notes", "--engine", "opensearch", "--url", url)
        monkeypatch.setattr(Cluster, "bulk", real)
        assert len(sent) > 2 and not victim.alive()
        assert first.code in (0, 2) and len(first.err.strip().splitlines()) <= 2
        with Index("index", engine="opensearch", url=url) as ix:
            old, new = ix.count("Zorvak Telmun").count, ix.count("Orlan Vessimer").count
            # each source in one version, never both, never none
            assert old + new == 40 and ix.count("Khazali", source="notes").count == 40
        again = run("index", "seeds", "notes", "--engine", "opensearch", "--url", url)
        assert again.code == 0, again.err
        with Index("index", engine="opensearch", url=url) as ix:
            assert ix.count("Orlan Vessimer").count == 40
            assert ix.count("Zorvak Telmun").count == 0
    finally:
        opensearch.restart(victim)
        opensearch.wait(3, status="green", timeout=180)


def test_the_hit_says_its_source_on_the_cluster(workdir: Path, run, url: str) -> None:
    assert run("index", "seeds", "--engine", "opensearch", "--url", url).code == 0
    out = run("query", "Hamid the Mute", "-n", "1", "--engine", "opensearch", "--url", url)
    assert out.code == 0 and f"{THINK_TANK}:7" in out.out
