import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logging
import Logistics
import MarketWeb
import OpenAPIHummingbird
import Orders
import PostgresNIO
import Yams

/// Everything the HTTP application needs that outlives a request.
struct AppDependencies: Sendable {
    var config: AppConfig
    var db: PostgresClient
    var database: Database {
        Database(db, acquireTimeout: .milliseconds(config.dbAcquireTimeoutMS), leases: primaryLeases)
    }
    /// The primary pool's connections in use (its size is `DB_MAX_CONNECTIONS`).
    let primaryLeases: LeaseGauge
    /// Where catalog browsing and search read: a replica when `DATABASE_READ_URL` is set, else the
    /// primary. Nothing that writes, or must read its own writes (orders, a producer's own listings),
    /// goes there.
    var readDB: PostgresClient?
    var readDatabase: Database {
        readDB.map {
            Database(
                replica: $0, primary: db, state: replicaState,
                acquireTimeout: .milliseconds(config.dbAcquireTimeoutMS), leases: replicaLeases)
        } ?? database
    }
    let replicaState = ReplicaState()
    let replicaLeases: LeaseGauge
    var logger: Logger
    /// Off until a `CatalogChangeListener` listens for changes (see `serve`).
    var productCache: ProductCache
    /// Browse facet counts; off until a `CatalogChangeListener` listens, nil when `FACET_CACHE_SECONDS` is 0.
    var facetCache: FacetCache?
    /// Off until a `PrincipalChangeListener` listens for changes (see `serve`); nil when
    /// `PRINCIPAL_CACHE_SECONDS` is 0.
    var principalCache: PrincipalCache?
    /// Done from the start, except for `serve` while its start-up tasks run.
    var startup = StartupState(done: true)

    init(config: AppConfig, db: PostgresClient, readDB: PostgresClient? = nil, logger: Logger) {
        self.config = config
        self.db = db
        self.readDB = readDB
        self.logger = logger
        self.primaryLeases = LeaseGauge(capacity: config.dbMaxConnections)
        self.replicaLeases = LeaseGauge(capacity: config.dbMaxConnections)
        self.productCache = ProductCache(maxAge: .seconds(config.productCacheSeconds))
        self.facetCache = config.facetCacheSeconds > 0 ? FacetCache(ttl: .seconds(config.facetCacheSeconds)) : nil
        self.principalCache =
            config.principalCacheSeconds > 0 ? PrincipalCache(maxAge: .seconds(config.principalCacheSeconds)) : nil
    }
}

