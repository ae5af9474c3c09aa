import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logging
import Logistics
import Orders

/// The shop (issue 19) at `/`: the province's products for buyers, rendered on the server so it
/// works without JavaScript on a cheap phone; cart, checkout and the buyer's orders act through the
/// same domain services and rules as the API. Built on the console's foundation (templates, session
/// cookie, CSRF, CSP, Vietnamese formatting).
public struct ShopSite: Sendable {
    public struct Services: Sendable {
        public var accounts: AccountStore
        public var products: ProductStore
        public var search: SearchStore
        public var reference: ReferenceStore
        public var ocop: OcopStore
        public var orders: OrderService
        public var quotes: QuoteService
        public var tracking: TrackingStore
        /// A held parcel's instruction from its buyer (another attempt, or back to the seller).
        public var scans: ScanService
        public var suppliers: SupplierStore
        /// The stored photo files, served at `/anh/`.
        public var photos: any PhotoStore
        public var productPhotos: ProductPhotos
        public var carts: CartStore
        public var remittances: RemittanceService
        public var notifications: NotificationStore
        public var passwordReset: PasswordReset
        /// Complaints after delivery: filed, answered, decided, goods brought back.
        public var complaints: ComplaintService

        public init(
            accounts: AccountStore, products: ProductStore, search: SearchStore, reference: ReferenceStore,
            ocop: OcopStore, orders: OrderService, quotes: QuoteService, tracking: TrackingStore, scans: ScanService,
            suppliers: SupplierStore, photos: any PhotoStore, productPhotos: ProductPhotos, carts: CartStore,
            remittances: RemittanceService, notifications: NotificationStore, passwordReset: PasswordReset,
            complaints: ComplaintService
        ) {
            self.complaints = complaints
            self.notifications = notifications
            self.passwordReset = passwordReset
            self.remittances = remittances
            self.carts = carts
            self.suppliers = suppliers
            self.photos = photos
            self.productPhotos = productPhotos
            self.accounts = accounts
            self.products = products
            self.search = search
            self.reference = reference
            self.ocop = ocop
            self.orders = orders
            self.quotes = quotes
            self.tracking = tracking
            self.scans = scans
        }
    }

    let services: Services
    let templates: PageTemplates
    let logger: Logger
    /// The per-client limit on anonymous writes (sign-in, registration), as the console uses it.
    let admitSignIn: @Sendable (_ client: String) async -> Int?
    /// Where bank-transfer orders are paid; nil shows no payment details.
    let transferAccount: TransferAccount?
    let transferQR = TransferQR()
    let homeShelves: HomeShelves

    public init(
        services: Services, logger: Logger, transferAccount: TransferAccount? = nil,
        homeShelvesSeconds: Int = 30, admitSignIn: @escaping @Sendable (String) async -> Int?
    ) throws {
        self.homeShelves = HomeShelves(ttl: .seconds(homeShelvesSeconds))
        self.transferAccount = transferAccount
        self.templates = try PageTemplates.load()
        self.services = services
        self.logger = logger
        self.admitSignIn = admitSignIn
    }

