import Catalog
import Foundation
import Kernel
import Testing

@Suite("Catalog rules, without a database")
struct CatalogRulesTests {
    @Test(arguments: [
        ("Nguyễn Văn Đức", "NGUYEN VAN DUC"),
        ("Trần  Thị   Ánh", "TRAN THI ANH"),
        ("HTX Nước mắm Cửa Đại", "HTX NUOC MAM CUA DAI"),
        ("Lê Thị Hoà", "LE THI HOA"),
        ("Lê Thị Ho\u{0300}a", "LE THI HOA"),
    ])
    func bankAccountNames(input: String, expected: String) {
        #expect(PayoutRules.bankAccountName(input) == expected)
        #expect(PayoutRules.isAccountName(expected))
        #expect(!PayoutRules.isAccountName(input))
    }

    @Test func payoutValidation() {
        var v = Validator()
        #expect(
            PayoutRules.validate(
                method: "bank_transfer", bankBIN: "970436", accountNo: "0123456789", accountName: "NGUYEN VAN A",
                prefix: "", into: &v)
                == .bankTransfer(bankBIN: "970436", accountNo: "0123456789", accountName: "NGUYEN VAN A"))
        #expect(v.errors.isEmpty)
        v = Validator()
        #expect(
            PayoutRules.validate(
                method: "bank_transfer", bankBIN: "97043", accountNo: "12ab", accountName: nil, prefix: "p.", into: &v)
                == nil)
        #expect(v.errors.map(\.field) == ["p.bank_bin", "p.account_no", "p.account_name"])
        #expect(!PayoutRules.isAccountNumber("12345"))
        #expect(!PayoutRules.isAccountNumber("١٢٣٤٥٦٧"))  // digits, but not ASCII ones
        #expect(SupplierRules.isTaxCode("0401234567") && SupplierRules.isTaxCode("0401234567-001"))
        #expect(!SupplierRules.isTaxCode("040123456") && !SupplierRules.isTaxCode("0401234567-01"))
    }

    @Test func supplierTransitions() throws {
        #expect(try SupplierAction.approve.apply(to: .pending) == .active)
        #expect(try SupplierAction.suspend.apply(to: .active) == .suspended)
        #expect(try SupplierAction.reinstate.apply(to: .suspended) == .active)
        for (action, state) in [
            (SupplierAction.approve, SupplierStatus.active), (.suspend, .pending), (.reinstate, .active),
            (.approve, .suspended),
        ] {
            #expect(throws: DomainError.self) { try action.apply(to: state) }
        }
    }

    @Test func productTransitions() throws {
        let all = ProductStatus.allCases
        let table: [ProductAction: [ProductStatus: ProductStatus]] = [
            .submit: [.draft: .pendingReview, .rejected: .pendingReview],
            .approve: [.pendingReview: .active],
            .reject: [.pendingReview: .rejected],
            .archive: [.draft: .archived, .pendingReview: .archived, .active: .archived, .rejected: .archived],
            .editContent: [
                .draft: .draft, .pendingReview: .pendingReview, .active: .pendingReview, .rejected: .rejected,
            ],
        ]
        for (action, allowed) in table {
            for state in all {
                if let next = allowed[state] {
                    #expect(try action.apply(to: state) == next)
                } else {
                    do {
                        _ = try action.apply(to: state)
                        Issue.record("\(action) from \(state) should fail")
                    } catch {
                        if case .conflict(_, _, let current, _) = error { #expect(current == state.rawValue) }
                    }
                }
            }
        }
    }

    @Test func ocopRules() throws {
        let today = CalendarDay(year: 2026, month: 11, day: 27)
        let ok = try OcopRules.validate(
            stars: 4, certificateNo: "12/QĐ-UBND", issuedBy: "province", issuedOn: "2024-01-31",
            expiresOn: "2027-01-31", today: today)
        #expect(ok.stars == 4)
        // 36 months from 31 Jan is 31 Jan three years on; 29 Feb rolls to 28 Feb.
        #expect(CalendarDay(year: 2024, month: 2, day: 29).adding(months: 36).description == "2027-02-28")
        #expect(CalendarDay(year: 2024, month: 1, day: 31).adding(months: 1).description == "2024-02-29")
        #expect(throws: DomainError.self) {
            try OcopRules.validate(
                stars: 5, certificateNo: "1", issuedBy: "province", issuedOn: "2025-01-01", expiresOn: "2026-12-01",
                today: today)
        }
        #expect(throws: DomainError.self) {
            try OcopRules.validate(
                stars: 3, certificateNo: "1", issuedBy: "province", issuedOn: "2025-01-01", expiresOn: "2028-01-02",
                today: today)
        }
        #expect(throws: DomainError.self) {
            try OcopRules.validate(
                stars: 3, certificateNo: "1", issuedBy: "province", issuedOn: "2026-11-28", expiresOn: "2027-01-02",
                today: today)
        }
        let expires = CalendarDay(year: 2026, month: 11, day: 28)
        #expect(OcopRules.inForce(status: .verified, expiresOn: expires, today: today))
        #expect(
            !OcopRules.inForce(
                status: .verified, expiresOn: expires, today: CalendarDay(year: 2026, month: 11, day: 28)))
        #expect(!OcopRules.inForce(status: .pending, expiresOn: expires, today: today))
        #expect(CalendarDay("2025-02-29") == nil && CalendarDay("2024-02-29") != nil && CalendarDay("24-02-29") == nil)
    }

    @Test func productInput() throws {
        #expect(ProductRules.isImageURL("https://cdn.example.vn/a b.jpg") == false)
        #expect(ProductRules.isImageURL("https://cdn.example.vn/n%C6%B0%E1%BB%9Bc.jpg"))
        #expect(!ProductRules.isImageURL("javascript:alert(1)"))
        #expect(!ProductRules.isImageURL("https:///nohost.jpg"))
        #expect(ProductRules.isSKU("NM-CD.500_1") && !ProductRules.isSKU("-NM") && !ProductRules.isSKU("NƯỚC"))
        let patch = try ProductPatch.validated(
            title: nil, description: nil, categoryCode: nil, originProvinceCode: nil, images: nil,
            isRegionalSpecialty: true)
        #expect(patch.title == nil)
    }

    @Test func searchRequests() throws {
        let plain = try ProductSearch.validated(
            q: "  ", category: nil, province: nil, ocopMinStars: nil, priceMin: nil, priceMax: nil, supplierID: nil,
            inStock: nil, sort: nil, limit: nil, cursor: nil)
        #expect(plain.text == nil && plain.sort == .newest && plain.limit == 20)
        let text = try ProductSearch.validated(
            q: "nước mắm", category: "food", province: "48", ocopMinStars: 4, priceMin: 1, priceMax: 2,
            supplierID: nil, inStock: true, sort: nil, limit: 5, cursor: nil)
        #expect(text.sort == .relevance)
        // Every value reaches SQL as a bind, never as text of the statement.
        let sql = try text.pageQuery().sql
        #expect(!sql.contains("nước") && !sql.contains("'48'"))
        #expect(text.facetQuery().sql.contains("GROUPING SETS"))
        do {
            _ = try ProductSearch.validated(
                q: "a\u{0}", category: "Food", province: "4", ocopMinStars: 6, priceMin: -1, priceMax: nil,
                supplierID: "x", inStock: nil, sort: "cheap", limit: 101, cursor: nil)
            Issue.record("should fail")
        } catch {
            guard case .validation(let fields) = error else { throw error }
            #expect(
                Set(fields.map(\.field)) == [
                    "q", "category", "province", "ocop_min_stars", "price_min", "supplier_id", "sort", "limit",
                ])
        }
    }
}
