/// Text made safe to put inside HTML or SVG markup (element text and quoted attributes): the five
/// characters that could end a text or an attribute, as entities. One function for every page that
/// writes markup by hand (the printable manifest, the charts); templates escape by themselves.
public enum Markup {
    public static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
