package searchdoc.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this JVM, for searchdoc's tests and benchmarks.
 *
 * <p>Arguments: the node's home folder, its name, its HTTP port, its transport port, the
 * cluster's name, then the transport ports of every node of the cluster (its seeds; the
 * first node of each is eligible as cluster manager). The node binds 127.0.0.1 only, keeps
 * its data under the home folder, and loads the modules searchdoc uses as classpath
 * plugins: Netty 4 (HTTP and transport), Painless (the scripted similarity), the common
 * analysis module. It prints "started" on a line of its own once it serves, and runs until
 * its process is stopped or its standard input ends (the process that started it ended).
 */
public final class Launcher {
    private Launcher() {}

    /** A node whose modules are classes on the classpath, not folders of plugins. */
    static final class ClasspathNode extends Node {
        ClasspathNode(Environment env, java.util.Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: Launcher HOME NAME HTTP_PORT TRANSPORT_PORT CLUSTER SEED_PORT...");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String name = args[1];
        String cluster = args[4];
        List<String> seedPorts = Arrays.asList(args).subList(5, args.length);
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        Settings.Builder settings = Settings.builder()
            .put("cluster.name", cluster)
            .put("node.name", name)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", args[2])
            .put("transport.port", args[3])
            .put("transport.type", "netty4")
            .put("http.type", "netty4")
            // a small machine: no disk watermarks stopping allocation, little heap use
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("node.max_local_storage_nodes", 1)
            .put("action.auto_create_index", false);
        settings.putList("discovery.seed_hosts",
            seedPorts.stream().map(p -> "127.0.0.1:" + p).toList());
        if (seedPorts.size() == 1) {
            settings.put("discovery.type", "single-node");
        } else {
            settings.putList("cluster.initial_cluster_manager_nodes",
                java.util.stream.IntStream.range(0, seedPorts.size())
                    .mapToObj(i -> "node-" + i).toList());
        }
        Environment env = InternalSettingsPreparer.prepareEnvironment(
            settings.build(), java.util.Map.of(), home.resolve("config"), () -> name);
        Node node = new ClasspathNode(env,
            List.of(Netty4Plugin.class, PainlessPlugin.class, CommonAnalysisPlugin.class));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                // the process ends anyway
            }
        }));
        node.start();
        System.out.println("started");
        System.out.flush();
        // The node lives as long as whoever started it: its standard input is a pipe from
        // that process, closed when it ends (however it ends), and the node stops then.
        if (System.getenv("SEARCHDOC_NODE_DETACHED") == null) {
            while (System.in.read() != -1) {
                // nothing is sent; only the end counts
            }
            System.exit(0);
        }
        Thread.currentThread().join();
    }
}
