import Catalog
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// Writes generated rows with `COPY … FROM STDIN` (thousands of rows per round trip), on the
/// caller's connection so that the caller's transaction decides what is kept. Rows go in the order
/// the catalog triggers need: suppliers (already active, with their address) before products,
/// products before variants and certificates. The triggers fill the mirrored product columns.
struct CatalogSeedWriter: Sendable {
    let logger: Logger

    /// Bytes per COPY message: large enough to keep the server busy, small enough to stream.
    private static let flushBytes = 1 << 18

    func write(_ batch: CatalogBatch, on connection: PostgresConnection) async throws {
        try await copy(
            "suppliers",
            [
                "id", "name", "kind", "status", "phone", "tax_code", "description", "province_code", "commune_code",
                "address_line", "lat", "lon", "payout_method", "bank_bin", "account_no", "account_name", "approved_at",
                "approved_by",
            ],
            batch.suppliers, on: connection
        ) { rows, supplier in
            rows.uuid(supplier.id)
            rows.text(supplier.name)
            rows.text(supplier.kind)
            rows.text("active")
            rows.text(supplier.phone)
            rows.text(supplier.taxCode)
            rows.text(supplier.description)
            rows.text(supplier.provinceCode)
            rows.text(supplier.communeCode)
            rows.text(supplier.addressLine)
            rows.double(supplier.lat)
            rows.double(supplier.lon)
            switch supplier.payout {
            case .bankTransfer(let bin, let accountNo, let accountName):
                rows.text("bank_transfer")
                rows.text(bin)
                rows.text(accountNo)
                rows.text(accountName)
            case .counterCash:
                rows.text("counter_cash")
                rows.text(nil)
                rows.text(nil)
                rows.text(nil)
            }
            rows.text(supplier.approvedAt)
            rows.uuid(supplier.approvedBy)
        }
        try await copy(
            "products",
            [
                "id", "supplier_id", "title", "description", "category_code", "origin_province_code", "images",
                "is_regional_specialty", "status",
            ],
            batch.products, on: connection
        ) { rows, product in
            rows.uuid(product.id)
            rows.uuid(product.supplierID)
            rows.text(product.title)
            rows.text(product.description)
            rows.text(product.category)
            rows.text(product.originProvinceCode)
            rows.textArray(product.images)
            rows.bool(product.isRegionalSpecialty)
            rows.text(product.status)
        }
        try await copy(
            "product_variants",
            [
                "id", "product_id", "supplier_id", "sku", "name", "price_vnd", "weight_grams", "stock_on_hand",
                "position",
            ],
            batch.variants, on: connection
        ) { rows, variant in
            rows.uuid(variant.id)
            rows.uuid(variant.productID)
            rows.uuid(variant.supplierID)
            rows.text(variant.sku)
            rows.text(variant.name)
            rows.int(variant.priceVND)
            rows.int(variant.weightGrams)
            rows.int(variant.stockOnHand)
            rows.int(variant.position)
        }
        try await copy(
            "ocop_certifications",
            [
                "id", "product_id", "stars", "certificate_no", "issued_by", "issued_on", "expires_on", "status",
                "reviewed_by", "reviewed_at",
            ],
            batch.certificates, on: connection
        ) { rows, certificate in
            rows.uuid(certificate.id)
            rows.uuid(certificate.productID)
            rows.int(certificate.stars)
            rows.text(certificate.certificateNo)
            rows.text(certificate.issuedBy)
            rows.text(certificate.issuedOn.description)
            rows.text(certificate.expiresOn.description)
            rows.text(certificate.status)
            rows.uuid(certificate.reviewedBy)
            rows.text(certificate.reviewedAt)
        }
    }

