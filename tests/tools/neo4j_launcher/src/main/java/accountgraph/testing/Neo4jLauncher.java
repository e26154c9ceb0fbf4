package accountgraph.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * A Neo4j 5 Community server for tests: Bolt on a loopback port, data in a folder.
 *
 * <p>Usage: {@code Neo4jLauncher DATA_DIR PASSWORD [PORT] [PAGE_CACHE] [SETTING=VALUE...]}
 * (settings as in neo4j.conf, for a test that needs a server configured its way). The user
 * {@code neo4j} gets PASSWORD (auth stays on, so a wrong password is refused as on a real
 * server). PORT 0 (the default) lets the system pick a free port, so parallel runs never
 * collide. Once the database answers
 * a query it prints one line, {@code accountgraph-neo4j bolt://127.0.0.1:PORT}, and runs
 * until its standard input closes or it gets SIGTERM; either way it shuts Neo4j down
 * cleanly, so a test run that dies takes its server with it.
 */
public final class Neo4jLauncher {
    static final String READY = "accountgraph-neo4j ";

    private Neo4jLauncher() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println(
                    "usage: Neo4jLauncher DATA_DIR PASSWORD [PORT] [PAGE_CACHE] [SETTING=VALUE...]");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath();
        String password = args[1];
        int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        String pageCache = args.length > 3 ? args[3] : "256m";
        // Extra settings go through a neo4j.conf, the one way the builder takes them raw.
        Files.createDirectories(home);
        Path conf = home.resolve("neo4j.conf");
        Files.write(conf, List.of(args).subList(Math.min(4, args.length), args.length));

        DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, true)
                .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.parse(pageCache))
                .setConfig(GraphDatabaseSettings.shutdown_transaction_end_timeout, Duration.ofSeconds(2))
                .loadPropertiesFromFile(conf)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "neo4j-shutdown"));

        // Embedded transactions run with full rights: set the password a server's
        // neo4j-admin set-initial-password would, without the forced change.
        dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME).executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                Map.of("password", password));
        GraphDatabaseService db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        db.executeTransactionally("RETURN 1");
        int bolt = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT)
                .getPort();
        System.out.println(READY + "bolt://127.0.0.1:" + bolt);
        System.out.flush();

        // The parent holds our stdin open for as long as it wants the server.
        InputStream in = System.in;
        byte[] buffer = new byte[256];
        while (in.read(buffer) >= 0) {
            // Nothing to read: only the end of the stream matters.
        }
        System.exit(0);
    }
}
