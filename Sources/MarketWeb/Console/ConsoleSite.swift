import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logging
import Logistics
import Orders

/// The Bưu cục console (issue 18) at `/console/`: pages for the post office's staff, rendered on the
/// server from templates, acting through the same domain services and authorization as the API. This
/// is the web foundation the shop (issue 19) reuses: sessions bound to API tokens, CSRF on every form,
/// a strict CSP, Vietnamese formatting, HTML error pages.
public struct ConsoleSite: Sendable {
    public struct Services: Sendable {
        public var accounts: AccountStore
        public var products: ProductStore
        public var suppliers: SupplierStore
        public var ocop: OcopStore
        public var reference: ReferenceStore
        public var manifests: ManifestStore
        public var scans: ScanService
        public var receipts: ReceiptService
        public var notifications: NotificationStore
        public var finance: FinanceOverviewStore
        public var discrepancies: DiscrepancyService
        public var refunds: RefundService
        public var reconciliation: ReconciliationStore
        public var remittances: RemittanceService
        public var postOffices: PostOfficeStore
        public var couriers: CourierStore
        public var scheduler: Scheduler
        public var handovers: HandoverService
        public var audit: AuditStore
        public var statements: BankStatementImport
        public var tariffs: TariffStore
        /// The rules of reset codes, for the code a new staff account is sent.
        public var passwordReset: PasswordReset
        /// Complaints after delivery: filed, answered, decided, goods brought back.
        public var complaints: ComplaintService

        public init(
            accounts: AccountStore, products: ProductStore, suppliers: SupplierStore, ocop: OcopStore,
            reference: ReferenceStore, manifests: ManifestStore, scans: ScanService, receipts: ReceiptService,
            notifications: NotificationStore, finance: FinanceOverviewStore, discrepancies: DiscrepancyService,
            refunds: RefundService, reconciliation: ReconciliationStore, remittances: RemittanceService,
            postOffices: PostOfficeStore, couriers: CourierStore, scheduler: Scheduler, handovers: HandoverService,
            audit: AuditStore, statements: BankStatementImport, tariffs: TariffStore, passwordReset: PasswordReset,
            complaints: ComplaintService
        ) {
            self.complaints = complaints
            self.passwordReset = passwordReset
            self.tariffs = tariffs
            self.audit = audit
            self.statements = statements
            self.postOffices = postOffices
            self.couriers = couriers
            self.scheduler = scheduler
            self.handovers = handovers
            self.remittances = remittances
            self.reconciliation = reconciliation
            self.finance = finance
            self.discrepancies = discrepancies
            self.refunds = refunds
            self.notifications = notifications
            self.receipts = receipts
            self.manifests = manifests
            self.scans = scans
            self.accounts = accounts
            self.products = products
            self.suppliers = suppliers
            self.ocop = ocop
            self.reference = reference
        }
    }

    let services: Services
    let templates: PageTemplates
    let logger: Logger
    /// Whether a sign-in from this client address may go ahead now (the API's per-client limit on
    /// anonymous writes); nil answers "yes", otherwise the seconds to wait.
    let admitSignIn: @Sendable (_ client: String) async -> Int?

    public init(services: Services, logger: Logger, admitSignIn: @escaping @Sendable (String) async -> Int?) throws {
        self.templates = try PageTemplates.load()
        self.services = services
        self.logger = logger
        self.admitSignIn = admitSignIn
    }