    /// Every shop route, as the API's route table writes them.
    public static let routes: [(HTTPRequest.Method, String)] = [
        (.get, "/"), (.get, "/assets/shop.css"), (.get, "/assets/shop.js"), (.get, "/robots.txt"),
        (.get, "/sitemap.xml"), (.get, "/sitemap/{file}"), (.get, "/tim-kiem"), (.get, "/san-pham/{slug}"),
        (.get, "/gio-hang"),
        (.post, "/gio-hang/them"), (.post, "/gio-hang/cap-nhat"), (.get, "/thanh-toan"), (.post, "/thanh-toan"),
        (.post, "/dat-hang"), (.get, "/dang-nhap"), (.post, "/dang-nhap"), (.get, "/dang-ky"), (.post, "/dang-ky"),
        (.post, "/dang-ky/xac-nhan"), (.post, "/dang-xuat"), (.get, "/don-hang"), (.get, "/don-hang/{id}"),
        (.post, "/don-hang/{id}/huy"), (.post, "/don-hang/{id}/kien-hang/{package}/giao-lai"),
        (.post, "/don-hang/{id}/kien-hang/{package}/tra-lai"), (.get, "/don-hang/{id}/kien-hang/{package}/khieu-nai"),
        (.post, "/don-hang/{id}/kien-hang/{package}/doi-dia-chi"),
        (.post, "/don-hang/{id}/kien-hang/{package}/khieu-nai"), (.get, "/gian-hang/{supplier}/khieu-nai"),
        (.post, "/gian-hang/khieu-nai/{id}/chap-nhan"), (.post, "/gian-hang/khieu-nai/{id}/khong-dong-y"),
        (.post, "/don-hang/{id}/ma-nhan-hang"), (.get, "/anh/{name}"), (.get, "/assets/label.css"),
        (.get, "/gian-hang"), (.get, "/gian-hang/{supplier}"), (.get, "/gian-hang/{supplier}/san-pham"),
        (.get, "/gian-hang/{supplier}/san-pham/moi"), (.post, "/gian-hang/{supplier}/san-pham"),
        (.post, "/gian-hang/kien-hang/{id}/xac-nhan"), (.post, "/gian-hang/kien-hang/{id}/tu-choi"),
        (.post, "/gian-hang/kien-hang/{id}/san-sang"), (.get, "/gian-hang/kien-hang/{id}/nhan"),
        (.get, "/gian-hang/san-pham/{id}"), (.post, "/gian-hang/san-pham/{id}"),
        (.post, "/gian-hang/san-pham/{id}/gui-duyet"), (.post, "/gian-hang/san-pham/{id}/kho"),
        (.post, "/gian-hang/san-pham/{id}/anh"), (.get, "/gian-hang/{supplier}/chi-tra"),
        (.get, "/gian-hang/{supplier}/thanh-vien"), (.post, "/gian-hang/{supplier}/thanh-vien"),
        (.post, "/gian-hang/{supplier}/thanh-vien/bo"), (.post, "/gian-hang/san-pham/{id}/ocop"),
        (.post, "/gian-hang/loi-moi/{id}/nhan"), (.post, "/gian-hang/loi-moi/{id}/tu-choi"),
        (.get, "/quen-mat-khau"), (.post, "/quen-mat-khau"), (.post, "/quen-mat-khau/dat-lai"), (.get, "/thong-bao"),
        (.post, "/thong-bao/da-doc"), (.post, "/gian-hang/san-pham/{id}/loai"),
        (.post, "/gian-hang/san-pham/{id}/loai/{variant}"), (.post, "/gian-hang/{supplier}/chi-tra/tai-khoan"),
    ]

    /// The two forms that carry a photo: bodies up to `PhotoRules.maxBytes`, read by the page itself
    /// (which answers an oversized one with a page, not the API's problem document).
    public static func isPhotoUpload(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        guard method == .post, path.hasPrefix("/gian-hang/") else { return false }
        let parts = path.split(separator: "/")
        return (parts.count == 3 && parts[2] == "san-pham")
            || (parts.count == 4 && parts[1] == "san-pham" && parts[3] == "anh")
    }

    /// The complaint form (up to three photos of the goods as received).
    public static func isComplaintUpload(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        guard method == .post, path.hasPrefix("/don-hang/") else { return false }
        let parts = path.split(separator: "/")
        return parts.count == 5 && parts[2] == "kien-hang" && parts[4] == "khieu-nai"
    }