    /// Completes a supplier row that may already exist (the demo supplier of the first demo data),
    /// as the clerk's approval would: profile, address and payout, then `active`.
    func upsert(_ supplier: SeedSupplier, on connection: PostgresConnection) async throws {
        var bin: String?
        var accountNo: String?
        var accountName: String?
        if case .bankTransfer(let b, let number, let name) = supplier.payout {
            (bin, accountNo, accountName) = (b, number, name)
        }
        let method = bin == nil ? "counter_cash" : "bank_transfer"
        try await connection.query(
            """
            INSERT INTO suppliers (id, name, kind, status, phone, tax_code, description, province_code, commune_code,
                                   address_line, lat, lon, payout_method, bank_bin, account_no, account_name,
                                   approved_at, approved_by)
            VALUES (\(supplier.id), \(supplier.name), \(supplier.kind), 'active', \(supplier.phone), \(supplier.taxCode),
                    \(supplier.description), \(supplier.provinceCode), \(supplier.communeCode), \(supplier.addressLine),
                    \(supplier.lat), \(supplier.lon), \(method), \(bin), \(accountNo), \(accountName),
                    \(supplier.approvedAt)::timestamptz, \(supplier.approvedBy))
            ON CONFLICT (id) DO UPDATE SET
                name = EXCLUDED.name, kind = EXCLUDED.kind, status = EXCLUDED.status, phone = EXCLUDED.phone,
                tax_code = EXCLUDED.tax_code, description = EXCLUDED.description,
                province_code = EXCLUDED.province_code, commune_code = EXCLUDED.commune_code,
                address_line = EXCLUDED.address_line, lat = EXCLUDED.lat, lon = EXCLUDED.lon,
                payout_method = EXCLUDED.payout_method, bank_bin = EXCLUDED.bank_bin,
                account_no = EXCLUDED.account_no, account_name = EXCLUDED.account_name,
                approved_at = EXCLUDED.approved_at, approved_by = EXCLUDED.approved_by, updated_at = now()
            """,
            logger: logger
        )
    }

    /// Post offices (the demo one may exist already) and which communes each serves.
    func write(_ offices: [SeedPostOffice], on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO post_offices (id, code, name, province_code, commune_code, address_line, lat, lon)
            SELECT id, code, name, '48', commune_code, address_line, lat, lon
            FROM unnest(\(offices.map(\.id))::uuid[], \(offices.map(\.code))::text[], \(offices.map(\.name))::text[],
                        \(offices.map(\.communeCode))::text[], \(offices.map(\.addressLine))::text[],
                        \(offices.map(\.lat))::float8[], \(offices.map(\.lon))::float8[])
                AS o (id, code, name, commune_code, address_line, lat, lon)
            ON CONFLICT (id) DO NOTHING
            """,
            logger: logger
        )
        // Đà Nẵng's central office sorts the province's mail: hub scans of any parcel are accepted there.
        try await connection.query(
            "UPDATE post_offices SET is_sorting_hub = true WHERE code = 'DN-HAICHAU'", logger: logger)
        let served = offices.flatMap { office in office.communes.map { (commune: $0, office: office.id) } }
        try await connection.query(
            """
            INSERT INTO post_office_communes (commune_code, post_office_id)
            SELECT * FROM unnest(\(served.map(\.commune))::text[], \(served.map(\.office))::uuid[])
            ON CONFLICT (commune_code) DO NOTHING
            """,
            logger: logger
        )
    }

    /// Couriers and clerks with their grants, all with one precomputed password hash: hashing is
    /// deliberately slow, and these accounts share the published demo password anyway.
    func write(_ staff: [SeedStaff], passwordHash: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO users (id, email, password_hash, display_name, phone)
            SELECT id, email, \(passwordHash), display_name, phone
            FROM unnest(\(staff.map(\.id))::uuid[], \(staff.map(\.email))::text[],
                        \(staff.map(\.displayName))::text[], \(staff.map(\.phone))::text[])
                AS s (id, email, display_name, phone)
            """,
            logger: logger
        )
        try await connection.query(
            """
            INSERT INTO role_grants (id, user_id, role, post_office_id)
            SELECT * FROM unnest(\(staff.map(\.grantID))::uuid[], \(staff.map(\.id))::uuid[],
                                 \(staff.map(\.role))::text[], \(staff.map(\.postOfficeID))::uuid[])
            """,
            logger: logger
        )
    }

    private func copy<Row>(
        _ table: String,
        _ columns: [String],
        _ rows: [Row],
        on connection: PostgresConnection,
        encode: (inout CopyTextRows, Row) -> Void
    ) async throws {
        guard !rows.isEmpty else { return }
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var buffer = CopyTextRows(capacity: Self.flushBytes + 4096)
            for row in rows {
                encode(&buffer, row)
                buffer.endRow()
                if buffer.byteCount >= Self.flushBytes { try await writer.write(buffer.take()) }
            }
            if buffer.byteCount > 0 { try await writer.write(buffer.take()) }
        }
    }
}
