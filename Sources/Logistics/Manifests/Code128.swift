import Foundation

/// Code 128 barcodes for parcel labels and manifests, drawn as inline SVG so printing needs no images.
///
/// Text is encoded in code set B, switching to code set C for runs of digits (two digits per symbol),
/// which makes an S10 number about 13% narrower than pure code set B. Only printable ASCII (space
/// through `~`) is accepted: control characters would need code set A, and nothing we print has them.
public enum Code128 {
    /// Bar and space widths in modules, starting and ending with a bar, from the start symbol through
    /// the stop pattern. Quiet zones are not included: ``svg(_:moduleWidth:height:)`` adds them.
    public static func modules(_ text: String) throws(Code128Error) -> [Int] {
        try symbols(text).flatMap { patterns[$0] }
    }

    /// Symbol values: the start symbol (104 start B or 105 start C), data and code-set switches (99 to C,
    /// 100 to B), the mod-103 checksum, and 106 for the stop pattern.
    public static func symbols(_ text: String) throws(Code128Error) -> [Int] {
        guard !text.isEmpty else { throw .empty }
        var bytes: [UInt8] = []
        for character in text {
            guard let ascii = character.asciiValue, (32...126).contains(ascii) else {
                throw .unsupportedCharacter(character)
            }
            bytes.append(ascii)
        }
        let data = encode(bytes)
        var checksum = data[0]
        for (position, value) in data.enumerated().dropFirst() { checksum += position * value }
        return data + [checksum % 103, stop]
    }

    /// An inline `<svg>` (no XML prolog) with a 10-module white quiet zone either side and the text
    /// below the bars. `height` is the height of the bars; the text adds a band below it. Widths and
    /// heights that are not positive fall back to the defaults so a bad setting still prints a barcode.
    public static func svg(_ text: String, moduleWidth: Double = 1.5, height: Double = 48) throws(Code128Error)
        -> String
    {
        let widths = try modules(text)
        let module = moduleWidth > 0 && moduleWidth.isFinite ? moduleWidth : 1.5
        let barHeight = height > 0 && height.isFinite ? height : 48
        let fontSize = max(8, (module * 8).rounded())
        let totalModules = widths.reduce(quietZone * 2, +)
        let width = Double(totalModules) * module
        let totalHeight = barHeight + fontSize + 4
        var path = ""
        var x = quietZone
        for (index, span) in widths.enumerated() {
            if index % 2 == 0 {
                path += "M\(number(Double(x) * module)) 0h\(number(Double(span) * module))v\(number(barHeight))"
                path += "h-\(number(Double(span) * module))z"
            }
            x += span
        }
        let label = ManifestFormat.escapeHTML(text)
        return """
            <svg xmlns="http://www.w3.org/2000/svg" class="code128" role="img" aria-label="\(label)" \
            width="\(number(width))" height="\(number(totalHeight))" \
            viewBox="0 0 \(number(width)) \(number(totalHeight))">\
            <rect width="\(number(width))" height="\(number(totalHeight))" fill="#fff"/>\
            <path d="\(path)" fill="#000" shape-rendering="crispEdges"/>\
            <text x="\(number(width / 2))" y="\(number(barHeight + fontSize + 1))" text-anchor="middle" \
            font-family="DejaVu Sans Mono, Liberation Mono, monospace" font-size="\(number(fontSize))" \
            fill="#000">\(label)</text></svg>
            """
    }

    static let quietZone = 10
    static let startB = 104
    static let startC = 105
    static let toB = 100
    static let toC = 99
    static let stop = 106

    /// Greedy code-set choice after ISO/IEC 15417 Annex E: code set C pays off for four or more digits at
    /// either end of the text, or six or more in the middle, where two switch symbols have to be paid.
    private static func encode(_ bytes: [UInt8]) -> [Int] {
        var out: [Int] = []
        var inC = false
        var index = 0
        while index < bytes.count {
            let run = digitRun(bytes, from: index)
            let atEdge = index == 0 || index + run == bytes.count
            let worthC = run >= (atEdge ? 4 : 6) || (run == bytes.count && run == 2)
            if !inC, worthC {
                // An odd run keeps its first digit in code set B so every code set C symbol holds two.
                if run % 2 == 1 {
                    if out.isEmpty { out.append(startB) }
                    out.append(Int(bytes[index]) - 32)
                    index += 1
                }
                out.append(out.isEmpty ? startC : toC)
                inC = true
            }
            if inC, run >= 2 {
                out.append(Int(bytes[index] - 48) * 10 + Int(bytes[index + 1] - 48))
                index += 2
                continue
            }
            if out.isEmpty {
                out.append(startB)
            } else if inC {
                out.append(toB)
                inC = false
            }
            out.append(Int(bytes[index]) - 32)
            index += 1
        }
        return out
    }

    private static func digitRun(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start
        while end < bytes.count, (48...57).contains(bytes[end]) { end += 1 }
        return end - start
    }

    /// Trims "1.0" to "1" and float noise to three decimals, so the SVG stays short and locale-free.
    private static func number(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return String(rounded)
    }

    /// Bar, space, bar, space, bar, space widths of symbols 0…105, then the 7-element stop pattern.
    static let patterns: [[Int]] = [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
        "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
        "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
        "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
        "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
        "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
        "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
        "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
        "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
        "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
    ].map { $0.compactMap(\.wholeNumberValue) }
}

public enum Code128Error: Error, Equatable {
    case unsupportedCharacter(Character)
    case empty
}
