import Foundation
import Kernel

/// A registered receiver of events.
public struct WebhookEndpoint: Sendable, Equatable {
    public var id: UUID
    public var url: String
    public var description: String
    public var eventTypes: [String]
    public var supplierID: UUID?
    public var ownerID: UUID
    public var enabled: Bool
    public var disabledReason: String?
    public var failingSince: Date?
    public var createdAt: Date
    /// Only when it was just created or rotated: shown once to its owner.
    public var secret: String?
}

/// What a person asks for when registering or changing an endpoint.
public struct WebhookEndpointDraft: Sendable, Equatable {
    public var url: String?
    public var description: String?
    public var eventTypes: [String]?
    public var supplierID: UUID?
    public var enabled: Bool?

    public init(
        url: String? = nil, description: String? = nil, eventTypes: [String]? = nil, supplierID: UUID? = nil,
        enabled: Bool? = nil
    ) {
        (self.url, self.description, self.eventTypes, self.supplierID, self.enabled) =
            (url, description, eventTypes, supplierID, enabled)
    }

    /// The rules of a draft: a known event type (or `*`, for an admin's endpoint only), a URL a
    /// receiver can be at. A producer's endpoint must be HTTPS on a public host (the relay must not
    /// be pointed at the post office's own network) unless `allowPrivate` (tests, a closed network).
    public func validated(forSupplier: Bool, allowPrivate: Bool) throws(DomainError) -> WebhookEndpointDraft {
        var v = Validator()
        if let url {
            v.check(
                url.utf8.count <= 2000 && !url.unicodeScalars.contains(where: Validator.isControl), "url",
                "is not a URL")
            if let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), let host = parsed.host,
                !host.isEmpty
            {
                v.check(scheme == "https" || scheme == "http", "url", "must be http or https")
                if forSupplier && !allowPrivate {
                    v.check(scheme == "https", "url", "must be https")
                    v.check(!Self.isPrivate(host: host), "url", "must be a public host")
                }
            } else {
                v.fail("url", "is not an absolute http(s) URL")
            }
        }
        if let description { v.paragraph(description, "description", max: 200) }
        v.check(
            url != nil || description != nil || eventTypes != nil || enabled != nil || supplierID != nil, "body",
            "must change something")
        if let eventTypes {
            v.check((1...50).contains(eventTypes.count), "event_types", "must name 1 to 50 event types")
            for (index, type) in eventTypes.enumerated() {
                if type == "*" {
                    v.check(!forSupplier, "event_types[\(index)]", "'*' is for admins' endpoints only")
                } else {
                    v.check(WebhookEvents.types.contains(type), "event_types[\(index)]", "is not an event type")
                }
            }
        }
        try v.done()
        return self
    }

    /// Loopback, private, link-local and unique-local addresses, and names that mean this machine.
    public static func isPrivate(host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if h == "localhost" || h.hasSuffix(".localhost") || h.hasSuffix(".local") || h.hasSuffix(".internal") {
            return true
        }
        let parts = h.split(separator: ".").compactMap { Int($0) }
        if parts.count == 4, h.split(separator: ".").count == 4 {
            switch (parts[0], parts[1]) {
            case (10, _), (127, _), (0, _), (169, 254), (192, 168): return true
            case (172, let b) where (16...31).contains(b): return true
            case (100, let b) where (64...127).contains(b): return true
            default: return false
            }
        }
        if h.contains(":") {
            return h == "::1" || h == "::" || h.hasPrefix("fc") || h.hasPrefix("fd") || h.hasPrefix("fe80")
                || h.hasPrefix("::ffff:")
        }
        return false
    }
}

/// One delivery of one event to one endpoint, as its owner sees it.
public struct WebhookDelivery: Sendable, Equatable {
    public var id: UUID
    public var endpointID: UUID
    public var eventID: Int64
    public var eventType: String
    public var status: String
    public var attempts: Int
    public var nextAttemptAt: Date?
    public var lastStatusCode: Int?
    public var lastError: String?
    public var lastDurationMS: Int?
    public var lastAttemptAt: Date?
    public var deliveredAt: Date?
    public var createdAt: Date
}
