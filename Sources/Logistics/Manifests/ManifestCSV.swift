import Foundation

/// The manifest as a spreadsheet: one RFC 4180 row per parcel, for the post office's own bookkeeping.
public enum ManifestCSV {
    public static let columns = [
        "date", "run", "shift", "stop", "name", "phone", "address", "commune", "tracking_no", "package_number",
        "weight_grams", "cod_vnd", "status", "complaint_number",
    ]

    /// Starts with a UTF-8 byte order mark: without it Excel opens a CSV in the Windows code page and
    /// shows Vietnamese as mojibake, while LibreOffice and most CSV readers simply skip the mark.
    /// Rows end in CRLF, the last one included.
    public static func render(_ m: Manifest) -> String {
        var out = "\u{FEFF}" + row(columns.map(text))
        for run in m.runs {
            for stop in run.stops {
                for parcel in stop.parcels {
                    out += row([
                        text(m.date), text(run.kind.rawValue), text(run.shift.rawValue), String(stop.sequence),
                        text(stop.name), text(stop.phone), text(stop.addressLine), text(stop.communeName),
                        text(parcel.trackingNo), text(parcel.packageNumber), String(parcel.weightGrams),
                        String(run.kind == .delivery ? parcel.codVND : 0), text(parcel.status),
                        text(parcel.complaintNumber ?? ""),
                    ])
                }
            }
        }
        return out
    }

    /// One RFC 4180 record: fields already made safe by `text` (or numbers), CRLF-terminated. Every
    /// CSV this module writes uses these two.
    static func row(_ fields: [String]) -> String {
        fields.joined(separator: ",") + "\r\n"
    }

    /// A text field, made inert and quoted. Spreadsheets run a cell starting with = + - @ (and tab or CR,
    /// which some strip first) as a formula, so such text gets a leading apostrophe: a name like
    /// `=HYPERLINK(…)` from a supplier's profile must not become a link on the clerk's machine. Numeric
    /// columns are written with `String(Int)` and skip this, so a negative number stays a number.
    static func text(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        guard value.unicodeScalars.contains(where: { "\",\r\n".unicodeScalars.contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