/// Builds the router with its middleware chain and the generated OpenAPI handlers. Tests call this
/// with their own database; `serve` runs the result.
func buildRouter(_ deps: AppDependencies) throws -> Router<MarketRequestContext> {
    _ = MetricsSetup.registry
    let document = try OpenAPIDocument.text()
    let accounts = AccountStore(
        config: deps.config, db: deps.database, logger: deps.logger, principalCache: deps.principalCache)
    let orders = OrderService(
        db: deps.database, logger: deps.logger, paymentWindow: .seconds(deps.config.paymentWindowSeconds),
        hooks: LogisticsHooks.hooks,
        announcer: CatalogAnnouncer(db: deps.database, cache: deps.productCache, logger: deps.logger),
        batchLanes: deps.config.orderWriteLanes)
    let products = ProductStore(db: deps.database, logger: deps.logger, cache: deps.productCache)
    let photos = try photoStore(deps)
    let handlers = APIHandlers(
        db: deps.database,
        accounts: accounts,
        reference: ReferenceStore(
            db: deps.readDatabase, logger: deps.logger,
            cache: deps.config.referenceCacheSeconds > 0
                ? ReferenceCache(ttl: .seconds(deps.config.referenceCacheSeconds)) : nil),
        suppliers: SupplierStore(
            db: deps.database, logger: deps.logger, cache: deps.productCache, principals: deps.principalCache),
        products: products,
        productPhotos: ProductPhotos(products: products, store: photos, processor: PhotoProcessor()),
        ocop: OcopStore(db: deps.database, logger: deps.logger, cache: deps.productCache),
        searchStore: SearchStore(
            db: deps.readDatabase, logger: deps.logger,
            facetCache: deps.facetCache, usesRUMIndex: deps.config.searchRUMIndex,
            countedMatches: deps.config.searchCountedMatches),
        audit: AuditStore(db: deps.database, logger: deps.logger),
        tariffs: TariffStore(db: deps.database, logger: deps.logger),
        quotes: QuoteService(db: deps.database, logger: deps.logger),
        orders: orders,
        postOffices: PostOfficeStore(db: deps.database, logger: deps.logger),
        courierStore: CourierStore(db: deps.database, logger: deps.logger, principals: deps.principalCache),
        scheduler: Scheduler(db: deps.database, logger: deps.logger),
        manifests: ManifestStore(db: deps.database, logger: deps.logger),
        scans: ScanService(
            db: deps.database, logger: deps.logger, orders: orders, maxAttempts: deps.config.deliveryMaxAttempts,
            hold: .seconds(deps.config.deliveryHoldHours * 3600)),
        tracking: TrackingStore(db: deps.database, logger: deps.logger),
        handovers: HandoverService(db: deps.database, logger: deps.logger),
        discrepancies: DiscrepancyService(db: deps.database, logger: deps.logger),
        remittances: RemittanceService(db: deps.database, logger: deps.logger),
        statements: BankStatementImport(db: deps.database, logger: deps.logger),
        reconciliation: ReconciliationStore(db: deps.database, logger: deps.logger),
        commissionRates: CommissionRates(db: deps.database, logger: deps.logger),
        refunds: RefundService(db: deps.database, logger: deps.logger),
        complaints: ComplaintService(
            db: deps.database, logger: deps.logger,
            responseWindow: TimeInterval(deps.config.complaintResponseHours * 3600)),
        receipts: ReceiptService(db: deps.database, logger: deps.logger, orders: orders),
        notifications: NotificationStore(db: deps.database, logger: deps.logger),
        outboundMessages: OutboundMessageStore(db: deps.database, logger: deps.logger),
        webhooks: WebhookEndpointStore(
            db: deps.database, logger: deps.logger, allowPrivate: deps.config.webhookAllowPrivate),
        passwordReset: deps.config.passwordReset,
        paymentSecretConfigured: deps.config.paymentSecret != nil,
        paymentToleranceSeconds: deps.config.paymentToleranceSeconds,
        openAPIDocument: document,
        startup: deps.startup,
        logger: deps.logger
    )
    let routes = RouteTable()
    let router = Router(context: MarketRequestContext.self)
    // Outermost first: every response, errors included, is in the request's span (when traces are
    // exported), gets a request id and is counted.
    if deps.config.tracesExported { router.add(middleware: TracingMiddleware()) }
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: ProblemMiddleware(routes: routes))
    let limiter = ClientRateLimiter(
        rule: .init(burst: deps.config.anonymousWriteBurst, perMinute: deps.config.anonymousWritesPerMinute),
        shared: SharedRateLimit(
            db: deps.database, logger: deps.logger, burst: deps.config.anonymousWriteBurst,
            perMinute: deps.config.anonymousWritesPerMinute),
        logger: deps.logger)
    router.add(middleware: AnonymousWriteLimitMiddleware(limiter: limiter, proxies: deps.config.trustedProxies))
    // The seller pages' photo forms read their own (larger) bodies and answer an oversized one with a page.
    router.add(
        middleware: BodyLimitMiddleware(
            limit: deps.config.maxBodyBytes,
            exempt: { ShopSite.isPhotoUpload($0, $1) || ShopSite.isComplaintUpload($0, $1) },
            raised: { method, path in
                // The API's photo upload: the photo's limit plus room for the multipart framing.
                let parts = path.split(separator: "/")
                return method == .post && parts.count == 4 && parts[0] == "v1" && parts[1] == "products"
                    && parts[3] == "photos" ? PhotoRules.maxBytes + 64 * 1024 : nil
            }))
    router.add(middleware: NullFieldsMiddleware())
    router.add(middleware: PaymentSignatureMiddleware(secret: deps.config.paymentSecret))
    router.add(middleware: ReferenceResponseCache(ttl: .seconds(deps.config.referenceCacheSeconds)))
    let publicRoutes = RouteTable()
    for route in try OpenAPIDocument.bundledPublicRoutes.get() {
        publicRoutes.add(method: route.method, path: route.path)
    }
    router.add(middleware: AuthMiddleware(accounts: accounts, routes: routes, publicRoutes: publicRoutes))
    try handlers.registerHandlers(
        on: RecordingTransport(router: router, table: routes),
        configuration: .init(
            dateTranscoder: RFC3339DateTranscoder(), jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]),
        middlewares: [NullCursorMiddleware(), EmptyBodyMiddleware()]
    )
    // The staff console: its own sessions (cookies), so public to the token check; its sign-in counts
    // against the same per-client limit as the API's.
    let console = try ConsoleSite(
        services: .init(
            accounts: accounts, products: handlers.products, suppliers: handlers.suppliers, ocop: handlers.ocop,
            reference: handlers.reference, manifests: handlers.manifests, scans: handlers.scans,
            receipts: handlers.receipts, notifications: handlers.notifications,
            finance: FinanceOverviewStore(db: deps.database, logger: deps.logger),
            discrepancies: handlers.discrepancies, refunds: handlers.refunds, reconciliation: handlers.reconciliation,
            remittances: handlers.remittances, postOffices: handlers.postOffices, couriers: handlers.courierStore,
            scheduler: handlers.scheduler, handovers: handlers.handovers, audit: handlers.audit,
            statements: handlers.statements, tariffs: handlers.tariffs,
            passwordReset: deps.config.passwordReset, complaints: handlers.complaints),
        logger: deps.logger,
        admitSignIn: { await limiter.admit($0) })
    let proxies = deps.config.trustedProxies
    console.register(
        on: router,
        clientAddress: { request, context in
            proxies.client(
                peer: context.remoteAddress?.ipAddress,
                forwardedFor: request.headers[values: AnonymousWriteLimitMiddleware<MarketRequestContext>.forwardedFor])
        },
        isSecure: { $0.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https" })
    // The shop for buyers, on the same foundation and the same sessions.
    let shop = try ShopSite(
        services: .init(
            accounts: accounts, products: handlers.products, search: handlers.searchStore,
            reference: handlers.reference, ocop: handlers.ocop, orders: orders, quotes: handlers.quotes,
            tracking: handlers.tracking, scans: handlers.scans, suppliers: handlers.suppliers, photos: photos,
            productPhotos: handlers.productPhotos, carts: CartStore(db: deps.database, logger: deps.logger),
            remittances: handlers.remittances, notifications: handlers.notifications,
            passwordReset: deps.config.passwordReset, complaints: handlers.complaints),
        logger: deps.logger, transferAccount: deps.config.transferAccount,
        admitSignIn: { await limiter.admit($0) })
    shop.register(
        on: router,
        clientAddress: { request, context in
            proxies.client(
                peer: context.remoteAddress?.ipAddress,
                forwardedFor: request.headers[values: AnonymousWriteLimitMiddleware<MarketRequestContext>.forwardedFor])
        },
        isSecure: { $0.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https" })
    for (method, path) in ConsoleSite.routes + ShopSite.routes {
        routes.add(method: method, path: path)
        publicRoutes.add(method: method, path: path)
    }
    return router
}

/// The product photos' store: a folder under the data directory for one process on its private
/// database, a table every replica shares otherwise (`PHOTO_STORE` overrides).
func photoStore(_ deps: AppDependencies) throws -> any PhotoStore {
    switch deps.config.photoStore ?? (deps.config.databaseURL == nil ? .folder : .database) {
    case .folder:
        let data = URL(
            fileURLWithPath: deps.config.dataDir,
            relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
        return try FolderPhotoStore(folder: data.appendingPathComponent("photos"))
    case .database:
        return DatabasePhotoStore(db: deps.database, logger: deps.logger)
    }
}

func buildApplication(_ deps: AppDependencies) throws -> some ApplicationProtocol {
    let router = try buildRouter(deps)
    let logger: Logger = {
        var logger = deps.logger
        logger[metadataKey: "component"] = "http"
        return logger
    }()
    return Application(
        responder: StuckRequestGuard(inner: router.buildResponder(), logger: logger),
        // A client that stalls mid-request or sits idle on a keep-alive connection is disconnected after
        // the idle timeout (half-sent request heads used to hold connections indefinitely).
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(deps.config.httpIdleTimeoutSeconds)))),
        configuration: .init(address: .hostname(deps.config.host, port: deps.config.port), serverName: "market"),
        services: [],
        onServerRunning: { channel in
            let address = channel.localAddress.map { "\($0)" } ?? "?"
            logger.notice(
                deps.startup.isDone ? "listening" : "listening; not ready until the start-up tasks (demo data) finish",
                metadata: ["address": .string(address)])
        },
        logger: logger
    )
}

enum OpenAPIDocument {
    /// The contract this server was generated from, served as-is at /openapi.yaml.
    static func text() throws -> String {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The bundled document's public operations, parsed once per process (the document cannot change
    /// while it runs, and the tests build a router for every test).
    static let bundledPublicRoutes: Result<[(method: HTTPRequest.Method, path: String)], any Error> = Result {
        try publicRoutes(try text())
    }

    /// The operations callable without a sign-in: those whose `security` is empty or offers `{}` among
    /// its options.
    static func publicRoutes(_ text: String) throws -> [(method: HTTPRequest.Method, path: String)] {
        guard let paths = try Yams.compose(yaml: text)?["paths"]?.mapping else { return [] }
        let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        var routes: [(method: HTTPRequest.Method, path: String)] = []
        for (pathNode, item) in paths {
            guard let path = pathNode.string, let operations = item.mapping else { continue }
            for (key, operation) in operations {
                guard let name = key.string, methods.contains(name), let method = HTTPRequest.Method(name.uppercased()),
                    let security = operation["security"]?.sequence
                else { continue }
                if security.isEmpty || security.contains(where: { $0.mapping?.isEmpty == true }) {
                    routes.append((method, path))
                }
            }
        }
        return routes
    }
}
