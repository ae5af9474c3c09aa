import Catalog
import Foundation
import Kernel
import Logging
import Logistics
import MarketWeb

/// Every setting, from environment variables with defaults that run out of the box (README lists them).
struct AppConfig: Sendable {
    var databaseURL: String?
    /// A streaming replica for catalog browsing and search (reads that need not see their own
    /// writes); everything else uses `DATABASE_URL`.
    var databaseReadURL: String?
    var host = "127.0.0.1"
    var port = 8080
    var logLevel: Logger.Level = .info
    /// `text` (key=value, the default) or `json` (one object per line).
    var logFormat: LogFormat = .text
    /// Spans for requests and statements, exported over OTLP (`TraceExport`): on when an endpoint is set.
    var tracesExported = false
    var adminEmail: String?
    var adminPassword: String?
    /// Where the private PostgreSQL lives when `DATABASE_URL` is not set.
    var dataDir = ".market"
    var embeddedPort = 54329
    var maxBodyBytes = 1 << 20
    var dbMaxConnections = 20
    var tokenLifetime: TimeInterval = 24 * 3600
    var bcryptCost: UInt8 = 10
    var loginMaxFailures = 5
    var loginLockSeconds: TimeInterval = 15 * 60
    /// Reset codes: lifetime, wrong tries per code, codes per account and hour.
    var passwordReset = PasswordReset()
    /// How long a producer has to accept a new package before it is cancelled (its stock returns),
    /// and when they are reminded (`PACKAGE_ACCEPT_HOURS`, reminded at half of it).
    var packageAcceptHours = 48
    /// Whether `serve` also runs the notifier and the message sender (on by default with the embedded
    /// database, where no `market worker` runs; `SERVE_NOTIFIES`).
    var serveNotifies: Bool?
    /// Lets producers register webhook endpoints on http or private hosts (`WEBHOOK_ALLOW_PRIVATE=1`:
    /// tests, a closed network). Admins' endpoints may always be anywhere.
    var webhookAllowPrivate = false
    /// Delivered webhook deliveries and published outbox events are kept this long (`OUTBOX_KEEP_DAYS`).
    var outboxKeepDays = 14
    /// Message providers (none by default): SMS by eSMS.vn (`ESMS_API_KEY`, `ESMS_SECRET_KEY`, optional
    /// `ESMS_BRANDNAME`, `ESMS_URL`), Zalo ZNS (`ZALO_ZNS_ACCESS_TOKEN`, `ZALO_ZNS_TEMPLATES` as
    /// `kind=id,kind=id`, `ZALO_ZNS_URL`), email (`EMAIL_API_KEY`, `EMAIL_FROM`, `EMAIL_API_URL`).
    var esms: ESMSSender.Settings?
    var zaloZNS: ZaloZNSSender.Settings?
    var emailAPI: EmailAPISender.Settings?
    /// How often an idle relay looks for work (`RELAY_POLL_MS`).
    var relayPollMS = 250
    /// Multiplies the webhook retry waits (`WEBHOOK_RETRY_SCALE_PERCENT`, 100 in service): the
    /// benchmark replays a receiver's outage in minutes instead of hours.
    var webhookRetryScale = 1.0
    /// How long facet counts of browse pages (searches without text) are reused; 0 turns it off.
    var facetCacheSeconds = 10
    /// Whether search ranks by the RUM index where the database has it (`SEARCH_RUM_INDEX`, 1; 0 ranks every
    /// match, as where the extension is missing: to compare the two on one database).
    var searchRUMIndex = true
    /// How many of a text's matches its facet counts visit at most when ranked in the RUM index
    /// (`SEARCH_COUNTED_MATCHES`); past it they are lower bounds (`facets.complete` false).
    var searchCountedMatches = ProductSearch.defaultCountedMatches
    /// How long a process keeps provinces, communes, categories and banks (they change with migrations).
    var referenceCacheSeconds = 300
    /// Where product photos are kept: `folder` (under the data directory) or `database` (shared by
    /// every replica). Nil picks `folder` with the private database and `database` with DATABASE_URL.
    var photoStore: PhotoStoreKind?
    /// The account buyers pay bank-transfer orders into, shown with its VietQR code on the order page.
    var transferAccount: TransferAccount?
    /// The longest a product page stays in a process's cache: the bound on staleness if a stock
    /// change's after-commit announcement is lost (every other change is notified at commit).
    var productCacheSeconds = 30
    /// The longest a process reuses what a bearer token resolves to: the bound on staleness should a
    /// `principals_changed` notification be lost (every change notifies at commit); 0 turns it off.
    var principalCacheSeconds = 5
    /// Statements writing orders at once in this process (`PlacementBatcher`): the orders that arrive
    /// meanwhile wait and share the next one. One suits a small database server; more help when it
    /// has cores to spare for few API processes.
    var orderWriteLanes = 1
    /// The shared secret of the bank's signed payment notifications; unset, the endpoint refuses them.
    var paymentSecret: String?
    /// How far a notification's `sent_at` may be from now.
    var paymentToleranceSeconds = 300
    /// How long a bank-transfer order waits for its payment before its stock is released.
    var paymentWindowSeconds = 24 * 3600
    /// How often `market worker` looks for work.
    var workerIntervalSeconds = 30
    /// How long `market worker` keeps idempotency keys (at least 24 hours, SPEC §4).
    var idempotencyKeyHours = 48
    /// Failed deliveries after which a parcel goes back to its sender.
    var deliveryMaxAttempts = 3
    /// How long a parcel is held for an instruction after a failed attempt (`DELIVERY_HOLD_HOURS`).
    var deliveryHoldHours = 48
    /// How long a seller has to answer a complaint before it is accepted (`COMPLAINT_RESPONSE_HOURS`).
    var complaintResponseHours = 48
    /// The S10 blocks VNPost allocated (`S10_SERIES_COD`, `S10_SERIES_PREPAID`); empty: the launch
    /// series EC/EP from serial 1, which is only fit for a demo.
    var s10Series: [S10Series] = []
    /// Load demo data on the first start of the private database.
    var seedDemo = true
    /// How long `market serve` lets in-flight requests finish after SIGTERM/SIGINT before it cancels
    /// them (and gives up on any that ignore cancellation 5 s later).
    var shutdownGraceSeconds = 30
    /// Anonymous writes (sign-in, registration, quotes) per client address: a burst, then a rate.
    var anonymousWriteBurst = 10
    var anonymousWritesPerMinute = 20
    /// Proxies whose `X-Forwarded-For` names the client (nginx, the load balancer); nobody else's is read.
    var trustedProxies = TrustedProxies.none
    /// A connection that sends nothing for this long (mid-request or between requests) is closed.
    var httpIdleTimeoutSeconds = 30
    /// Bounds on request work in PostgreSQL (finance runs and seeds lift them for their transaction;
    /// `market worker` has its own, longer ones).
    var dbStatementTimeoutMS = 15_000
    var dbLockTimeoutMS = 5_000
    /// How long a request waits for a pooled connection before 503 with `Retry-After`.
    var dbAcquireTimeoutMS = 5_000
    /// A read replica further behind than this gets no reads until it catches up.
    var replicaMaxLagSeconds = 10

