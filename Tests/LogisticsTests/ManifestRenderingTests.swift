import Foundation
import Testing

@testable import Logistics

@Suite("Manifest CSV and printable HTML")
struct ManifestRenderingTests {
    static func parcel(_ serial: Int, grams: Int, cod: Int64, service: ParcelService = .cashOnDelivery)
        -> ManifestParcel
    {
        let number = (try? S10(service, serial: serial))?.description ?? "EC000000005VN"
        return ManifestParcel(
            trackingNo: number, packageNumber: "ĐH-\(serial)/1", weightGrams: grams, codVND: cod, status: "pending")
    }

    /// Three stops, eight parcels; delivery COD 1.250.000 + 350.000 + 890.000 + 120.000 = 2.610.000 ₫.
    static let sample = Manifest(
        courier: .init(id: UUID(), name: "Trần Thị Thu Hà", phone: "0905 123 456"),
        postOffice: .init(code: "560000", name: "Bưu cục Tam Kỳ", addressLine: "2 Trần Phú, Tam Kỳ"),
        date: "2026-11-28", generatedAt: Date(timeIntervalSince1970: 1_795_300_000),
        runs: [
            ManifestRun(
                kind: .delivery, shift: .afternoon, routeMeters: 18_750,
                stops: [
                    ManifestStop(
                        sequence: 1, name: "Nguyễn Văn Đức <script>alert(1)</script>", phone: "0912 345 678",
                        addressLine: "45 Hùng Vương, tổ 3", communeName: "Phường Bàn Thạch", provinceName: "Đà Nẵng",
                        parcels: [
                            parcel(10_000_001, grams: 1_250, cod: 1_250_000),
                            parcel(10_000_002, grams: 800, cod: 350_000),
                            parcel(10_000_003, grams: 2_000, cod: 0, service: .prepaid),
                        ], status: "pending"),
                    ManifestStop(
                        sequence: 2, name: "Lê Thị \"Phượng\"", phone: "+84 935 888 999",
                        addressLine: "Thôn Hương Quế Đông", communeName: "Xã Quế Sơn", provinceName: "Đà Nẵng",
                        parcels: [
                            parcel(10_000_004, grams: 3_500, cod: 890_000),
                            parcel(10_000_005, grams: 450, cod: 120_000),
                        ],
                        status: "pending"),
                ]),
            ManifestRun(
                kind: .pickup, shift: .morning, routeMeters: 9_400,
                stops: [
                    ManifestStop(
                        sequence: 1, name: "=HYPERLINK(\"http://x\")", phone: "0235 3 812 345",
                        addressLine: "Thôn 2, xã Trà Mai", communeName: "Xã Trà My", provinceName: "Đà Nẵng",
                        parcels: [
                            parcel(10_000_006, grams: 1_500, cod: 0),
                            parcel(10_000_007, grams: 750, cod: 0, service: .prepaid),
                            parcel(10_000_008, grams: 5_250, cod: 0),
                        ], status: "done")
                ]),
        ])

    static var trackingNumbers: [String] { sample.runs.flatMap { $0.stops.flatMap { $0.parcels.map(\.trackingNo) } } }