    public func register<Context: RequestContext>(
        on router: Router<Context>,
        clientAddress: @escaping @Sendable (Request, Context) -> String,
        isSecure: @escaping @Sendable (Request) -> Bool
    ) {
        router.get("/") { request, _ in await visit(request, secure: isSecure(request)) { try await home($0) } }
        router.get("assets/shop.css") { _, _ in templates.stylesheet("shop.css") }
        router.get("assets/shop.js") { _, _ in templates.script("shop.js") }
        router.get("robots.txt") { request, _ in robots(request) }
        router.get("sitemap.xml") { request, _ in await sitemap(request) }
        router.get("sitemap/:file") { request, context in
            await sitemapFile(request, name: context.parameters.get("file") ?? "")
        }
        router.get("tim-kiem") { request, _ in
            await visit(request, secure: isSecure(request)) { try await searchPage($0, request) }
        }
        router.get("san-pham/:slug") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await productPage($0, segment: context.parameters.get("slug") ?? "", request: request)
            }
        }
        router.get("gio-hang") { request, _ in
            await visit(request, secure: isSecure(request)) { try await cartPage($0) }
        }
        router.post("gio-hang/them") { request, _ in
            await post(request, secure: isSecure(request)) { visitor, fields in try await addToCart(&visitor, fields) }
        }
        router.post("gio-hang/cap-nhat") { request, _ in
            await post(request, secure: isSecure(request)) { visitor, fields in try await updateCart(&visitor, fields) }
        }
        router.get("thanh-toan") { request, _ in
            await visit(request, secure: isSecure(request)) { try await checkout($0, fields: FormBody("")) }
        }
        router.post("thanh-toan") { request, _ in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await checkout(visitor, fields: fields)
            }
        }
        router.post("dat-hang") { request, _ in
            await post(request, secure: isSecure(request)) { visitor, fields in try await placeOrder(&visitor, fields) }
        }
        router.get("dang-nhap") { request, _ in
            await visit(request, secure: isSecure(request)) { signInPage($0, next: Self.query(request, "tiep")) }
        }
        router.post("dang-nhap") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await signIn(&visitor, fields, client: clientAddress(request, context), secure: isSecure(request))
            }
        }
        router.get("dang-ky") { request, _ in
            await visit(request, secure: isSecure(request)) { registerPage($0, next: Self.query(request, "tiep")) }
        }
        router.post("dang-ky") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await register(visitor, fields, client: clientAddress(request, context))
            }
        }
        router.post("dang-ky/xac-nhan") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await confirmRegistration(
                    &visitor, fields, client: clientAddress(request, context), secure: isSecure(request))
            }
        }
        router.post("dang-xuat") { request, _ in
            await post(request, secure: isSecure(request)) { visitor, _ in
                try await signOut(&visitor, secure: isSecure(request))
            }
        }
        router.get("don-hang") { request, _ in
            await visit(request, secure: isSecure(request)) { try await ordersPage($0) }
        }
        router.get("don-hang/:id") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await orderPage($0, id: context.parameters.get("id"), result: Self.query(request, "ket-qua"))
            }
        }
        for (word, back) in [("giao-lai", false), ("tra-lai", true)] {
            router.post("don-hang/:id/kien-hang/:package/\(word)") { request, context in
                await post(request, secure: isSecure(request)) { visitor, fields in
                    try await instruct(
                        &visitor, order: context.parameters.get("id"), package: context.parameters.get("package"),
                        back: back, fields)
                }
            }
        }
        router.get("don-hang/:id/kien-hang/:package/khieu-nai") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await complaintForm(
                    $0, order: context.parameters.get("id"), package: context.parameters.get("package"))
            }
        }
        router.post("don-hang/:id/kien-hang/:package/khieu-nai") { request, context in
            await visit(request, secure: isSecure(request)) {
                try await fileComplaint(
                    $0, order: context.parameters.get("id"), package: context.parameters.get("package"),
                    request: request)
            }
        }
        router.post("don-hang/:id/kien-hang/:package/doi-dia-chi") { request, context in
            await post(request, secure: isSecure(request)) { visitor, fields in
                try await readdress(
                    &visitor, order: context.parameters.get("id"), package: context.parameters.get("package"), fields)
            }
        }
        router.post("don-hang/:id/huy") { request, context in
            await post(request, secure: isSecure(request)) { visitor, _ in
                try await cancelOrder(&visitor, id: context.parameters.get("id"))
            }
        }
        registerSeller(on: router, isSecure: isSecure)
        registerRecovery(on: router, clientAddress: clientAddress, isSecure: isSecure)
        router.get("anh/:name") { _, context in await photo(context.parameters.get("name") ?? "") }
        router.get("assets/label.css") { _, _ in templates.stylesheet("label.css") }
        router.post("don-hang/:id/ma-nhan-hang") { request, context in
            await post(request, secure: isSecure(request)) { visitor, _ in
                try await renewCode(&visitor, id: context.parameters.get("id"))
            }
        }
    }

    /// A parameter of the page's address, decoded as a form decodes it (`+` is a space).
    static func query(_ request: Request, _ name: String) -> String? {
        FormBody(request.uri.query ?? "")[name]
    }
}
