import Catalog
import Foundation
import Kernel
import Logging
import Logistics
import OpenAPIRuntime
import Orders
import PostgresNIO

/// The implementation of the generated `APIProtocol`. Each handler decodes, authorizes, calls one
/// store or service method and maps the result; rules live in the domain modules and stores.
struct APIHandlers: APIProtocol {
    let db: Database
    let accounts: AccountStore
    let reference: ReferenceStore
    let suppliers: SupplierStore
    let products: ProductStore
    let productPhotos: ProductPhotos
    let ocop: OcopStore
    let searchStore: SearchStore
    let audit: AuditStore
    let tariffs: TariffStore
    let quotes: QuoteService
    let orders: OrderService
    let postOffices: PostOfficeStore
    let courierStore: CourierStore
    let scheduler: Scheduler
    let manifests: ManifestStore
    let scans: ScanService
    let tracking: TrackingStore
    let handovers: HandoverService
    let discrepancies: DiscrepancyService
    let remittances: RemittanceService
    let statements: BankStatementImport
    let reconciliation: ReconciliationStore
    let commissionRates: CommissionRates
    let refunds: RefundService
    let complaints: ComplaintService
    let receipts: ReceiptService
    let notifications: NotificationStore
    let outboundMessages: OutboundMessageStore
    let webhooks: WebhookEndpointStore
    let passwordReset: PasswordReset
    let paymentSecretConfigured: Bool
    let paymentToleranceSeconds: Int
    let openAPIDocument: String
    let startup: StartupState
    let logger: Logger

    var requestID: String? { RequestScope.requestID }
}

extension UUID {
    /// Lower-case text, the form used in JSON and audit records.
    var text: String { uuidString.lowercased() }
}

/// Path ids arrive as strings; a malformed one cannot name anything, so it is a 404 like an unknown one.
func parseID(_ text: String, _ what: String) throws(DomainError) -> UUID {
    guard let id = UUID(uuidString: text) else { throw .notFound("No \(what) with this id.") }
    return id
}
