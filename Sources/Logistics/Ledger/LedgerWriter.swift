import Foundation
import Kernel
import Logging
import PostgresNIO

/// Writes balanced transactions. Accounts are created on first use; entries go in account-id order,
/// so two transactions touching the same balances lock them in the same order and never deadlock.
/// PostgreSQL checks at commit that each transaction sums to zero.
struct LedgerWriter: Sendable {
    let logger: Logger

    struct Links: Sendable {
        var packageID: UUID? = nil
        var orderID: UUID? = nil
        var referenceID: UUID? = nil
        var reverses: UUID? = nil
        var memo: String = ""
        var by: UUID? = nil
    }

    @discardableResult
    func post(_ transaction: LedgerTransaction, _ links: Links = Links(), on connection: PostgresConnection)
        async throws -> UUID
    {
        let normalized = transaction.normalized()
        guard normalized.isBalanced else {
            throw DomainError.conflict(kind: "unbalanced-transaction", detail: "A ledger transaction must balance.")
        }
        let id = UUID()
        let kinds = normalized.postings.map(\.account.kind.rawValue)
        let owners = normalized.postings.map { $0.account.owner?.uuidString.lowercased() ?? "" }
        let amounts = normalized.postings.map(\.amountVND)
        try await connection.query(
            """
            INSERT INTO ledger_accounts (kind, owner_id)
            SELECT k, NULLIF(o, '')::uuid FROM unnest(\(kinds)::text[], \(owners)::text[]) AS t (k, o)
            ORDER BY 1, 2
            ON CONFLICT (kind, owner_id) DO NOTHING
            """,
            logger: logger)
        try await connection.query(
            """
            INSERT INTO ledger_transactions (id, kind, package_id, order_id, reference_id, reverses, memo, created_by)
            VALUES (\(id), \(normalized.kind), \(links.packageID), \(links.orderID), \(links.referenceID),
                \(links.reverses), \(links.memo), \(links.by))
            """,
            logger: logger)
        try await connection.query(
            """
            INSERT INTO ledger_entries (transaction_id, account_id, amount_vnd)
            SELECT \(id), a.id, t.amount
            FROM unnest(\(kinds)::text[], \(owners)::text[], \(amounts)::int8[]) AS t (k, o, amount)
                JOIN ledger_accounts a ON a.kind = t.k AND a.owner_id IS NOT DISTINCT FROM NULLIF(t.o, '')::uuid
            ORDER BY a.id
            """,
            logger: logger)
        return id
    }
}
