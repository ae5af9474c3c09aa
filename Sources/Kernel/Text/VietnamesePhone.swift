/// Vietnamese phone numbers as the numbering plan has them since the 2017–2018 changes (MIC's
/// Circular 22/2014 as amended; mobiles moved from 11 to 10 digits on 15/09/2018, landlines to the
/// 02x area codes on 17/06/2017). Written any common way (`0905 123 456`, `+84 905 123 456`,
/// `84905123456`, `0905.123.456`), stored and returned one way: the national form `0905123456`.
public enum VietnamesePhone {
    /// The 3-digit mobile prefixes networks are allocated (10 digits in all), with their network, as
    /// published by the networks after 2018: Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile,
    /// Itelecom, Reddi, Wintel. Data, not rules: a new allocation is one line here.
    public static let mobilePrefixes: [String: String] = [
        "032": "Viettel", "033": "Viettel", "034": "Viettel", "035": "Viettel", "036": "Viettel",
        "037": "Viettel", "038": "Viettel", "039": "Viettel", "086": "Viettel", "096": "Viettel",
        "097": "Viettel", "098": "Viettel",
        "081": "VinaPhone", "082": "VinaPhone", "083": "VinaPhone", "084": "VinaPhone", "085": "VinaPhone",
        "088": "VinaPhone", "091": "VinaPhone", "094": "VinaPhone",
        "070": "MobiFone", "076": "MobiFone", "077": "MobiFone", "078": "MobiFone", "079": "MobiFone",
        "089": "MobiFone", "090": "MobiFone", "093": "MobiFone",
        "052": "Vietnamobile", "056": "Vietnamobile", "058": "Vietnamobile", "092": "Vietnamobile",
        "059": "Gmobile", "099": "Gmobile",
        "087": "Itelecom", "055": "Reddi", "057": "Wintel",
    ]

    /// Landline area codes after the 2017 change (11 digits in all: `0` + area + subscriber). Hà Nội
    /// (24) and TP. Hồ Chí Minh (28) have 8-digit subscriber numbers, the other provinces 7.
    public static let areaCodes: Set<String> = [
        "24", "28",
        "203", "204", "205", "206", "207", "208", "209", "210", "211", "212", "213", "214", "215", "216",
        "218", "219", "220", "221", "222", "225", "226", "227", "228", "229", "232", "233", "234", "235",
        "236", "237", "238", "239", "251", "252", "254", "255", "256", "257", "258", "259", "260", "261",
        "262", "263", "269", "270", "271", "272", "273", "274", "275", "276", "277", "290", "291", "292",
        "293", "294", "296", "297", "299",
    ]

    /// The national form (`0` and 9 or 10 digits), or nil when no Vietnamese network issues such a
    /// number: `0123456789` (an 11-digit-era prefix), 11-digit mobiles, unknown prefixes.
    public static func canonical(_ text: String) -> String? {
        guard text.utf8.count <= 32 else { return nil }
        var digits = ""
        for (index, character) in text.enumerated() {
            switch character {
            case "0"..."9": digits.append(character)
            case " ", ".", "-", "(", ")": continue
            case "+" where index == 0 || text.prefix(index).allSatisfy({ $0 == " " || $0 == "(" }): continue
            default: return nil
            }
        }
        let international = text.drop(while: { $0 == " " || $0 == "(" }).hasPrefix("+")
        var national = digits
        // A national number never starts with 8, so `84…` is the country code even without `+`;
        // `+84 (0) 905…` keeps its trunk zero.
        if international || (digits.hasPrefix("84") && digits.count >= 11) {
            guard digits.hasPrefix("84") else { return nil }
            let rest = digits.dropFirst(2)
            national = rest.hasPrefix("0") ? String(rest) : "0" + rest
        }
        return isNational(national) ? national : nil
    }

    /// A number in national form that some network or area issues.
    static func isNational(_ number: String) -> Bool {
        guard number.hasPrefix("0"), number.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else { return false }
        if number.count == 10 { return mobilePrefixes[String(number.prefix(3))] != nil }
        guard number.count == 11, number.dropFirst().hasPrefix("2") else { return false }
        let area = number.dropFirst()
        return areaCodes.contains(String(area.prefix(2))) || areaCodes.contains(String(area.prefix(3)))
    }

    /// `0905 123 456` for a mobile, `0236 3822 345` / `024 3825 1234` for a landline, as people write them.
    public static func display(_ number: String) -> String {
        guard let national = canonical(number) else { return number }
        let d = Array(national)
        func part(_ range: Range<Int>) -> String { String(d[range]) }
        if national.count == 10 { return part(0..<4) + " " + part(4..<7) + " " + part(7..<10) }
        if areaCodes.contains(part(1..<3)) { return part(0..<3) + " " + part(3..<7) + " " + part(7..<11) }
        return part(0..<4) + " " + part(4..<8) + " " + part(8..<11)
    }
}