    enum Problem: Error, CustomStringConvertible {
        case invalid(name: String, value: String, expected: String)
        var description: String {
            switch self {
            case .invalid(let name, let value, let expected): "\(name)=\(value) is invalid: expected \(expected)"
            }
        }
    }

    /// At least 32 bytes, and none of the placeholders example files and tutorials carry.
    static func isStrongSecret(_ secret: String) -> Bool {
        let lowered = secret.lowercased()
        let placeholders = ["change-me", "changeme", "change_me", "replace-me", "replaceme", "example", "placeholder"]
        return secret.utf8.count >= 32 && !placeholders.contains { lowered.contains($0) }
            && Set(secret.utf8).count >= 8
    }

    /// Session settings of the API's pools: request work is bounded in the database too.
    var requestSessionSettings: [(String, String)] {
        [("statement_timeout", String(dbStatementTimeoutMS)), ("lock_timeout", String(dbLockTimeoutMS))]
    }

    static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var config = AppConfig()
        func int(_ name: String, _ range: ClosedRange<Int>) throws -> Int? {
            guard let text = env[name], !text.isEmpty else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw Problem.invalid(name: name, value: text, expected: "an integer in \(range)")
            }
            return value
        }
        config.databaseURL = env["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        config.databaseReadURL = env["DATABASE_READ_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let host = env["HOST"], !host.isEmpty { config.host = host }
        if let port = try int("PORT", 0...65535) { config.port = port }
        if let level = env["LOG_LEVEL"], !level.isEmpty {
            guard let parsed = Logger.Level(rawValue: level.lowercased()) else {
                throw Problem.invalid(
                    name: "LOG_LEVEL", value: level, expected: "trace, debug, info, notice, warning, error or critical")
            }
            config.logLevel = parsed
        }
        config.tracesExported = TraceExport.isConfigured(env)
        if let format = env["LOG_FORMAT"], !format.isEmpty {
            guard let parsed = LogFormat(rawValue: format.lowercased()) else {
                throw Problem.invalid(name: "LOG_FORMAT", value: format, expected: "text or json")
            }
            config.logFormat = parsed
        }
        config.adminEmail = env["MARKET_ADMIN_EMAIL"].flatMap { $0.isEmpty ? nil : $0 }
        config.adminPassword = env["MARKET_ADMIN_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if let dir = env["MARKET_DATA_DIR"], !dir.isEmpty { config.dataDir = dir }
        if let bin = env["PAYMENT_BANK_BIN"], let number = env["PAYMENT_ACCOUNT_NO"], !bin.isEmpty, !number.isEmpty {
            guard bin.utf8.count == 6, bin.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                throw Problem.invalid(name: "PAYMENT_BANK_BIN", value: bin, expected: "the bank's 6-digit BIN")
            }
            guard (1...19).contains(number.utf8.count),
                number.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) })
            else {
                throw Problem.invalid(name: "PAYMENT_ACCOUNT_NO", value: number, expected: "1 to 19 digits or capitals")
            }
            config.transferAccount = TransferAccount(
                bankBIN: bin, accountNo: number, accountName: env["PAYMENT_ACCOUNT_NAME"] ?? "")
        }
        if let kind = env["PHOTO_STORE"], !kind.isEmpty {
            guard let parsed = PhotoStoreKind(rawValue: kind.lowercased()) else {
                throw Problem.invalid(name: "PHOTO_STORE", value: kind, expected: "folder or database")
            }
            config.photoStore = parsed
        }
        if let port = try int("MARKET_PG_PORT", 1024...65535) { config.embeddedPort = port }
        if let bytes = try int("MAX_BODY_BYTES", 1024...(64 << 20)) { config.maxBodyBytes = bytes }
        if let connections = try int("DB_MAX_CONNECTIONS", 1...500) { config.dbMaxConnections = connections }
        if let seconds = try int("TOKEN_TTL_SECONDS", 60...(90 * 86400)) {
            config.tokenLifetime = TimeInterval(seconds)
        }
        if let cost = try int("BCRYPT_COST", 4...16) { config.bcryptCost = UInt8(cost) }
        if let failures = try int("LOGIN_MAX_FAILURES", 1...100) { config.loginMaxFailures = failures }
        if let seconds = try int("LOGIN_LOCK_SECONDS", 1...86400) { config.loginLockSeconds = TimeInterval(seconds) }
        if let hours = try int("PACKAGE_ACCEPT_HOURS", 1...(30 * 24)) { config.packageAcceptHours = hours }
        if let flag = try int("SERVE_NOTIFIES", 0...1) { config.serveNotifies = flag == 1 }
        if let flag = try int("WEBHOOK_ALLOW_PRIVATE", 0...1) { config.webhookAllowPrivate = flag == 1 }
        if let days = try int("OUTBOX_KEEP_DAYS", 1...3650) { config.outboxKeepDays = days }
        if let ms = try int("RELAY_POLL_MS", 10...60000) { config.relayPollMS = ms }
        if let key = env["ESMS_API_KEY"], !key.isEmpty {
            guard let secret = env["ESMS_SECRET_KEY"], !secret.isEmpty else {
                throw Problem.invalid(
                    name: "ESMS_SECRET_KEY", value: "", expected: "the secret key eSMS issued with ESMS_API_KEY")
            }
            var sms = ESMSSender.Settings(
                apiKey: key, secretKey: secret, brandname: env["ESMS_BRANDNAME"].flatMap { $0.isEmpty ? nil : $0 })
            if let url = env["ESMS_URL"], !url.isEmpty { sms.url = url }
            config.esms = sms
        }
        if let token = env["ZALO_ZNS_ACCESS_TOKEN"], !token.isEmpty {
            var templates: [String: String] = [:]
            for pair in (env["ZALO_ZNS_TEMPLATES"] ?? "").split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                    throw Problem.invalid(
                        name: "ZALO_ZNS_TEMPLATES", value: String(pair),
                        expected: "kind=template_id pairs, comma-separated")
                }
                templates[parts[0]] = parts[1]
            }
            var zalo = ZaloZNSSender.Settings(accessToken: token, templates: templates)
            if let url = env["ZALO_ZNS_URL"], !url.isEmpty { zalo.url = url }
            config.zaloZNS = zalo
        }
        if let key = env["EMAIL_API_KEY"], !key.isEmpty {
            guard let from = env["EMAIL_FROM"], Validator.isEmail(from) else {
                throw Problem.invalid(
                    name: "EMAIL_FROM", value: env["EMAIL_FROM"] ?? "", expected: "the sender's email address")
            }
            var email = EmailAPISender.Settings(apiKey: key, from: from)
            if let url = env["EMAIL_API_URL"], !url.isEmpty { email.url = url }
            config.emailAPI = email
        }
        if let percent = try int("WEBHOOK_RETRY_SCALE_PERCENT", 1...100) {
            config.webhookRetryScale = Double(percent) / 100
        }
        if let seconds = try int("FACET_CACHE_SECONDS", 0...3600) { config.facetCacheSeconds = seconds }
        if let flag = try int("SEARCH_RUM_INDEX", 0...1) { config.searchRUMIndex = flag == 1 }
        if let count = try int("SEARCH_COUNTED_MATCHES", 1...10_000_000) { config.searchCountedMatches = count }
        if let seconds = try int("REFERENCE_CACHE_SECONDS", 0...86400) { config.referenceCacheSeconds = seconds }
        if let seconds = try int("PRODUCT_CACHE_SECONDS", 1...3600) { config.productCacheSeconds = seconds }
        if let seconds = try int("PRINCIPAL_CACHE_SECONDS", 0...3600) { config.principalCacheSeconds = seconds }
        if let lanes = try int("ORDER_WRITE_LANES", 1...64) { config.orderWriteLanes = lanes }
        if let secret = env["PAYMENT_WEBHOOK_SECRET"], !secret.isEmpty {
            // A guessable secret lets anyone forge "paid" notifications: refuse to start with one.
            guard Self.isStrongSecret(secret) else {
                throw Problem.invalid(
                    name: "PAYMENT_WEBHOOK_SECRET", value: "(hidden)",
                    expected: "at least 32 bytes of a real secret, not a placeholder (e.g. `openssl rand -hex 32`)")
            }
            config.paymentSecret = secret
        }
        if let seconds = try int("PAYMENT_TOLERANCE_SECONDS", 1...86400) { config.paymentToleranceSeconds = seconds }
        if let seconds = try int("PAYMENT_WINDOW_SECONDS", 0...(30 * 86400)) { config.paymentWindowSeconds = seconds }
        if let seconds = try int("WORKER_INTERVAL_SECONDS", 1...86400) { config.workerIntervalSeconds = seconds }
        if let seconds = try int("SHUTDOWN_GRACE_SECONDS", 1...3600) { config.shutdownGraceSeconds = seconds }
        if let hours = try int("IDEMPOTENCY_KEY_HOURS", 24...(24 * 365)) { config.idempotencyKeyHours = hours }
        if let attempts = try int("DELIVERY_MAX_ATTEMPTS", 1...10) { config.deliveryMaxAttempts = attempts }
        if let hours = try int("DELIVERY_HOLD_HOURS", 1...240) { config.deliveryHoldHours = hours }
        if let hours = try int("COMPLAINT_RESPONSE_HOURS", 1...720) { config.complaintResponseHours = hours }
        for (name, purpose) in [("S10_SERIES_COD", ParcelPurpose.cashOnDelivery), ("S10_SERIES_PREPAID", .prepaid)] {
            guard let text = env[name], !text.isEmpty else { continue }
            switch S10Series.parse(text, purpose: purpose) {
            case .success(let series): config.s10Series.append(series)
            case .failure(let error): throw Problem.invalid(name: name, value: text, expected: error.description)
            }
        }
        if config.s10Series.count == 2, config.s10Series[0].service == config.s10Series[1].service {
            throw Problem.invalid(
                name: "S10_SERIES_PREPAID", value: config.s10Series[1].service,
                expected: S10SeriesError.sameLetters(config.s10Series[1].service).description)
        }
        if let burst = try int("ANON_WRITE_BURST", 1...100_000) { config.anonymousWriteBurst = burst }
        if let rate = try int("ANON_WRITES_PER_MINUTE", 1...100_000) { config.anonymousWritesPerMinute = rate }
        if let text = env["TRUSTED_PROXIES"], !text.isEmpty {
            guard let proxies = TrustedProxies(parsing: text) else {
                throw Problem.invalid(
                    name: "TRUSTED_PROXIES", value: text,
                    expected: "comma-separated addresses or networks, e.g. 127.0.0.1, 10.0.0.0/8, ::1")
            }
            config.trustedProxies = proxies
        }
        if let seconds = try int("HTTP_IDLE_TIMEOUT_SECONDS", 1...3600) { config.httpIdleTimeoutSeconds = seconds }
        // 0 turns a bound off (PostgreSQL's own meaning), for measuring what the bound costs.
        if let ms = try int("DB_STATEMENT_TIMEOUT_MS", 0...3_600_000) { config.dbStatementTimeoutMS = ms }
        if let ms = try int("DB_LOCK_TIMEOUT_MS", 0...3_600_000) { config.dbLockTimeoutMS = ms }
        if let ms = try int("DB_ACQUIRE_TIMEOUT_MS", 100...600_000) { config.dbAcquireTimeoutMS = ms }
        if let seconds = try int("REPLICA_MAX_LAG_SECONDS", 0...86400) { config.replicaMaxLagSeconds = seconds }
        if let demo = env["MARKET_SEED_DEMO"], !demo.isEmpty {
            config.seedDemo = !["0", "false", "no"].contains(demo.lowercased())
        }
        return config
    }
}

/// `PHOTO_STORE`: see `AppConfig.photoStore`.
enum PhotoStoreKind: String, Sendable {
    case folder, database
}
