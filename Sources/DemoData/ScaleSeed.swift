import Catalog
import Foundation
import Kernel
import Logging
import PostgresNIO

/// `market seed --products N`: appends N generated products in batches, one transaction per batch,
/// generating the next batch while the database writes the current one.
public struct ScaleSeed: Sendable {
    public struct Progress: Sendable {
        public var written: Int
        public var total: Int
        public var elapsed: Duration

        public var rate: Double {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return seconds > 0 ? Double(written) / seconds : 0
        }
    }

    public struct Summary: Sendable {
        public var run: Int
        public var suppliers: Int
        public var products: Int
        public var variants: Int
        public var certificates: Int
        public var elapsed: Duration
    }

    public static let maxProducts = 1_000_000

    public let db: Database
    public let logger: Logger
    public var batchSize = 10_000
    /// Batches written at once, each on its own connection in its own transaction. The database's
    /// per-row triggers, not the network, bound the rate, so two writers keep two cores busy.
    public var writers = 2

    public init(db: Database, logger: Logger, batchSize: Int = 10_000, writers: Int = 2) {
        (self.db, self.logger, self.batchSize, self.writers) = (db, logger, batchSize, writers)
    }

    public func run(
        products total: Int, seed: UInt64, progress: @Sendable (Progress) -> Void = { _ in }
    ) async throws -> Summary {
        let start = ContinuousClock.now
        let run = try await nextRunNumber()
        let generator = ScaleCatalogGenerator(seed: seed, run: run, communes: try await communes())
        let writer = CatalogSeedWriter(logger: logger)
        let batchCount = (total + batchSize - 1) / batchSize
        let (db, logger, size) = (self.db, self.logger, batchSize)
        var summary = Summary(run: run, suppliers: 0, products: 0, variants: 0, certificates: 0, elapsed: .zero)
        try await withThrowingTaskGroup(of: Summary.self) { group in
            var started = 0
            // Each task generates its batch (on the cooperative pool, while other batches are being
            // written) and then writes it; the batch's rows are its own, so order does not matter.
            func startNext() {
                let index = started
                started += 1
                group.addTask {
                    let batch = generator.batch(index, products: min(size, total - index * size))
                    try await db.withTransaction(logger: logger) { connection in
                        try await connection.allowLongWork(logger: logger)
                        try await writer.write(batch, on: connection)
                    }
                    return Summary(
                        run: run, suppliers: batch.suppliers.count, products: batch.products.count,
                        variants: batch.variants.count, certificates: batch.certificates.count, elapsed: .zero)
                }
            }
            while started < min(max(1, writers), batchCount) { startNext() }
            while let done = try await group.next() {
                summary.suppliers += done.suppliers
                summary.products += done.products
                summary.variants += done.variants
                summary.certificates += done.certificates
                progress(Progress(written: summary.products, total: total, elapsed: start.duration(to: .now)))
                if started < batchCount { startNext() }
            }
        }
        // Fresh statistics (and no dead row versions from the min-price trigger's updates) before
        // anyone measures search against the new rows.
        for table in ["suppliers", "products", "product_variants", "ocop_certifications"] {
            try await db.query("VACUUM (ANALYZE) \(unescaped: table)", logger: logger)
        }
        summary.elapsed = start.duration(to: .now)
        return summary
    }

    /// 1 on the first run against a database, then 2, 3, …: part of the generator's seed, so that
    /// every run adds new suppliers, ids and SKUs. Committed on its own so concurrent runs differ.
    private func nextRunNumber() async throws -> Int {
        let rows = try await db.query(
            """
            INSERT INTO app_settings (key, value) VALUES ('scale_seed_runs', '1')
            ON CONFLICT (key) DO UPDATE SET value = (app_settings.value::int + 1)::text, updated_at = now()
            RETURNING value
            """,
            logger: logger
        )
        guard let text = try rows.decode(String.self).first, let run = Int(text) else {
            throw DomainError.conflict(kind: "seed-run", detail: "Could not number this seed run.")
        }
        return run
    }

    private func communes() async throws -> [ScaleCommune] {
        let rows = try await db.query(
            """
            SELECT c.code, c.province_code, c.name, c.unit_type, p.full_name, c.lat, c.lon
            FROM communes c JOIN provinces p ON p.code = c.province_code
            ORDER BY c.code
            """,
            logger: logger
        )
        return try rows.decode((String, String, String, String, String, Double?, Double?).self).map {
            ScaleCommune(
                code: $0.0, provinceCode: $0.1, name: $0.2, unitType: $0.3,
                provincePhrase: CatalogDemoGenerator.inSentence($0.4), lat: $0.5, lon: $0.6)
        }
    }
}