    static func occurrences(of needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    // MARK: model

    @Test func runsAreKeptInPrintOrderAndTotalled() {
        var manifest = Self.sample
        #expect(manifest.runs.map(\.kind) == [.pickup, .delivery])
        #expect(manifest.parcelCount == 8)
        #expect(manifest.totalGrams == 15_500)
        #expect(manifest.codToCollectVND == 2_610_000)
        #expect(manifest.runs[0].codToCollectVND == 0)
        manifest.runs.append(ManifestRun(kind: .pickup, shift: .afternoon, routeMeters: 0, stops: []))
        manifest.runs.append(ManifestRun(kind: .delivery, shift: .morning, routeMeters: 0, stops: []))
        #expect(manifest.runs.map(\.kind) == [.pickup, .pickup, .delivery, .delivery])
        #expect(manifest.runs.map(\.shift) == [.morning, .afternoon, .morning, .afternoon])
    }

    // MARK: CSV

    @Test func csvStartsWithABomAndUsesCRLF() {
        let csv = ManifestCSV.render(Self.sample)
        #expect(csv.unicodeScalars.first == "\u{FEFF}")
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(csv.hasSuffix("\r\n"))
        let header =
            "date,run,shift,stop,name,phone,address,commune,tracking_no,package_number,weight_grams,cod_vnd,status,"
            + "complaint_number"
        #expect(csv.dropFirst().hasPrefix(header + "\r\n"))
        #expect(!csv.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test func csvHasOneRowPerParcel() {
        let csv = ManifestCSV.render(Self.sample)
        let rows = csv.dropFirst().components(separatedBy: "\r\n").dropLast()
        #expect(rows.count == 1 + 8)
        for number in Self.trackingNumbers {
            #expect(rows.filter { $0.contains(number) }.count == 1)
        }
        #expect(rows.contains { $0.hasPrefix("2026-11-28,pickup,morning,1,") })
        #expect(rows.contains { $0.hasSuffix(",1250,1250000,pending,") })
    }

    /// A complaint's goods run the other way: collected on a delivery round, handed back on a pickup round.
    @Test func goodsComingBackArePendingUntilCollectedThenUntilHandedBack() {
        var goods = ManifestParcel(
            trackingNo: "EP000000014VN", packageNumber: "ĐH-1/1", weightGrams: 700, codVND: 0,
            status: "ready_for_pickup")
        goods.complaintNumber = "KN2612070001"
        #expect(goods.isPending(on: .delivery))
        goods.status = "in_transit"
        #expect(!goods.isPending(on: .delivery))
        #expect(goods.isPending(on: .pickup))
        goods.status = "delivered"
        #expect(!goods.isPending(on: .pickup))
        let parcel = ManifestParcel(
            trackingNo: "EC000000028VN", packageNumber: "ĐH-1/2", weightGrams: 700, codVND: 0,
            status: "in_transit")
        #expect(parcel.isPending(on: .delivery) && !parcel.isPending(on: .pickup))
        var sheet = Self.sample
        sheet.runs[0].stops[0].parcels.append(goods)
        let csv = ManifestCSV.render(sheet)
        #expect(csv.contains(",EP000000014VN,ĐH-1/1,700,0,delivered,KN2612070001\r\n"))
    }

    @Test func csvQuotesAndKeepsVietnamese() {
        let csv = ManifestCSV.render(Self.sample)
        #expect(csv.contains(",\"45 Hùng Vương, tổ 3\","))
        #expect(csv.contains(",\"Lê Thị \"\"Phượng\"\"\","))
        #expect(csv.contains(",Phường Bàn Thạch,"))
        #expect(csv.contains(",ĐH-10000001/1,"))
        #expect(ManifestCSV.text("hai\r\ndòng") == "\"hai\r\ndòng\"")
        #expect(ManifestCSV.text("plain") == "plain")
    }

    @Test func csvNeutralisesFormulas() {
        let csv = ManifestCSV.render(Self.sample)
        #expect(csv.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","))
        #expect(csv.contains(",'+84 935 888 999,"))
        for dangerous in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            #expect(ManifestCSV.text(dangerous).hasPrefix("'") || ManifestCSV.text(dangerous).hasPrefix("\"'"))
        }
        #expect(ManifestCSV.text("0905") == "0905")
    }

    @Test func csvOfAnEmptyManifestIsJustTheHeader() {
        let empty = Manifest(
            courier: Self.sample.courier, postOffice: Self.sample.postOffice, date: "2026-11-28",
            generatedAt: Date(), runs: [])
        #expect(ManifestCSV.render(empty).components(separatedBy: "\r\n").count == 2)
    }

    // MARK: HTML

    @Test func htmlIsACompletePrintableDocument() {
        let html = ManifestHTML.render(Self.sample)
        #expect(html.hasPrefix("<!doctype html>"))
        #expect(html.contains("<html lang=\"vi\">"))
        #expect(html.contains("<meta charset=\"utf-8\">"))
        #expect(html.contains("@page { size: A4; margin: 12mm }"))
        #expect(html.contains("break-inside: avoid"))
        #expect(html.contains("<thead>"))
        #expect(html.hasSuffix("</html>\n"))
        for external in ["src=", "<link", "<img", "@import", "url(", "<script"] {
            #expect(!html.contains(external), "no external resources: \(external)")
        }
    }