    /// Every console route, as the API's route table writes them (for 404/405 and the token check).
    public static let routes: [(HTTPRequest.Method, String)] = [
        (.get, "/console"), (.get, "/console/assets/console.css"), (.get, "/console/assets/courier.js"),
        (.get, "/console/dang-nhap"),
        (.post, "/console/dang-nhap"), (.post, "/console/dang-xuat"), (.get, "/console/duyet-san-pham"),
        (.post, "/console/duyet-san-pham/{id}/duyet"), (.post, "/console/duyet-san-pham/{id}/tu-choi"),
        (.get, "/console/duyet-nguoi-ban"), (.post, "/console/duyet-nguoi-ban/{id}/duyet"),
        (.get, "/console/duyet-ocop"), (.post, "/console/duyet-ocop/{id}/xac-nhan"),
        (.post, "/console/duyet-ocop/{id}/tu-choi"), (.get, "/console/bang-ke"), (.post, "/console/quet/{tracking}"),
        (.get, "/console/chuyen-khoan"), (.post, "/console/chuyen-khoan/{id}/ap-vao-don"),
        (.post, "/console/chuyen-khoan/{id}/hoan-tien"), (.get, "/console/thong-bao"),
        (.post, "/console/thong-bao/da-doc"), (.post, "/console/ma-nhan-hang"), (.get, "/console/nguoi-dung"),
        (.post, "/console/nguoi-dung/{id}/khoa"), (.post, "/console/nguoi-dung/{id}/mo"), (.get, "/console/tai-chinh"),
        (.get, "/console/doi-soat"), (.get, "/console/doi-soat.csv"), (.get, "/console/chi-tra"),
        (.post, "/console/chi-tra"), (.get, "/console/chi-tra/{id}"), (.get, "/console/chi-tra/{id}/ngan-hang.csv"),
        (.get, "/console/chi-tra/{id}/tai-quay.csv"), (.post, "/console/chi-tra/{id}/dong/{line}/da-chi"),
        (.post, "/console/chi-tra/{id}/dong/{line}/that-bai"), (.get, "/console/assets/leaflet.min.js"),
        (.get, "/console/assets/leaflet.css"), (.get, "/console/assets/route-map.js"), (.get, "/console/dieu-phoi"),
        (.post, "/console/dieu-phoi/lap-chuyen"), (.post, "/console/buu-ta/{id}"),
        (.get, "/console/lo-trinh/{courier}/{day}"), (.get, "/console/lo-trinh/{courier}/{day}/in"),
        (.get, "/console/nop-tien"), (.get, "/console/nop-tien/{courier}"), (.post, "/console/nop-tien/{courier}"),
        (.get, "/console/chenh-lech"), (.post, "/console/chenh-lech/{id}/xu-ly"), (.get, "/console/khieu-nai"),
        (.post, "/console/khieu-nai/{id}/quyet-dinh"),
        (.post, "/console/nguoi-dung/{id}/vai-tro"), (.post, "/console/nguoi-dung/{id}/vai-tro/{grant}/thu-hoi"),
        (.get, "/console/nhat-ky"), (.get, "/console/sao-ke"), (.post, "/console/sao-ke"),
        (.get, "/console/sao-ke/{id}"), (.get, "/console/buu-cuc"), (.post, "/console/buu-cuc"),
        (.get, "/console/buu-cuc/{id}"), (.post, "/console/buu-cuc/{id}"), (.post, "/console/buu-cuc/{id}/xa"),
        (.get, "/console/bang-cuoc"), (.post, "/console/bang-cuoc"), (.get, "/console/sw.js"),
        (.post, "/console/nguoi-dung"),
    ]

