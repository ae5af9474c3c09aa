import Foundation

/// Text inside an address: everything but ASCII letters, digits and `-_.~` percent-encoded (UTF-8),
/// so Vietnamese words and `&`, `=`, `/` in a value never change what the address means.
enum URLText {
    static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")

    static func component(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
