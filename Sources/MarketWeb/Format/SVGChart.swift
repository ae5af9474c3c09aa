import Foundation
import Kernel

/// Charts drawn on the server as inline SVG (issue 18: readable without JavaScript, printable, no chart
/// library). Colours and fonts come from the console's stylesheet through classes and presentation
/// attributes, never `style` attributes, so the strict Content-Security-Policy holds. Every text is
/// escaped here: the SVG goes into the page unescaped.
public enum SVGChart {
    public struct Series: Sendable {
        public var name: String
        /// A class of console.css (`s1`, `s2`, `s3`) that gives the bars their colour.
        public var cssClass: String

        public init(name: String, cssClass: String) { (self.name, self.cssClass) = (name, cssClass) }
    }

    /// Grouped vertical bars, one group per day (`values` in the order of `series`), a labelled y axis
    /// in compact đồng and a day label every `labelEvery` groups. Each bar has a tooltip with the
    /// exact amount.
    public static func groupedBars(
        title: String, groups: [(label: String, values: [Int64])], series: [Series], labelEvery: Int = 5,
        width: Int = 720, height: Int = 260
    ) -> String {
        let left = 64.0
        let bottom = 28.0
        let top = 12.0
        let plotWidth = Double(width) - left - 8
        let plotHeight = Double(height) - top - bottom
        let top1 = axisTop(groups.flatMap(\.values).max() ?? 0)
        var svg = header(title: title, width: width, height: height)
        for step in 0...4 {
            let value = top1 / 4 * Int64(step)
            let y = top + plotHeight - plotHeight * Double(step) / 4
            svg += #"<line class="grid" x1="\#(f(left))" y1="\#(f(y))" x2="\#(f(Double(width) - 8))" y2="\#(f(y))"/>"#
            svg +=
                #"<text class="axis" x="\#(f(left - 6))" y="\#(f(y + 4))" text-anchor="end">\#(xml(compact(value)))</text>"#
        }
        let slot = groups.isEmpty ? 0 : plotWidth / Double(groups.count)
        let bar = series.isEmpty ? 0 : max(1, (slot - 2) / Double(series.count))
        for (index, group) in groups.enumerated() {
            let x0 = left + slot * Double(index) + 1
            for (position, value) in group.values.enumerated() where position < series.count && value > 0 {
                let h = plotHeight * Double(value) / Double(top1)
                let x = x0 + bar * Double(position)
                svg +=
                    #"<rect class="\#(xml(series[position].cssClass))" x="\#(f(x))" y="\#(f(top + plotHeight - h))" "#
                svg += #"width="\#(f(bar))" height="\#(f(h))"><title>\#(xml(group.label)): "#
                svg += #"\#(xml(series[position].name)) \#(xml(VietnameseFormat.money(value)))</title></rect>"#
            }
            if labelEvery > 0, index % labelEvery == 0 || index == groups.count - 1 {
                svg +=
                    #"<text class="axis" x="\#(f(x0 + slot / 2))" y="\#(f(Double(height) - 8))" text-anchor="middle">"#
                svg += #"\#(xml(group.label))</text>"#
            }
        }
        return svg + "</svg>"
    }

    /// Horizontal bars, one row each (largest first as given), the amount written at the bar's end.
    public static func horizontalBars(
        title: String, rows: [(label: String, value: Int64, cssClass: String)], width: Int = 720, rowHeight: Int = 28
    ) -> String {
        let height = max(1, rows.count) * rowHeight + 8
        let labelWidth = 220.0
        let plotWidth = Double(width) - labelWidth - 150
        let largest = max(1, rows.map(\.value).max() ?? 1)
        var svg = header(title: title, width: width, height: height)
        for (index, row) in rows.enumerated() {
            let y = Double(index * rowHeight + 4)
            let w = max(1, plotWidth * Double(max(0, row.value)) / Double(largest))
            svg +=
                #"<text class="label" x="\#(f(labelWidth - 8))" y="\#(f(y + Double(rowHeight) * 0.65))" text-anchor="end">"#
            svg += #"\#(xml(truncated(row.label, 30)))</text>"#
            svg += #"<rect class="\#(xml(row.cssClass))" x="\#(f(labelWidth))" y="\#(f(y + 4))" width="\#(f(w))" "#
            svg +=
                #"height="\#(f(Double(rowHeight) - 8))"><title>\#(xml(row.label)): \#(xml(VietnameseFormat.money(row.value)))</title></rect>"#
            svg += #"<text class="value" x="\#(f(labelWidth + w + 6))" y="\#(f(y + Double(rowHeight) * 0.65))">"#
            svg += #"\#(xml(VietnameseFormat.money(row.value)))</text>"#
        }
        return svg + "</svg>"
    }

    /// The y axis's top: the largest value rounded up to 1, 2, 2.5 or 5 × a power of ten, in steps
    /// that divide by four (so the four grid lines fall on round amounts); 1,000 ₫ when all are zero.
    public static func axisTop(_ largest: Int64) -> Int64 {
        guard largest > 0 else { return 4_000 }
        var magnitude: Int64 = 1
        while magnitude <= largest / 10 { magnitude *= 10 }
        for multiple: Int64 in [1, 2, 4, 5, 8, 10] where magnitude * multiple >= largest {
            let top = magnitude * multiple
            return top % 4 == 0 ? top : top * 4
        }
        return magnitude * 10
    }

    /// `1500000` → `1,5 tr`, `250000` → `250 nghìn`, `2000000000` → `2 tỷ`: the y axis's short amounts
    /// (nghìn, triệu, tỷ), a comma for decimals as elsewhere.
    public static func compact(_ amount: Int64) -> String {
        let units: [(Int64, String)] = [(1_000_000_000, "tỷ"), (1_000_000, "tr"), (1_000, "nghìn")]
        for (size, name) in units where amount.magnitude >= size {
            let tenths = (amount * 10 + size / 2) / size
            let text = tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10),\(abs(tenths % 10))"
            return "\(text) \(name)"
        }
        return "\(amount)"
    }

    static func header(title: String, width: Int, height: Int) -> String {
        #"<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(width) \#(height)" role="img" "#
            + #"aria-label="\#(xml(title))" preserveAspectRatio="xMidYMid meet"><title>\#(xml(title))</title>"#
    }

    static func xml(_ text: String) -> String { Markup.escaped(text) }

    static func truncated(_ text: String, _ count: Int) -> String {
        text.count <= count ? text : String(text.prefix(count - 1)) + "…"
    }

    /// A coordinate with at most one decimal, as SVG reads it.
    static func f(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