    @Test func htmlEscapesEveryText() {
        let html = ManifestHTML.render(Self.sample)
        #expect(!html.contains("<script>"))
        #expect(html.contains("Nguyễn Văn Đức &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Lê Thị &quot;Phượng&quot;"))
        #expect(html.contains("=HYPERLINK(&quot;http://x&quot;)"))
    }

    @Test func htmlHasOneRowAndOneBarcodePerParcel() {
        let html = ManifestHTML.render(Self.sample)
        #expect(Self.occurrences(of: "data-tracking-no=\"", in: html) == 8)
        #expect(Self.occurrences(of: "<svg ", in: html) == 8)
        for number in Self.trackingNumbers {
            #expect(Self.occurrences(of: "data-tracking-no=\"\(number)\"", in: html) == 1)
            #expect(html.contains("aria-label=\"\(number)\""))
        }
    }

    @Test func htmlShowsTotalsAndMoney() {
        let html = ManifestHTML.render(Self.sample)
        #expect(html.contains("1.250.000\u{00A0}₫"))
        #expect(html.contains("2.610.000\u{00A0}₫"))
        #expect(html.contains("1,25\u{00A0}kg"))
        #expect(html.contains("8 bưu gửi · 15,5\u{00A0}kg"))
        #expect(html.contains("5 bưu gửi · 8,0\u{00A0}kg"))
        #expect(html.contains("3 bưu gửi · 7,5\u{00A0}kg"))
        #expect(html.contains("Tiền thu hộ bưu tá phải nộp lại: <strong>2.610.000\u{00A0}₫</strong>"))
        #expect(html.contains("28/11/2026"))
    }

    @Test func htmlUsesVietnameseLabels() {
        let html = ManifestHTML.render(Self.sample)
        for label in [
            "Bảng kê lấy hàng", "Bảng kê phát hàng", "Bưu cục", "Bưu tá", "Ngày", "Ca sáng", "Ca chiều", "Điểm",
            "Người gửi", "Người nhận", "Điện thoại", "Địa chỉ", "Mã vận đơn", "Khối lượng", "Tiền thu hộ (COD)",
            "Tổng cộng", "Chữ ký bưu tá", "Chữ ký người gửi", "Chữ ký người nhận", "Chữ ký kế toán/giao dịch viên",
        ] {
            #expect(html.contains(label), "missing \(label)")
        }
        #expect(html.contains("45 Hùng Vương, tổ 3, Phường Bàn Thạch, Đà Nẵng"))
    }

    @Test func emptyManifestSaysSo() {
        let empty = Manifest(
            courier: Self.sample.courier, postOffice: Self.sample.postOffice, date: "2026-11-28",
            generatedAt: Date(), runs: [ManifestRun(kind: .delivery, shift: .morning, routeMeters: 0, stops: [])])
        let html = ManifestHTML.render(empty)
        #expect(html.contains("Không có điểm nào"))
        #expect(!html.contains("data-tracking-no"))
        #expect(html.contains("Bưu cục Tam Kỳ"))
    }

    @Test func formats() {
        #expect(ManifestFormat.vnd(0) == "0\u{00A0}₫")
        #expect(ManifestFormat.vnd(999) == "999\u{00A0}₫")
        #expect(ManifestFormat.vnd(1_000) == "1.000\u{00A0}₫")
        #expect(ManifestFormat.vnd(-1_250_000) == "-1.250.000\u{00A0}₫")
        #expect(ManifestFormat.vnd(Int64.min) == "-9.223.372.036.854.775.808\u{00A0}₫")
        #expect(ManifestFormat.kilograms(0) == "0,0\u{00A0}kg")
        #expect(ManifestFormat.kilograms(5) == "0,005\u{00A0}kg")
        #expect(ManifestFormat.kilograms(1_000) == "1,0\u{00A0}kg")
        #expect(ManifestFormat.kilograms(1_234_567) == "1.234,567\u{00A0}kg")
        #expect(ManifestFormat.kilometres(18_750) == "18,8\u{00A0}km")
        #expect(ManifestFormat.day("2026-11-28") == "28/11/2026")
        #expect(ManifestFormat.day("hôm nay") == "hôm nay")
        #expect(ManifestFormat.timestamp(Date(timeIntervalSince1970: 0)) == "07:00 01/01/1970")
        #expect(ManifestFormat.escapeHTML("&<>\"'") == "&amp;&lt;&gt;&quot;&#39;")
    }
}