    /// Mounts every console route. `clientAddress` names the request's client the way the API's limit
    /// does (trusted proxies' `X-Forwarded-For`); `isSecure` says whether it came over TLS.
    public func register<Context: RequestContext>(
        on router: Router<Context>,
        clientAddress: @escaping @Sendable (Request, Context) -> String,
        isSecure: @escaping @Sendable (Request) -> Bool
    ) {
        let console = router.group("console")
        console.get("assets/console.css") { _, _ in templates.stylesheet("console.css") }
        console.get("assets/courier.js") { _, _ in templates.script("courier.js") }
        console.get("assets/leaflet.min.js") { _, _ in templates.script("leaflet.min.js") }
        console.get("sw.js") { _, _ in
            // A service worker is checked for updates on every visit; scoped to the console.
            var response = templates.script("sw.js")
            response.headers[.cacheControl] = "no-cache"
            return response
        }
        console.get("assets/leaflet.css") { _, _ in templates.stylesheet("leaflet.css") }
        console.get("assets/route-map.js") { _, _ in templates.script("route-map.js") }
        console.get("dieu-phoi") { request, _ in
            await page(request) { session in
                try await dispatch(
                    session, office: Self.query(request, "buu-cuc"), day: Self.query(request, "ngay"),
                    result: Self.query(request, "ket-qua"))
            }
        }
        console.post("dieu-phoi/lap-chuyen") { request, _ in
            await form(request) { session, fields in try await planRun(session, fields: fields) }
        }
        console.post("buu-ta/:id") { request, context in
            await form(request) { session, fields in
                try await saveCourier(session, id: context.parameters.get("id"), fields: fields)
            }
        }
        console.get("lo-trinh/:courier/:day") { request, context in
            await page(request) { session in
                try await route(
                    session, courier: context.parameters.get("courier"), day: context.parameters.get("day"))
            }
        }
        console.get("lo-trinh/:courier/:day/in") { request, context in
            await page(request) { session in
                try await printableManifest(
                    session, courier: context.parameters.get("courier"), day: context.parameters.get("day"))
            }
        }
        console.get("nop-tien") { request, _ in
            await page(request) { session in
                try await handovers(
                    session, office: Self.query(request, "buu-cuc"), result: Self.query(request, "ket-qua"))
            }
        }
        console.get("nop-tien/:courier") { request, context in
            await page(request) { session in
                try await handoverCount(
                    session, courier: context.parameters.get("courier"), counted: Self.query(request, "so-tien"))
            }
        }
        console.post("nop-tien/:courier") { request, context in
            await form(request) { session, fields in
                try await recordHandover(session, courier: context.parameters.get("courier"), fields: fields)
            }
        }
        console.post("nguoi-dung") { request, _ in
            await form(request) { session, fields in try await createAccount(session, fields: fields) }
        }
        console.post("nguoi-dung/:id/vai-tro") { request, context in
            await form(request) { session, fields in
                try await grantRole(session, id: context.parameters.get("id"), fields: fields)
            }
        }
        console.post("nguoi-dung/:id/vai-tro/:grant/thu-hoi") { request, context in
            await form(request) { session, _ in
                try await revokeRole(
                    session, id: context.parameters.get("id"), grant: context.parameters.get("grant"))
            }
        }
        console.get("nhat-ky") { request, _ in
            await page(request) { session in
                try await auditTrail(session, filter: AuditFilter(request), after: Self.query(request, "sau"))
            }
        }
        console.get("sao-ke") { request, _ in
            await page(request) { session in
                try session.principal.require(.finance)
                return try await statements(session)
            }
        }
        console.post("sao-ke") { request, _ in await importStatement(request) }
        console.get("sao-ke/:id") { request, context in
            await page(request) { session in
                try await statement(
                    session, id: context.parameters.get("id"), result: Self.query(request, "ket-qua"))
            }
        }
        console.get("buu-cuc") { request, _ in
            await page(request) { session in
                try await offices(
                    session, province: Self.query(request, "tinh"), result: Self.query(request, "ket-qua"))
            }
        }
        console.post("buu-cuc") { request, _ in
            await form(request) { session, fields in try await createOffice(session, fields: fields) }
        }
        console.get("buu-cuc/:id") { request, context in
            await page(request) { session in
                try await office(session, id: context.parameters.get("id"), result: Self.query(request, "ket-qua"))
            }
        }
        console.post("buu-cuc/:id") { request, context in
            await form(request) { session, fields in
                try await saveOffice(session, id: context.parameters.get("id"), fields: fields)
            }
        }
        console.post("buu-cuc/:id/xa") { request, context in
            await form(request) { session, fields in
                try await saveOfficeCommunes(session, id: context.parameters.get("id"), fields: fields)
            }
        }
        console.get("bang-cuoc") { request, _ in
            await page(request) { session in try await tariffs(session, result: Self.query(request, "ket-qua")) }
        }
        console.post("bang-cuoc") { request, _ in
            await form(request) { session, fields in try await createTariff(session, fields: fields) }
        }
        console.get("khieu-nai") { request, _ in
            await page(request) { session in try await complaints(session, result: Self.query(request, "ket-qua")) }
        }
        console.post("khieu-nai/:id/quyet-dinh") { request, context in
            await form(request) { session, fields in
                try await decideComplaint(session, id: context.parameters.get("id"), fields: fields)
            }
        }
        console.get("chenh-lech") { request, _ in
            await page(request) { session in
                try await discrepancies(
                    session, all: Self.query(request, "tat-ca") == "1", result: Self.query(request, "ket-qua"))
            }
        }
        console.post("chenh-lech/:id/xu-ly") { request, context in
            await form(request) { session, fields in
                try await resolveDiscrepancy(session, id: context.parameters.get("id"), fields: fields)
            }
        }
        console.get("/") { request, _ in
            await page(request) { session in try await home(session) }
        }
        console.get("dang-nhap") { request, _ in
            signInForm(email: "", problem: nil, secure: isSecure(request), status: .ok)
        }
        console.post("dang-nhap") { request, context in
            await signIn(request, client: clientAddress(request, context), secure: isSecure(request))
        }
        console.post("dang-xuat") { request, _ in
            await signOut(request, secure: isSecure(request))
        }
        console.get("thong-bao") { request, _ in
            await page(request) { session in try await inbox(session) }
        }
        console.post("thong-bao/da-doc") { request, _ in
            await form(request) { session, _ in try await markInboxRead(session) }
        }
        console.post("ma-nhan-hang") { request, _ in
            await form(request) { session, fields in try await reissueCode(session, trackingNo: fields["van-don"]) }
        }
        console.get("nguoi-dung") { request, _ in
            await page(request) { session in
                try await users(
                    session, role: Self.query(request, "vai-tro"), email: Self.query(request, "email"),
                    after: Self.query(request, "sau"), result: Self.query(request, "ket-qua"))
            }
        }
        console.post("nguoi-dung/:id/khoa") { request, context in
            await form(request) { session, _ in
                try await setActive(session, id: context.parameters.get("id"), active: false)
            }
        }
        console.post("nguoi-dung/:id/mo") { request, context in
            await form(request) { session, _ in
                try await setActive(session, id: context.parameters.get("id"), active: true)
            }
        }
        console.get("duyet-san-pham") { request, _ in
            await page(request) { session in
                try await reviewProducts(
                    session, after: Self.query(request, "sau"), result: Self.query(request, "ket-qua"))
            }
        }
        console.post("duyet-san-pham/:id/duyet") { request, context in
            await form(request) { session, _ in
                try await decide(session, id: context.parameters.get("id"), action: .approve, reason: nil)
            }
        }
        console.post("duyet-san-pham/:id/tu-choi") { request, context in
            await form(request) { session, fields in
                try await decide(session, id: context.parameters.get("id"), action: .reject, reason: fields["reason"])
            }
        }
        console.get("duyet-nguoi-ban") { request, _ in
            await page(request) { session in
                try await reviewSuppliers(
                    session, after: Self.query(request, "sau"), result: Self.query(request, "ket-qua"))
            }
        }
        console.post("duyet-nguoi-ban/:id/duyet") { request, context in
            await form(request) { session, _ in try await approveSupplier(session, id: context.parameters.get("id")) }
        }
        console.get("bang-ke") { request, _ in
            await page(request) { session in
                try await manifest(
                    session, result: Self.query(request, "ket-qua"), find: Self.query(request, "van-don"))
            }
        }
        console.post("quet/:tracking") { request, context in
            await form(request) { session, fields in
                try await scan(
                    session, tracking: context.parameters.get("tracking"), fields: fields,
                    wantsJSON: request.headers[.accept]?.contains("application/json") == true)
            }
        }
        console.get("chi-tra") { request, _ in
            await page(request) { session in try await remittances(session, result: Self.query(request, "ket-qua")) }
        }
        console.post("chi-tra") { request, _ in
            await form(request) { session, _ in try await runRemittance(session) }
        }
        console.get("chi-tra/:id") { request, context in
            await page(request) { session in
                try await remittance(session, id: context.parameters.get("id"), result: Self.query(request, "ket-qua"))
            }
        }
        console.get("chi-tra/:id/ngan-hang.csv") { request, context in
            await page(request) { session in
                try await remittanceFile(session, id: context.parameters.get("id"), bank: true)
            }
        }
        console.get("chi-tra/:id/tai-quay.csv") { request, context in
            await page(request) { session in
                try await remittanceFile(session, id: context.parameters.get("id"), bank: false)
            }
        }
        console.post("chi-tra/:id/dong/:line/da-chi") { request, context in
            await form(request) { session, fields in
                try await settleRemittanceLine(
                    session, batch: context.parameters.get("id"), line: context.parameters.get("line"), paid: true,
                    fields: fields)
            }
        }
        console.post("chi-tra/:id/dong/:line/that-bai") { request, context in
            await form(request) { session, fields in
                try await settleRemittanceLine(
                    session, batch: context.parameters.get("id"), line: context.parameters.get("line"), paid: false,
                    fields: fields)
            }
        }
        console.get("doi-soat") { request, _ in
            await page(request) { session in try await reconciliation(session, request) }
        }
        console.get("doi-soat.csv") { request, _ in
            await page(request) { session in try await reconciliationCSV(session, request) }
        }
        console.get("tai-chinh") { request, _ in
            await page(request) { session in try await dashboard(session) }
        }
        console.get("chuyen-khoan") { request, _ in
            await page(request) { session in try await receipts(session, result: Self.query(request, "ket-qua")) }
        }
        console.post("chuyen-khoan/:id/ap-vao-don") { request, context in
            await form(request) { session, _ in
                try await resolveReceipt(session, id: context.parameters.get("id"), apply: true, reason: nil)
            }
        }
        console.post("chuyen-khoan/:id/hoan-tien") { request, context in
            await form(request) { session, fields in
                try await resolveReceipt(
                    session, id: context.parameters.get("id"), apply: false, reason: fields["reason"])
            }
        }
        console.get("duyet-ocop") { request, _ in
            await page(request) { session in
                try await reviewCertificates(
                    session, after: Self.query(request, "sau"), result: Self.query(request, "ket-qua"))
            }
        }
        console.post("duyet-ocop/:id/xac-nhan") { request, context in
            await form(request) { session, _ in
                try await decideCertificate(session, id: context.parameters.get("id"), verify: true, reason: nil)
            }
        }
        console.post("duyet-ocop/:id/tu-choi") { request, context in
            await form(request) { session, fields in
                try await decideCertificate(
                    session, id: context.parameters.get("id"), verify: false, reason: fields["reason"])
            }
        }
    }

    /// A query parameter of the page's address: `sau` (the next page's cursor), `ket-qua` (what the
    /// last form did, after its redirect).
    static func query(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[name[...]].map(String.init)
    }

    // MARK: Rendering

    func render(_ template: String, _ values: [String: Any], status: HTTPResponse.Status = .ok, cookies: [String] = [])
        -> Response
    {
        guard let html = templates.library.render(values, withTemplate: template) else {
            logger.error("console template missing", metadata: ["template": "\(template)"])
            return PageResponse.html("Lỗi hệ thống.", status: .internalServerError)
        }
        return PageResponse.html(html, status: status, cookies: cookies)
    }

    func message(_ session: WebSession?, heading: String, text: String, status: HTTPResponse.Status) -> Response {
        var values: [String: Any] = ["heading": heading, "text": text]
        if let session { values["user"] = session.header }
        return render("message", values, status: status)
    }
}
