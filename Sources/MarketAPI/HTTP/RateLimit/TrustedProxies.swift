import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which address a request comes from. The socket's peer, unless that peer is a proxy the operator
/// configured (`TRUSTED_PROXIES`): then the right-most `X-Forwarded-For` entry that is not itself a
/// trusted proxy. Entries further left are whatever the client chose to send, so they never count.
struct TrustedProxies: Sendable, Equatable {
    /// Networks as (address bytes, prefix length); IPv4 and IPv6.
    var networks: [(bytes: [UInt8], prefix: Int)]

    static func == (a: TrustedProxies, b: TrustedProxies) -> Bool {
        a.networks.elementsEqual(b.networks) { $0.bytes == $1.bytes && $0.prefix == $1.prefix }
    }

    static let none = TrustedProxies(networks: [])

    /// `10.0.0.0/8, 127.0.0.1, ::1`; nil when an entry is not an address or network.
    init?(parsing text: String) {
        var networks: [(bytes: [UInt8], prefix: Int)] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = Self.bytes(parts[0]) else { return nil }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...(bytes.count * 8)).contains(prefix) else { return nil }
            networks.append((bytes, prefix))
        }
        self.networks = networks
    }

    init(networks: [(bytes: [UInt8], prefix: Int)]) {
        self.networks = networks
    }

    func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(address) else { return false }
        return networks.contains { network in
            guard network.bytes.count == bytes.count else { return false }
            var left = network.prefix
            for (a, b) in zip(network.bytes, bytes) where left > 0 {
                let bits = min(8, left)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != b & mask { return false }
                left -= bits
            }
            return true
        }
    }

    /// The client's address for a request from `peer` carrying `forwardedFor` (every
    /// `X-Forwarded-For` value, in order).
    func client(peer: String?, forwardedFor: [String]) -> String {
        guard let peer else { return "local" }
        guard contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() where !hop.isEmpty {
            guard Self.bytes(hop) != nil else { return peer }
            if !contains(hop) { return hop }
        }
        return peer
    }

    /// 4 or 16 bytes, from the text form of an IPv4 or IPv6 address.
    static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
