import ArgumentParser
import Catalog
import DemoData
import Foundation
import Hummingbird
import Kernel
import Logging
import Logistics
import Orders
import PostgresNIO
import ServiceLifecycle

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP API (migrates first; with no DATABASE_URL, starts a private PostgreSQL with demo data)."
    )

    func run() async throws {
        let config = try AppConfig.fromEnvironment()
        let logger = LogSetup.bootstrap(level: config.logLevel, format: config.logFormat)
        let database = try await ResolvedDatabase.resolve(config, logger: logger)
        defer { database.finish() }
        try await DatabaseSetup.migrate(database.url, logger: logger)
        try await DatabaseSetup.withClient(database.url, logger: logger) { client in
            try await SearchIndex.ensure(Database(client), logger: logger)
        }

        let client = PostgresClient(
            configuration: try database.url.clientConfiguration(
                maxConnections: config.dbMaxConnections, settings: config.requestSessionSettings),
            backgroundLogger: logger
        )
        // A read replica, when configured, for catalog browsing and search.
        let readClient = try config.databaseReadURL.map { text in
            PostgresClient(
                configuration: try DatabaseURL(parsing: text).clientConfiguration(
                    maxConnections: config.dbMaxConnections, settings: config.requestSessionSettings),
                backgroundLogger: logger)
        }
        var deps = AppDependencies(config: config, db: client, readDB: readClient, logger: logger)
        deps.startup = StartupState(done: false)
        let listener = CatalogChangeListener(
            configuration: try database.url.connectionConfiguration(), cache: deps.productCache,
            facets: deps.facetCache, logger: logger)
        let principalListener = try deps.principalCache.map { cache in
            PrincipalChangeListener(
                configuration: try database.url.connectionConfiguration(), cache: cache, logger: logger)
        }
        let traces = try TraceExport.start(ProcessInfo.processInfo.environment, logger: logger)
        let app = try buildApplication(deps)
        let bootstrap = StartupTasks(deps: deps, seedDemo: database.embedded != nil && config.seedDemo)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = readClient.map { [.init(service: $0)] } ?? []
        services += [
            .init(service: client),
            .init(service: bootstrap, successTerminationBehavior: .ignore),
            .init(service: ListenerService { await listener.run() }),
        ]
        if let principalListener { services.append(.init(service: ListenerService { await principalListener.run() })) }
        if let readClient {
            services.append(
                .init(
                    service: ReplicaProbe(
                        replica: readClient, state: deps.replicaState,
                        maxLagSeconds: Double(config.replicaMaxLagSeconds), logger: logger)))
        }
        // With the embedded database nothing else runs `market worker`'s notifier or `market relay`:
        // serve does.
        if config.serveNotifies ?? (database.embedded != nil) {
            let orders = OrderService(
                db: deps.database, logger: logger, paymentWindow: .seconds(config.paymentWindowSeconds),
                hooks: LogisticsHooks.hooks)
            let jobs = try NotificationJobs(config: config, db: deps.database, orders: orders, logger: logger)
            services.append(.init(service: NotificationService(jobs: jobs, interval: .seconds(5))))
            let http = HTTPWebhookTransport.makeClient()
            let relay = RelayJobs(
                relay: WebhookRelay(
                    db: deps.database, transport: HTTPWebhookTransport(client: http), logger: logger,
                    retryScale: config.webhookRetryScale),
                keepDays: config.outboxKeepDays, logger: logger)
            services.append(
                .init(service: RelayService(jobs: relay, client: http, poll: .milliseconds(config.relayPollMS))))
        }
        services.append(.init(service: app))
        // First, so it stops last (a group stops its services in reverse): the final requests' spans
        // are still sent.
        if let traces { services.insert(.init(service: traces), at: 0) }
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // In-flight requests get the grace to finish; past it they are cancelled, and a process
        // that still cannot stop 5 s later ends (ServiceLifecycle traps) rather than hang for ever.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(config.shutdownGraceSeconds)
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        let group = ServiceGroup(configuration: groupConfiguration)
        logger.notice(
            "Chợ Bưu Điện API on http://\(config.host):\(config.port) (database \(database.url.host):\(database.url.port)/\(database.url.database))"
        )
        try await group.run()
    }
}

/// One-off work once the pool runs: the bootstrap admin and, on the private database, demo data.
struct StartupTasks: Service {
    let deps: AppDependencies
    let seedDemo: Bool

    func run() async throws {
        // Before any parcel gets a number (the demo day readies some).
        if deps.config.s10Series.isEmpty {
            deps.logger.warning(
                """
                S10_SERIES_COD and S10_SERIES_PREPAID are not set: tracking numbers come from the launch series \
                EC/EP from serial 1, which would collide with real VNPost parcels; set the blocks VNPost allocated
                """)
        } else {
            try await S10SeriesStore(db: deps.database, logger: deps.logger).apply(deps.config.s10Series)
        }
        let accounts = AccountStore(config: deps.config, db: deps.database, logger: deps.logger)
        if let email = deps.config.adminEmail, let password = deps.config.adminPassword {
            try await accounts.ensureAdmin(email: email, password: password)
        }
        if seedDemo {
            try await DemoSeed(db: deps.database, accounts: accounts, logger: deps.logger).loadOnce()
            try await DemoDay(db: deps.database, accounts: accounts, logger: deps.logger).loadOnce()
        }
        deps.startup.markDone()
        deps.logger.notice("ready", metadata: ["demo_data": .stringConvertible(seedDemo)])
    }
}

/// Runs a change listener (catalog, principals) until shutdown begins.
struct ListenerService: Service {
    let listen: @Sendable () async -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await listen()
        }
    }
}
