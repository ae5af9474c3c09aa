import Foundation

/// The manifest as a printable A4 page in Vietnamese, self-contained (inline CSS and SVG barcodes, no
/// network fonts or scripts) so it prints the same from a browser with no internet access.
public enum ManifestHTML {
    public static func render(_ m: Manifest) -> String {
        let runs = m.runs.filter { !$0.stops.isEmpty }
        var body = header(m, runs: runs)
        if runs.isEmpty {
            body += "<p class=\"empty\">Không có điểm nào</p>\n"
        } else {
            for run in runs { body += section(run, manifest: m) }
            body += closing(m)
        }
        return """
            <!doctype html>
            <html lang="vi">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(title(runs))) – \(e(m.postOffice.name)) – \(e(ManifestFormat.day(m.date)))</title>
            <style>\(stylesheet)</style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    private static func title(_ runs: [ManifestRun]) -> String {
        let kinds = Set(runs.map(\.kind))
        if kinds == [.pickup] { return "Bảng kê lấy hàng" }
        if kinds == [.delivery] { return "Bảng kê phát hàng" }
        return kinds.isEmpty ? "Bảng kê bưu tá" : "Bảng kê lấy hàng và phát hàng"
    }

    private static func header(_ m: Manifest, runs: [ManifestRun]) -> String {
        let phone = m.courier.phone.map { " · Điện thoại: " + e($0) } ?? ""
        return """
            <header class="doc">
            <h1>\(e(title(runs)))</h1>
            <table class="info">
            <tr><th>Bưu cục</th><td>\(e(m.postOffice.code)) – \(e(m.postOffice.name))<br>\
            \(e(m.postOffice.addressLine))</td></tr>
            <tr><th>Bưu tá</th><td>\(e(m.courier.name))\(phone)</td></tr>
            <tr><th>Ngày</th><td>\(e(ManifestFormat.day(m.date)))</td></tr>
            <tr><th>Lập lúc</th><td>\(e(ManifestFormat.timestamp(m.generatedAt)))</td></tr>
            </table>
            </header>

            """
    }

    private static func section(_ run: ManifestRun, manifest m: Manifest) -> String {
        let pickup = run.kind == .pickup
        var out = """
            <section class="run" data-run="\(run.kind.rawValue)" data-shift="\(run.shift.rawValue)">
            <h2>\(pickup ? "Bảng kê lấy hàng" : "Bảng kê phát hàng") – \(shiftLabel(run.shift))</h2>
            <p class="meta">Bưu tá: \(e(m.courier.name)) · Ngày: \(e(ManifestFormat.day(m.date))) · \
            Số điểm: \(run.stops.count) · Quãng đường: \(ManifestFormat.kilometres(run.routeMeters))</p>
            <table class="stops">
            <thead><tr><th class="seq">Điểm</th><th>Mã vận đơn</th><th>Mã kiện</th><th class="num">Khối lượng</th>\
            <th class="num">Tiền thu hộ (COD)</th><th class="st">Trạng thái</th></tr></thead>

            """
        for stop in run.stops { out += stopRows(stop, kind: run.kind) }
        out += """
            </table>
            <table class="totals">
            <tr><th>Tổng cộng</th><td>\(run.parcelCount) bưu gửi · \(ManifestFormat.kilograms(run.totalGrams))</td></tr>

            """
        if !pickup {
            out += """
                <tr><th>Tiền thu hộ (COD)</th><td class="cash">\(ManifestFormat.vnd(run.codToCollectVND))</td></tr>

                """
        }
        return out + "</table>\n</section>\n"
    }

    private static func stopRows(_ stop: ManifestStop, kind: RunKind) -> String {
        let pickup = kind == .pickup
        let place = [stop.addressLine, stop.communeName, stop.provinceName].filter { !$0.isEmpty }
        var out = """
            <tbody class="stop">
            <tr class="stop-head"><td class="seq">\(stop.sequence)</td><td colspan="5">\
            <strong>\(pickup ? "Người gửi" : "Người nhận"):</strong> \(e(stop.name)) · \
            <strong>Điện thoại:</strong> \(e(stop.phone)) · <strong>Trạng thái:</strong> \
            \(e(statusLabel(stop.status, kind: kind)))<br>\
            <strong>Địa chỉ:</strong> \(e(place.joined(separator: ", ")))</td></tr>

            """
        if stop.parcels.isEmpty {
            out += "<tr><td></td><td colspan=\"5\">Không có bưu gửi</td></tr>\n"
        }
        for parcel in stop.parcels {
            let barcode = (try? Code128.svg(parcel.trackingNo, moduleWidth: 1.5, height: 32)) ?? e(parcel.trackingNo)
            let cod = pickup ? "–" : ManifestFormat.vnd(parcel.codVND)
            // Bulky parcels say what they are charged on; every parcel its declared value (what it is insured for).
            var weight = ManifestFormat.kilograms(parcel.weightGrams)
            if let chargeable = parcel.chargeableWeightGrams, chargeable > parcel.weightGrams {
                weight += "<br><small>quy đổi \(ManifestFormat.kilograms(chargeable))</small>"
            }
            var declared = parcel.declaredValueVND.map { "<br><small>khai giá \(ManifestFormat.vnd($0))</small>" } ?? ""
            if let complaint = parcel.complaintNumber {
                // Goods coming back: the courier must see at a glance that this one goes the other way.
                declared =
                    "<br><strong>\(pickup ? "Trả hàng khiếu nại" : "Thu hồi hàng khiếu nại") \(e(complaint))</strong>"
            }
            let state = parcel.complaintNumber == nil ? statusLabel(parcel.status, kind: kind) : returnLabel(parcel)
            out += """
                <tr class="parcel" data-tracking-no="\(e(parcel.trackingNo))"><td></td>\
                <td class="barcode">\(barcode)</td><td class="pkg">\(e(parcel.packageNumber))\(declared)</td>\
                <td class="num">\(weight)</td><td class="num">\(cod)</td>\
                <td class="st">\(e(state))</td></tr>

                """
        }
        let cod = pickup ? "" : " · Thu hộ: " + ManifestFormat.vnd(stop.codVND)
        return out + """
            <tr class="stop-foot"><td></td><td colspan="5"><div class="stop-sum">Cộng điểm \(stop.sequence): \
            \(stop.parcels.count) bưu gửi · \(ManifestFormat.kilograms(stop.totalGrams))\(cod)</div>\
            <div class="sign"><span>\(pickup ? "Chữ ký người gửi" : "Chữ ký người nhận")</span>\
            <small>(Ký, ghi rõ họ tên)</small></div><div class="clear"></div></td></tr>
            </tbody>

            """
    }

    private static func closing(_ m: Manifest) -> String {
        let deliveries = m.runs.contains { $0.kind == .delivery }
        let cash =
            deliveries
            ? "<p class=\"cash-back\">Tiền thu hộ bưu tá phải nộp lại: <strong>\(ManifestFormat.vnd(m.codToCollectVND))"
                + "</strong></p>\n" : ""
        return """
            <section class="closing">
            <p class="grand"><strong>Tổng cộng:</strong> \(m.parcelCount) bưu gửi · \
            \(ManifestFormat.kilograms(m.totalGrams))</p>
            \(cash)<div class="signatures">
            <div class="sign"><span>Chữ ký bưu tá</span><small>(Ký, ghi rõ họ tên)</small>\
            <em>\(e(m.courier.name))</em></div>
            <div class="sign"><span>Chữ ký kế toán/giao dịch viên</span><small>(Ký, ghi rõ họ tên)</small></div>
            </div>
            </section>

            """
    }

    private static func shiftLabel(_ shift: Shift) -> String {
        shift == .morning ? "Ca sáng" : "Ca chiều"
    }

    /// The run states the backend writes, in words a courier reads; anything else is printed as given.
    private static func statusLabel(_ status: String, kind: RunKind) -> String {
        switch status {
        case "pending": "Chờ xử lý"
        case "done": kind == .pickup ? "Đã lấy" : "Đã phát"
        case "failed": kind == .pickup ? "Lấy không thành công" : "Phát không thành công"
        case "partly_done": kind == .pickup ? "Đã lấy một phần" : "Đã phát một phần"
        case "ready_for_pickup": "Chờ lấy"
        case "picked_up": "Đã lấy"
        case "in_transit": "Đang chuyển"
        case "out_for_delivery": "Đang phát"
        case "waiting_for_instruction": "Chờ xử lý"
        case "delivered": "Đã phát"
        case "returning": "Đang hoàn"
        case "returned": "Đã hoàn"
        default: status
        }
    }

    /// A complaint's goods: collected from the buyer, then handed back to the seller.
    private static func returnLabel(_ parcel: ManifestParcel) -> String {
        switch parcel.status {
        case "ready_for_pickup": "Chờ thu hồi"
        case "in_transit": "Chờ trả người bán"
        case "delivered": "Đã trả người bán"
        default: "Đã thu hồi"
        }
    }

    private static func e(_ text: String) -> String { ManifestFormat.escapeHTML(text) }

    /// Each run starts on a new sheet because the courier takes it on the road; a stop never splits
    /// across pages so its signature stays with its parcels; column headers repeat on every page.
    /// Public so a page that serves the sheet can allow exactly this inline style (by its hash) and no other.
    public static let stylesheet = """

        @page { size: A4; margin: 12mm }
        * { box-sizing: border-box }
        html { -webkit-print-color-adjust: exact; print-color-adjust: exact }
        body { font-family: "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt;
          color: #000; margin: 0 auto; max-width: 186mm; line-height: 1.3 }
        @media screen { body { padding: 12mm 0 } }
        h1 { font-size: 16pt; margin: 0 0 3mm }
        h2 { font-size: 13pt; margin: 0 0 1mm; break-after: avoid }
        .meta { margin: 0 0 2mm }
        table { width: 100%; border-collapse: collapse }
        th, td { border: 0.3mm solid #000; padding: 1mm 1.5mm; text-align: left; vertical-align: middle }
        th { background: #eee }
        thead { display: table-header-group }
        tbody.stop, tr { break-inside: avoid; page-break-inside: avoid }
        .info { margin-bottom: 5mm } .info th { width: 28mm }
        section.run { margin-top: 5mm }
        section.run + section.run { break-before: page }
        .seq { width: 12mm; text-align: center; font-weight: bold }
        .num { text-align: right } td.num, .pkg { white-space: nowrap }
        .barcode svg { display: block }
        .stop-head td { background: #f4f4f4 }
        .st { width: 22mm }
        .stop-sum { float: left; margin-top: 1mm }
        .stop-foot .sign { float: right; height: 17mm }
        .clear { clear: both }
        .sign { border: 0.3mm solid #000; height: 22mm; width: 75mm; padding: 1mm 2mm; display: flex;
          flex-direction: column; justify-content: space-between }
        .sign span { font-weight: bold } .sign small { font-size: 8pt } .sign em { font-style: normal }
        .totals { margin-top: 3mm; width: auto; min-width: 100mm } .totals th { width: 40mm }
        .cash, .cash-back strong { font-weight: bold; font-size: 12pt }
        .closing { margin-top: 6mm; break-inside: avoid }
        .signatures { display: flex; gap: 10mm; margin-top: 4mm }
        .signatures .sign { height: 30mm }
        .empty { font-size: 14pt; font-weight: bold; margin: 10mm 0 }

        """
}
